# OpenHands 0.x app image: the layout of the release's app Dockerfile, with the Python
# environment (/usr/local), the venv (/app/.venv), /app/openhands and the entrypoint already
# copied in by the build.
chmod 755 /app/entrypoint.sh
# The state and workspace directories the Dockerfile creates.
mkdir -p /.openhands-state /opt/workspace_base
# listen.py mounts ./frontend/build at start (StaticFiles checks that it exists); the wheel
# carries no UI, so the directory is empty and the server answers the API and socket.io only.
mkdir -p /app/frontend/build
cd /app
/app/.venv/bin/python -c 'import ssl, sqlite3, ctypes, lzma, bz2, uuid, zlib, pyexpat, uvicorn, socketio, docker'
/app/.venv/bin/python -c 'import openhands.server.static, openhands.runtime.impl.docker.docker_runtime'
command -v uvicorn git ssh sudo curl
