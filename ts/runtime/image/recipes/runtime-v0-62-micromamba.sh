#!/bin/sh
# Stand-in for micromamba in the OpenHands 0.62 runtime image. The image has no conda: its one
# environment, `openhands`, is a CPython prefix at $MAMBA_ROOT_PREFIX/envs/openhands. Supported:
# `micromamba run -n <env> <command...>` (the runtime's startup command and its Jupyter plugin)
# and `micromamba shell hook --shell bash` (the image's bashrc), whose function's `activate
# <env>` puts that environment's bin first on PATH.
set -e
root=${MAMBA_ROOT_PREFIX:-/openhands/micromamba}
case "$1" in
  run) shift ;;
  shell)
    cat <<'HOOK'
micromamba() {
  if [ "$1" = activate ]; then
    _mm_prefix="${MAMBA_ROOT_PREFIX:-/openhands/micromamba}/envs/${2:-openhands}"
    [ -d "$_mm_prefix" ] || return 1
    export PATH="$_mm_prefix/bin:$PATH" CONDA_PREFIX="$_mm_prefix" CONDA_DEFAULT_ENV="${2:-openhands}"
  else
    command micromamba "$@"
  fi
}
HOOK
    exit 0 ;;
  *)
    echo "micromamba (stand-in): only 'run -n <env> <command...>' and 'shell hook' are supported" >&2
    exit 1 ;;
esac
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
