#!/bin/sh
# Frees the sandboxes' Docker daemon (dockerCleanup). CLEANUP_POLICY:
#   safe      stopped containers that are not sandboxes (1.x oh-agent-server-*, 0.x
#             openhands-runtime-*; a paused conversation's container is stopped and must
#             survive), dangling images only (the sandbox image is tagged, so it stays), build
#             cache older than a day, and anonymous volumes no container uses
#   pruneAll  docker system prune -af --volumes
set -eu
if [ "${CLEANUP_POLICY:-safe}" = pruneAll ]; then
  exec docker system prune -af --volumes
fi
docker ps -a --filter status=exited --filter status=created --filter status=dead --format '{{.ID}} {{.Names}}' | while read -r id name; do
  case "$name" in
    oh-agent-server-*|openhands-runtime-*) ;;
    *) docker rm "$id" ;;
  esac
done
docker image prune -f
docker builder prune -f --filter until=24h
docker volume prune -f
