# App image: the layout of the release's containers/app/Dockerfile (final stage), with the
# venv at /app/.venv, the UI at /app/frontend/build and /app/entrypoint.sh already copied.
sed -i 's/^UID_MIN.*/UID_MIN 499/' /etc/login.defs
sed -i 's/^UID_MAX.*/UID_MAX 1000000/' /etc/login.defs
mkdir -p /.openhands /opt/workspace_base
groupadd --gid 42420 openhands
useradd -l -m -u 42420 --gid 42420 -s /bin/bash openhands
usermod -aG openhands openhands
usermod -aG sudo openhands
echo '%sudo ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers
chown -R openhands:openhands /app && chmod -R 770 /app
chown -R openhands:openhands /opt/workspace_base && chmod -R 770 /opt/workspace_base
find /app \! -group openhands -exec chgrp openhands {} +
test -x /app/.venv/bin/uvicorn
test -f /app/frontend/build/index.html
