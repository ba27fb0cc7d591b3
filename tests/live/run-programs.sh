#!/bin/sh
# run-programs.sh - the example policies of profiles/ confine the real
# programs they were written for.  Prints TAP.
#
# First each of nginx.leash, redis.leash, python-http.leash and
# busybox-httpd.leash must check without a warning and give an AppArmor
# profile apparmor_parser accepts.  Then, for each: compile a test policy
# that extends the profile with only what a test run adds (a temp
# directory instead of /var/lib..., a port above 1024), start the
# program under leash-exec, make real requests and check the answers,
# check from outside that the process runs confined (user, effective
# capabilities, no_new_privs, seccomp, open file limit), check from
# inside the running program that what the policy forbids fails (a file
# outside its paths: Landlock; fork: seccomp EPERM; a call outside
# busybox's list: SIGSYS), and stop it cleanly.
#
# The programs come from Debian (nginx-light, redis-server, python3,
# busybox-static); curl and redis-cli are the clients.  Needs root:
# nginx starts as root, the others switch to nobody.  Ports: 18080
# (nginx), 16379 (redis), 18000 (python), 18081 (busybox).  Every
# process started here is killed by pid on exit, even on failure.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

require_x86_64
LEASH_EXEC=${LEASH_EXEC:-$builddir/leash-exec}
[ -x "$LEASH" ] || bail "leash binary '$LEASH' not built"
[ -x "$LEASH_EXEC" ] || bail "leash-exec '$LEASH_EXEC' not built"
[ "$(id -u)" -eq 0 ] ||
	skip_all "needs root: nginx starts as root, the others switch to nobody"
command -v curl >/dev/null 2>&1 ||
	skip_all "curl not installed (Debian package curl)"

# The policies' test variants name this directory in their rules, so it
# must be a real path; nobody must be able to reach below it.
tmp=$(mktemp -d /tmp/leash-programs.XXXXXX) || bail "mktemp failed"
tmp=$(cd "$tmp" && pwd -P) || bail "temp dir vanished"
chmod 755 "$tmp"
mkdir "$tmp/outside" || bail "mkdir failed"
echo "secret outside every policy" >"$tmp/outside/secret.txt"
chmod 644 "$tmp/outside/secret.txt"
# File modes let nobody write there: only the policies stop it.
chown 65534:65534 "$tmp/outside"

