# Agent Canvas image: the agent-server base (user openhands 10001, /workspace/project) with
# the venv at /agent-server/.venv and the Canvas files at /opt/agent-canvas already copied in.
bash /tmp/agent-server.sh
# What the entrypoint and the automation presets find on PATH, without putting the whole venv there.
ln -s /agent-server/.venv/bin/uvicorn /usr/local/bin/uvicorn
ln -s /agent-server/.venv/bin/uv /usr/local/bin/uv
ln -s /agent-server/.venv/bin/uvx /usr/local/bin/uvx
chown -R root:root /opt/agent-canvas
chmod -R u+rwX,go+rX,go-w /opt/agent-canvas
chmod 0755 /opt/agent-canvas/entrypoint.sh
mkdir -p /home/openhands/.openhands/agent-canvas/conversations /home/openhands/.openhands/agent-canvas/bash_events \
  /home/openhands/.openhands/automation /projects
chown -R openhands:openhands /home/openhands/.openhands /projects
# Checks that fail the build rather than the first pod (one command per line: bash -e ignores
# failures inside && lists and behind !).
test -x /usr/bin/tini
test -x /usr/bin/node
test -x /usr/bin/docker
test -x /usr/local/bin/uvicorn
test -x /usr/local/bin/uv
# The entrypoint takes its venv branch only when no openhands-agent-server binary is on PATH.
if command -v openhands-agent-server; then exit 1; fi
test -f /opt/agent-canvas/frontend/index.html
bash -n /opt/agent-canvas/entrypoint.sh
# The imports run offline: LiteLLM would otherwise try to fetch its model price list.
export LITELLM_LOCAL_MODEL_COST_MAP=True OPENHANDS_SUPPRESS_BANNER=1
node --input-type=module -e "await import('/opt/agent-canvas/static-server.mjs'); await import('/opt/agent-canvas/proxy-utils.mjs')"
/agent-server/.venv/bin/python -c "import openhands.agent_server, openhands.automation, openhands.tools, openhands.workspace, uvicorn"
PYTHONPATH=/opt/agent-canvas/tools /agent-server/.venv/bin/python -c "import canvas_ui_tool"
