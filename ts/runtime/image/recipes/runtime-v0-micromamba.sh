#!/bin/sh
# Stand-in for micromamba in the OpenHands 0.x runtime image. The image has no conda: its one
# environment, `openhands`, is a CPython prefix at $MAMBA_ROOT_PREFIX/envs/openhands. Only
# `micromamba run -n <env> <command...>` (what the runtime's startup command and its Jupyter
# plugin use) is supported: it execs the command with that environment's bin first on PATH.
set -e
root=${MAMBA_ROOT_PREFIX:-/openhands/micromamba}
if [ "$1" != run ]; then
  echo "micromamba (stand-in): only 'run -n <env> <command...>' is supported" >&2
  exit 1
fi
shift
name=openhands
while [ $# -gt 0 ]; do
  case "$1" in
    -n|--name) name=$2; shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
prefix=$root/envs/$name
if [ ! -d "$prefix" ]; then
  echo "micromamba (stand-in): no environment $name" >&2
  exit 1
fi
export PATH="$prefix/bin:$PATH" CONDA_PREFIX="$prefix" CONDA_DEFAULT_ENV="$name"
exec "$@"