pids=""
cleanup() {
	for _p in $pids; do
		kill_tree "$_p"
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# children: the pids whose parent is $_want (no pgrep needed).
children() {
	for _s in /proc/[0-9]*/stat; do
		{ read -r _line <"$_s"; } 2>/dev/null || continue
		# Field 4 is the parent; the command name (field 2) may hold
		# spaces, so split after its closing parenthesis.
		# shellcheck disable=SC2086  # the split is the point
		set -- ${_line##*) }
		[ "${2:-}" = "$_want" ] || continue
		_p=${_s#/proc/}
		echo "${_p%/stat}"
	done
}

# kill_tree PID: SIGKILL PID and everything below it, children first
# collected so that none is re-parented before it is found.
kill_tree() {
	_want=$1
	_kids=$(children)
	for _k in $_kids; do
		kill_tree "$_k"
	done
	kill -KILL "$1" 2>/dev/null
}

# wait_until SECONDS CMD...: retry CMD every 0.1 s until it succeeds.
wait_until() {
	_n=$(($1 * 10))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# wait_exit PID SECONDS: wait for PID (a child of this shell), leave its
# status in $status; 1 when it is still running after SECONDS.
wait_exit() {
	_n=$(($2 * 10))
	while kill -0 "$1" 2>/dev/null; do
		# A zombie still answers kill -0: its state is Z.
		grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null && break
		[ "$_n" -le 0 ] && return 1
		sleep 0.1
		_n=$((_n - 1))
	done
	wait "$1"
	status=$?
	return 0
}

# status_of PID FIELD: one line of /proc/PID/status, value only.
status_of() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null
}

# confined DESC PID UID CAPEFF NOFILE: the process runs as UID with
# exactly CAPEFF effective, no_new_privs, a seccomp filter and the
# policy's open file limit.
confined() {
	_got="Uid $(status_of "$2" Uid | cut -f1)"
	_got="$_got CapEff $(status_of "$2" CapEff)"
	_got="$_got NoNewPrivs $(status_of "$2" NoNewPrivs)"
	_got="$_got Seccomp $(status_of "$2" Seccomp)"
	_got="$_got nofile $(sed -n 's/^Max open files  *\([0-9]*\) .*/\1/p' \
				"/proc/$2/limits" 2>/dev/null)"
	_want="Uid $3 CapEff $4 NoNewPrivs 1 Seccomp 2 nofile $5"
	if [ "$_got" = "$_want" ]; then
		ok "$1: $_got"
	else
		not_ok "$1: got '$_got', want '$_want'"
	fi
}

# port_free NAME CHECK...: nothing answers on the port yet, else one
# failed TAP line (another process would answer the test's requests).
port_free() {
	_name=$1
	shift
	"$@" >/dev/null 2>&1 || return 0
	not_ok "$_name: its test port is already in use by another process"
	return 1
}

# check DESC GOT WANT: one TAP line comparing two strings.
check() {
	if [ "$2" = "$3" ]; then
		ok "$1: $2"
	else
		not_ok "$1: got '$2', want '$3'"
	fi
}

# compile NAME: $tmp/NAME.leash (written by the caller) to
# $tmp/NAME.bundle; one TAP line.
compile() {
	if "$LEASH" compile -I "$srcdir/profiles" -t bundle -o "$tmp" \
		"$tmp/$1.leash" >"$tmp/$1.compile" 2>&1 </dev/null &&
	   [ -s "$tmp/$1.bundle" ]; then
		ok "leash compile $1.leash (extends profiles/${2}.leash)"
	else
		not_ok "leash compile $1.leash (extends profiles/${2}.leash)"
		diag_file "$tmp/$1.compile"
		return 1
	fi
}

# http PATH PORT: the body of GET http://127.0.0.1:PORT/PATH.
http() {
	curl -sS --max-time 10 "http://127.0.0.1:$2$1"
}

# http_code PATH PORT: only the status code.
http_code() {
	curl -s --max-time 10 -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$2$1"
}

# started NAME PID PORTCHECK...: after starting NAME as PID, wait until
# PORTCHECK succeeds; one TAP line.
started() {
	_name=$1
	_pid=$2
	shift 2
	if wait_until 15 "$@"; then
		ok "$_name starts under leash-exec"
		return 0
	fi
	not_ok "$_name starts under leash-exec"
	diag_file "$tmp/$_name.log"
	kill_tree "$_pid"
	return 1
}

# logged DESC PATTERN FILE: the program wrote a line matching PATTERN
# (grep -E) into its log FILE.
logged() {
	if grep -Eq "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diag_file "$3"
	fi
}

# stopped NAME PID WANT: after asking NAME to stop, leash-exec (PID)
# exits within 15 s with status WANT; else it is killed.
stopped() {
	if wait_exit "$2" 15; then
		check "$1 stops cleanly (exit status)" "$status" "$3"
		return 0
	fi
	not_ok "$1 still running 15 s after being asked to stop"
	kill_tree "$2"
	return 1
}

# ---- nginx ------------------------------------------------------------

# The master runs as root with five capabilities: CHOWN, DAC_OVERRIDE,
# SETGID, SETUID, NET_BIND_SERVICE (bits 0, 1, 6, 7, 10); the workers as
# nobody with none.
run_nginx() {
	d=$tmp/nginx
	mkdir -p "$d/html"
	cp "$srcdir/tests/live/programs/nginx.conf" "$d/" || return 1
	echo "hello from nginx" >"$d/html/index.html"
	ln -s "$tmp/outside/secret.txt" "$d/html/outside"
	chmod -R a+rX "$d"
	cat >"$tmp/nginx-test.leash" <<EOF
include <nginx.leash>;
policy "nginx-test" extends nginx {
	filesystem { allow rw "$d/**"; }
	network { allow bind tcp 18080; }
}
EOF
	port_free nginx http / 18080 || return 1
	compile nginx-test nginx || return 1
	"$LEASH_EXEC" "$tmp/nginx-test.bundle" -- nginx -p "$d/" \
		-c "$d/nginx.conf" -e stderr \
		>"$tmp/nginx.log" 2>&1 </dev/null &
	shim=$!
	pids="$pids $shim"
	started nginx "$shim" test -s "$d/nginx.pid" || return 1
	wait_until 10 http / 18080
	check "nginx: GET /" "$(http / 18080)" "hello from nginx"
	master=$(cat "$d/nginx.pid")
	confined "nginx master" "$master" 0 00000000000004c3 4096
	_want=$master
	worker=$(children | head -n 1)
	if [ -n "$worker" ]; then
		confined "nginx worker" "$worker" 65534 0000000000000000 4096
	else
		not_ok "nginx worker: none found under master $master"
	fi
	# html/outside links to a file the policy does not let nginx read.
	check "nginx: GET /outside, a link out of the allowed paths" \
		"$(http_code /outside 18080)" 403
	logged "nginx logs the refused open (EACCES)" \
		'outside" failed \(13: Permission denied\)' "$d/error.log"
	# SIGQUIT: the workers finish their requests, the master removes
	# its pid file and exits 0.
	kill -QUIT "$master"
	if stopped "nginx (SIGQUIT)" "$shim" 0; then
		if [ -e "$d/nginx.pid" ]; then
			not_ok "nginx left its pid file"
		else
			ok "nginx removed its pid file"
		fi
	fi
	# Nothing the policy refuses may have hit nginx's own work.
	if grep -E '\[(emerg|alert|crit)\]' "$d/error.log" >"$tmp/bad"; then
		not_ok "nginx error.log has no emerg, alert or crit line"
		diag_file "$tmp/bad"
	else
		ok "nginx error.log has no emerg, alert or crit line"
	fi
}

# ---- redis ------------------------------------------------------------

# rcli ARG...: one redis-cli command, its answer on stdout.
rcli() {
	redis-cli -h 127.0.0.1 -p 16379 "$@" 2>&1
}

# bgsave_done: redis has no background save running.
bgsave_done() {
	rcli INFO persistence | grep -q '^rdb_bgsave_in_progress:0'
}

run_redis() {
	d=$tmp/redis
	mkdir -p "$d"
	chown 65534:65534 "$d"
	cat >"$tmp/redis-test.leash" <<EOF
include <redis.leash>;
policy "redis-test" extends redis {
	filesystem { allow rw "$d/**"; }
	network { allow bind tcp 16379; }
}
EOF
	port_free redis rcli PING || return 1
	compile redis-test redis || return 1
	"$LEASH_EXEC" "$tmp/redis-test.bundle" -- redis-server \
		--port 16379 --bind 127.0.0.1 --dir "$d" --save "" \
		--appendonly no --daemonize no --logfile "" \
		--pidfile "$d/redis.pid" --enable-protected-configs yes \
		>"$tmp/redis.log" 2>&1 </dev/null &
	shim=$!
	pids="$pids $shim"
	started redis "$shim" rcli PING || return 1
	check "redis: PING" "$(rcli PING)" PONG
	check "redis: SET" "$(rcli SET leash works)" OK
	check "redis: GET" "$(rcli GET leash)" works
	server=$(cat "$d/redis.pid" 2>/dev/null)
	confined "redis-server" "${server:-0}" 65534 0000000000000000 10032
	# Redis sizes maxclients to the open file limit, less 32.
	check "redis: CONFIG GET maxclients" \
		"$(rcli CONFIG GET maxclients | tail -n 1)" 10000
	# BGSAVE forks a child that writes the dump: clone is allowed.
	check "redis: BGSAVE" "$(rcli BGSAVE)" "Background saving started"
	# The parent learns that the child is done a little after the
	# child renamed dump.rdb into place.
	wait_until 15 bgsave_done
	check "redis: the forked child saved" \
		"$(rcli INFO persistence | tr -d '\r' |
		   sed -n 's/^rdb_last_bgsave_status://p')" ok
	if [ -s "$d/dump.rdb" ]; then
		ok "redis: dump.rdb written"
	else
		not_ok "redis: no dump.rdb after BGSAVE"
	fi
	# A save outside the data directory: the read-only root (or
	# Landlock, on a writable one) refuses the file.
	check "redis: CONFIG SET dir to a directory outside the policy" \
		"$(rcli CONFIG SET dir "$tmp/outside")" OK
	check "redis: SAVE there fails" "$(rcli SAVE)" "ERR"
	logged "redis logs the refused open (EROFS or EACCES)" \
		'Failed opening the temp RDB file.*(Read-only file system|Permission denied)' \
		"$tmp/redis.log"
	check "redis: nothing written outside" "$(ls "$tmp/outside")" \
		secret.txt
	rcli CONFIG SET dir "$d" >/dev/null
	rcli SHUTDOWN NOSAVE >/dev/null
	stopped "redis (SHUTDOWN)" "$shim" 0
}

# ---- python -----------------------------------------------------------

run_python() {
	d=$tmp/python
	mkdir -p "$d/app" "$d/data"
	cp "$srcdir/tests/live/programs/app.py" "$d/app/" || return 1
	chmod -R a+rX "$d"
	# Its code is nobody's too: only the policy keeps it read only.
	chown -R 65534:65534 "$d/app" "$d/data"
	cat >"$tmp/python-test.leash" <<EOF
include <python-http.leash>;
policy "python-test" extends "python-http" {
	filesystem { allow r "$d/app/**"; allow rw "$d/data/**"; }
	network { allow bind tcp 18000; }
}
EOF
	port_free python http / 18000 || return 1
	compile python-test python-http || return 1
	"$LEASH_EXEC" "$tmp/python-test.bundle" -- "$python" -I -B \
		"$d/app/app.py" 18000 "$d/data" \
		>"$tmp/python.log" 2>&1 </dev/null &
	shim=$!
	pids="$pids $shim"
	started python "$shim" http / 18000 || return 1
	check "python: GET /" "$(http / 18000)" "hello from python"
	check "python: GET /count" "$(http /count 18000)" 1
	check "python: GET /count again" "$(http /count 18000)" 2
	check "python: write in its data directory" \
		"$(http "/write?$d/data/new" 18000)" ok
	# read_only_root answers first (EROFS), before Landlock would.
	check "python: write outside it (read-only root)" \
		"$(http "/write?$tmp/outside/new" 18000)" EROFS
	check "python: write over its own code (read-only root)" \
		"$(http "/write?$d/app/new.py" 18000)" EROFS
	check "python: fork (seccomp)" "$(http /fork 18000)" EPERM
	# Its own listening port would accept the connection: Landlock
	# refuses every port but the database's.
	check "python: TCP connect to port 18000 (Landlock)" \
		"$(http "/connect?18000" 18000)" EACCES
	_c=$(http "/connect?5432" 18000)
	case $_c in
	ok|ECONNREFUSED)
		ok "python: TCP connect to port 5432, the allowed one: $_c" ;;
	*)
		not_ok "python: TCP connect to port 5432: got '$_c'," \
		       "want ok or ECONNREFUSED" ;;
	esac
	server=$(cat "$d/data/app.pid" 2>/dev/null)
	confined "python" "${server:-0}" 65534 0000000000000000 1024
	check "python: GET /quit" "$(http /quit 18000)" bye
	stopped "python (/quit)" "$shim" 0
}

