# Agent-server image: what the agent-server Dockerfile's base image adds on top of its
# Debian base (user openhands 10001 with passwordless sudo, /workspace/project), with the
# venv already copied to /agent-server/.venv.
groupadd -g 10001 openhands
useradd -m -u 10001 -g 10001 -s /bin/bash openhands
usermod -aG sudo openhands
echo 'openhands ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers
mkdir -p /workspace/project /etc/claude-code /etc/docker
echo '{"permissions":{"allow":["Edit","Read","Bash"]}}' > /etc/claude-code/managed-settings.json
chown -R openhands:openhands /workspace /agent-server
# The browser tool needs a Chromium; the agent refuses to create a conversation without one.
test -x /usr/bin/chromium
test -x /usr/bin/tini
