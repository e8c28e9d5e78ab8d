#!/bin/sh
# Stand-in for poetry in the OpenHands 0.x runtime image. The project's venv is prebuilt under
# $POETRY_VIRTUALENVS_PATH; only `poetry run <command...>` (what the runtime's startup command
# and its Jupyter plugin use) is supported: it execs the command with that venv active.
set -e
venv=/openhands/poetry/openhands-ai-py3.12
if [ "$1" != run ]; then
  echo "poetry (stand-in): only 'run <command...>' is supported" >&2
  exit 1
fi
shift
export VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH"
exec "$@"