# ---- busybox httpd ----------------------------------------------------

run_busybox() {
	d=$tmp/busybox
	mkdir -p "$d/www"
	echo "hello from busybox" >"$d/www/index.html"
	head -c 300000 /dev/zero | tr '\0' x >"$d/www/big.txt"
	ln -s "$tmp/outside/secret.txt" "$d/www/outside"
	chmod -R a+rX "$d"
	cat >"$tmp/busybox-test.leash" <<EOF
include <busybox-httpd.leash>;
policy "busybox-test" extends "busybox-httpd" {
	filesystem { allow r "$d/www/**"; }
	network { allow bind tcp 18081; }
}
EOF
	port_free busybox http / 18081 || return 1
	compile busybox-test busybox-httpd || return 1
	"$LEASH_EXEC" "$tmp/busybox-test.bundle" -- "$busybox" httpd -f \
		-p 127.0.0.1:18081 -h "$d/www" \
		>"$tmp/busybox.log" 2>&1 </dev/null &
	shim=$!
	pids="$pids $shim"
	started busybox "$shim" http / 18081 || return 1
	check "busybox httpd: GET /" "$(http / 18081)" "hello from busybox"
	check "busybox httpd: GET /big.txt (bytes)" \
		"$(http /big.txt 18081 | wc -c | tr -d ' ')" 300000
	check "busybox httpd: GET /nothing-here" \
		"$(http_code /nothing-here 18081)" 404
	# The file behind the link exists and its mode lets nobody read
	# it; httpd answers 404 to any failed open.
	check "busybox httpd: GET /outside, a link out of the allowed paths" \
		"$(http_code /outside 18081)" 404
	# httpd is leash-exec's child when leash-exec stays as the parent
	# (it does for cgroup limits), else leash-exec itself after execve.
	_want=$shim
	server=$(children | head -n 1)
	server=${server:-$shim}
	confined "busybox httpd" "$server" 65534 0000000000000000 256
	# httpd does not catch SIGTERM: death by signal 15 is its way out.
	kill -TERM "$server"
	stopped "busybox httpd (SIGTERM)" "$shim" 143
	# The policy kills on any call outside its list: a shell that
	# makes a directory calls mkdir.  (A bare `sh -c echo` lives
	# since the policy allows @runtime: fcntl, getpid, ...)  Status
	# 159 is death by SIGSYS.
	limit 20 "$LEASH_EXEC" "$tmp/busybox-test.bundle" -- "$busybox" \
		sh -c "mkdir $tmp/escaped && echo escaped" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	_rc=$?
	check "busybox sh under the httpd policy is killed (SIGSYS)" "$_rc" 159
	[ -s "$tmp/out" ] && diag_file "$tmp/out"
}

