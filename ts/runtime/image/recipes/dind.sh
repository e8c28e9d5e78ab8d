# Docker-in-Docker daemon image: Debian's Docker engine, started by dockerd-entrypoint.sh like
# the official dind image (the chart passes `dockerd --host=...` as args).
install -m 0755 /tmp/dockerd-entrypoint.sh /usr/local/bin/dockerd-entrypoint.sh
mkdir -p /var/lib/docker /run/dind
# The sandbox containers run with --init; dockerd looks for docker-init.
command -v docker-init >/dev/null || ln -s /usr/bin/tini-static /usr/local/bin/docker-init
docker --version
dockerd --version
