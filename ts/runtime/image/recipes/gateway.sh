# Gateway image: Debian's nginx laid out like nginx-unprivileged (user 101, a default config
# listening on 8080 with everything writable under /tmp, logs to the container's output).
getent group 101 >/dev/null || groupadd --system --gid 101 nginx
getent passwd 101 >/dev/null || useradd --system --uid 101 --gid 101 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nginx
mkdir -p /var/log/nginx /var/lib/nginx /var/cache/nginx
ln -sf /dev/stdout /var/log/nginx/access.log
ln -sf /dev/stderr /var/log/nginx/error.log
chown -R 101:101 /var/lib/nginx /var/cache/nginx
install -m 0644 /tmp/nginx.conf /etc/nginx/nginx.conf
rm -f /etc/nginx/sites-enabled/default
# The log links need a real output to open (the build's stderr is a socket).
nginx -t -c /etc/nginx/nginx.conf >/tmp/nginx-t.log 2>&1 || { cat /tmp/nginx-t.log; exit 1; }
cat /tmp/nginx-t.log
