# redis.sh - the job of tight-redis (tight.leash, run by
# tests/live/run-runtime-calls.sh): redis-server answers PING from
# busybox nc on the container's loopback; then it prints redis-ok.
redis-server --port 16379 --bind 127.0.0.1 --save "" --appendonly no --dir /tmp --logfile "" --loglevel warning &
i=0
until printf 'PING\r\nQUIT\r\n' | busybox nc 127.0.0.1 16379 2>/dev/null | busybox grep -q PONG; do
	i=$((i + 1)); [ $i -gt 100 ] && exit 1; busybox sleep 0.05
done
echo redis-ok
kill $!
wait
