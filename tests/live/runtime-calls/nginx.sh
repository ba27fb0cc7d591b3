# nginx.sh - the job of tight-nginx (tight.leash, run by
# tests/live/run-runtime-calls.sh): nginx, with nginx.conf, serves a
# file on the container's loopback, busybox wget prints it (nginx-ok).
mkdir -p /tmp/ng/html && echo nginx-ok > /tmp/ng/html/index.html
nginx -c /jobs/nginx.conf -e stderr &
i=0
until busybox wget -q -O - http://127.0.0.1:18080/index.html 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && exit 1; busybox sleep 0.05
done
kill $!
wait
