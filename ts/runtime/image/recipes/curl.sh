# helm test image: curl and a POSIX shell, user 100 in group 101 like the curl image.
getent group 101 >/dev/null || groupadd --gid 101 curl_group
getent passwd 100 >/dev/null || useradd --uid 100 --gid 101 --no-create-home --home-dir /home/curl_user --shell /bin/sh curl_user
install -m 0755 /tmp/curl-entrypoint.sh /entrypoint.sh
curl --version