# ---- the runs -----------------------------------------------------------

# Each profile checks without a warning, and its AppArmor profile (which
# this kernel cannot load) is one apparmor_parser accepts.
features=/usr/share/apparmor-features/features
for p in nginx redis python-http busybox-httpd; do
	if "$LEASH" check --werror -I "$srcdir/profiles" \
		"$srcdir/profiles/$p.leash" >"$tmp/out" 2>&1 </dev/null; then
		ok "leash check --werror profiles/$p.leash"
	else
		not_ok "leash check --werror profiles/$p.leash"
		diag_file "$tmp/out"
	fi
	if ! command -v apparmor_parser >/dev/null 2>&1 || [ ! -e "$features" ]
	then
		skip "apparmor_parser or $features absent (Debian package apparmor)"
	elif "$LEASH" compile -I "$srcdir/profiles" -t apparmor -o "$tmp" \
		"$srcdir/profiles/$p.leash" >"$tmp/out" 2>&1 </dev/null &&
	     apparmor_parser -Q -K -q --kernel-features "$features" \
		"$tmp/$p.apparmor" >>"$tmp/out" 2>&1; then
		ok "apparmor_parser accepts $p.apparmor"
	else
		not_ok "apparmor_parser accepts $p.apparmor"
		diag_file "$tmp/out"
	fi
done

if command -v nginx >/dev/null 2>&1; then
	run_nginx
else
	skip "nginx not installed (Debian package nginx-light)"
fi

if command -v redis-server >/dev/null 2>&1 &&
   command -v redis-cli >/dev/null 2>&1; then
	run_redis
else
	skip "redis-server or redis-cli not installed (package redis-server)"
fi

# Debian's interpreter, the one the policy names (not a pyenv shim).
python=$(readlink -f /usr/bin/python3 2>/dev/null)
if [ "$python" = /usr/bin/python3.11 ]; then
	run_python
else
	skip "python-http.leash names Debian 12's /usr/bin/python3.11;" \
	     "/usr/bin/python3 is '${python:-absent}'"
fi

busybox=$(readlink -f "$(command -v busybox 2>/dev/null)" 2>/dev/null)
if [ -n "$busybox" ] && is_static "$busybox"; then
	run_busybox
else
	skip "no static busybox (Debian package busybox-static)"
fi

tap_end
