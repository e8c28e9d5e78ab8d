# OpenHands 0.x runtime image: the layout of the release's runtime Dockerfile template, with
# the Python environment, the venv, /openhands/code and the two command stand-ins below already
# copied in by the build. No user is created: the action execution server adds `openhands`
# with the uid the app passes.
mkdir -p /openhands/logs /openhands/poetry /openhands/workspace /openhands/.openvscode-server
chmod -R g+rws /openhands/poetry
chmod -R g+rws,o+rw /openhands/workspace
venv=/openhands/poetry/openhands-ai-py3.12
echo "OH_INTERPRETER_PATH=$venv/bin/python" >> /etc/environment
# Playwright (the browser tool's browsergym) launches the Chromium of its own revision from
# its cache; Debian's chromium is put in that place for root, who runs the server.
rev=$("$venv/bin/python" -c 'import json, os, playwright; d = json.load(open(os.path.join(os.path.dirname(playwright.__file__), "driver/package/browsers.json"))); print(next(b["revision"] for b in d["browsers"] if b["name"] == "chromium"))')
mkdir -p "/root/.cache/ms-playwright/chromium-$rev/chrome-linux"
ln -s /usr/lib/chromium/chromium "/root/.cache/ms-playwright/chromium-$rev/chrome-linux/chrome"
test -x /usr/lib/chromium/chromium
# What the startup command and the plugins run must be there.
/openhands/micromamba/bin/micromamba run -n openhands poetry run python -c 'import openhands.runtime.action_execution_server, libtmux, browsergym.core, playwright, kernel_gateway, ipykernel'
/openhands/micromamba/bin/micromamba run -n openhands poetry run jupyter kernelgateway --version
"$venv/bin/python" -c 'import ssl, sqlite3, ctypes, lzma, bz2, readline, uuid, zlib, pyexpat'
command -v tmux su useradd sudo git
