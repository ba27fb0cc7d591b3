# busybox-httpd.sh - the job of tight-busybox-httpd (tight.leash, run by
# tests/live/run-runtime-calls.sh): busybox httpd serves a file on the
# container's loopback, busybox wget prints it (httpd-ok).
mkdir -p /tmp/www && echo httpd-ok > /tmp/www/index.html
busybox httpd -f -p 127.0.0.1:18081 -h /tmp/www &
i=0
until busybox wget -q -O - http://127.0.0.1:18081/index.html 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && exit 1; busybox sleep 0.05
done
kill $!
