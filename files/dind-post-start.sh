#!/bin/sh
# postStart hook of the Docker daemon sidecar (sandbox mode dind).
# Usage: dind-post-start.sh <seconds to wait for the daemon, 0 = no wait> [image to pre-pull]
# Pre-pulls the sandbox image in the background once the daemon answers, and without native
# sidecars holds the app back (the hook blocks its start) until the daemon answers.
set -u
wait_seconds=$1
image=${2:-}
# ISOLATE_BRIDGE (Canvas' Docker runtime): containers on that bridge reach nothing of the pod
# itself (Canvas' port 8000 writes its session key into every page), only answers to what the
# pod opened (Canvas calling a conversation's published port). Forwarded traffic (DNS, the LLM,
# the internet) is not the pod's input and stays as the NetworkPolicy allows it.
if [ -n "${ISOLATE_BRIDGE:-}" ]; then
  for tables in iptables ip6tables; do
    rule="INPUT -i $ISOLATE_BRIDGE -m conntrack ! --ctstate ESTABLISHED,RELATED -j DROP"
    # shellcheck disable=SC2086
    $tables -C $rule 2>/dev/null || $tables -I $rule || {
      [ "$tables" = ip6tables ] && continue
      echo "could not keep $ISOLATE_BRIDGE's containers away from the pod ($tables)" >&2
      exit 1
    }
  done
fi
if [ -n "$image" ]; then
  # Detached, so neither the hook nor the app waits for a multi-GB pull. Its output goes to
  # the daemon container's log when that is writable.
  log=/proc/1/fd/1
  [ -w "$log" ] || log=/dev/null
  setsid sh -c 'until docker info >/dev/null 2>&1; do sleep 1; done; docker pull "$1"' pre-pull "$image" >"$log" 2>&1 </dev/null &
fi
[ "$wait_seconds" -gt 0 ] || exit 0
i=0
while [ "$i" -lt "$wait_seconds" ]; do
  docker info >/dev/null 2>&1 && exit 0
  sleep 1
  i=$((i + 1))
done
echo "dockerd did not answer within ${wait_seconds}s" >&2
exit 1
