#!/bin/bash
# Entrypoint of the OpenHands 0.x app image. It does what the release's own entrypoint does
# when SANDBOX_USER_ID is 0 (how the chart runs the 0.x app): the server runs as root, and the
# runtimes it starts run as root too, so RUN_AS_OPENHANDS is turned off. Other user ids (the
# release's entrypoint creates an `openhands` user with that id) are not supported here.
set -eo pipefail
if [ -z "${SANDBOX_USER_ID:-}" ]; then
  echo "SANDBOX_USER_ID is not set" >&2
  exit 1
fi
if [ "$SANDBOX_USER_ID" != "0" ]; then
  echo "this image runs the app as root only (SANDBOX_USER_ID=0); got SANDBOX_USER_ID=$SANDBOX_USER_ID" >&2
  exit 1
fi
echo "Running OpenHands as root"
export RUN_AS_OPENHANDS=false
exec "$@"
