#!/bin/sh
# run-record.sh - 'leash record' learns a policy from real workloads,
# and that policy runs the same workload again under leash-exec while
# denying what the workload never did.  Prints TAP.
#
# Workloads: tar czf of a tree (as root and as nobody), a multi-threaded
# C program with a short-lived child (tests/live/record-prog.c), the
# same program built static for 32-bit x86 (when gcc -m32 works), and
# shell scripts running a server and its client: busybox httpd, python3
# -m http.server, nginx (master root, workers nobody), redis-server and
# the WSGI app of tests/live/programs with curl or redis-cli.  For each:
#   - the recorded run behaves as a bare one (output, exit status);
#   - 'leash check' takes the policy with no error;
#   - every syscall 'strace -f' sees for the same workload is allowed
#     by the policy (read from its compiled listing, NAME.pfc);
#   - under leash-exec with the policy (compile -t bundle), the workload
#     gives the same output, exit 0;
#   - and under it these are denied: exec of a shell the workload never
#     ran, a write outside the recorded trees, a connect to a TCP port
#     never used (while a server listens there), unshare of a user
#     namespace, a socket family never seen; and from inside the WSGI
#     server, a connect, a write and a fork it never made.
# Then --merge (a second workload united, hand edits kept), and the
# faults: command not found (127, no file), a program killed
# by a signal (128+N, policy written), an existing -o refused without
# --force, a bad --default, the recorder
# killed with SIGKILL (what was written so far checks), Ctrl-C to the
# process group (130, policy written), environment and exit status
# passed through, and the same run giving the same bytes.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

require_x86_64
[ -x "$LEASH" ] || bail "leash binary '$LEASH' not built"
SHIM=${LEASH_EXEC:-$builddir/leash-exec}
[ -x "$SHIM" ] || bail "leash-exec '$SHIM' not built"
grep -q '^Seccomp:' /proc/self/status || skip_all "no seccomp"
command -v cc >/dev/null || skip_all "no C compiler for the workload"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leash-record.XXXXXX") || bail "mktemp"
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
chmod 755 "$tmp"

# Ports of this test (47500-47599 are record's).
HTTPD_PORT=47520
PY_PORT=47521
OTHER_PORT=47522
NGINX_PORT=47523
REDIS_PORT=47524
WSGI_PORT=47525

# check_policy NAME FILE: leash check takes it with no error.
check_policy() {
	if "$LEASH" check "$2" >"$tmp/check.out" 2>&1; then
		ok "$1: leash check takes the recorded policy"
	else
		not_ok "$1: leash check takes the recorded policy"
		diag_file "$tmp/check.out"
	fi
}

# allowed_calls POLICY: every syscall name the policy allows on some
# arch, from its compiled listing.
allowed_calls() {
	d=$tmp/pfc.$$
	rm -rf "$d"
	mkdir -p "$d"
	"$LEASH" compile -t pfc -o "$d" "$1" >/dev/null 2>&1 || return 1
	awk '/^  [a-z_0-9]+ +allow/ { print $1 }' "$d"/*.pfc | sort -u
}

# strace_calls CMD...: the syscall names strace -f sees for CMD.
strace_calls() {
	# Output to a file, as when recorded: glibc asks a character
	# device such as /dev/null whether it is a terminal (ioctl).
	strace -f -qq -e trace=all -o "$tmp/strace.out" "$@" \
		>"$tmp/strace.stdout" 2>&1 </dev/null
	sed -nE 's/^[0-9]+ +([a-z_][a-z0-9_]*)\(.*/\1/p
		s/^[0-9]+ +<\.\.\. ([a-z_][a-z0-9_]*) resumed>.*/\1/p' \
		"$tmp/strace.out" | sort -u
}

# compare_strace NAME POLICY CMD...: strace's set within the policy's.
compare_strace() {
	name=$1 pol=$2
	shift 2
	if ! command -v strace >/dev/null; then
		skip "$name: strace comparison (strace not installed)"
		return
	fi
	strace_calls "$@" >"$tmp/s.calls"
	allowed_calls "$pol" >"$tmp/p.calls" || {
		not_ok "$name: the policy compiles to a listing"
		return
	}
	# strace names x86's socketcall() by the call it multiplexes
	# (socketpair, shutdown, ...); the filter allows socketcall.
	if grep -qx socketcall "$tmp/p.calls"; then
		for c in socket bind connect listen accept getsockname \
			getpeername socketpair send recv sendto recvfrom \
			shutdown setsockopt getsockopt sendmsg recvmsg \
			accept4 recvmmsg sendmmsg; do
			echo "$c"
		done >>"$tmp/p.calls"
		sort -u -o "$tmp/p.calls" "$tmp/p.calls"
	fi
	missing=$(comm -23 "$tmp/s.calls" "$tmp/p.calls" | tr '\n' ' ')
	ns=$(wc -l <"$tmp/s.calls")
	np=$(wc -l <"$tmp/p.calls")
	if [ -s "$tmp/s.calls" ] && [ -z "$missing" ]; then
		ok "$name: the policy allows all $ns calls strace sees ($np allowed)"
	else
		not_ok "$name: the policy allows every call strace sees"
		diag "strace: $ns calls, policy: $np; missing: $missing"
	fi
}

# bundle NAME POLICY: compile it for leash-exec, into $tmp/b/NAME.bundle.
bundle() {
	mkdir -p "$tmp/b"
	if "$LEASH" compile -t bundle -o "$tmp/b" "$2" >/dev/null \
		2>"$tmp/err"; then
		chmod 644 "$tmp/b"/*.bundle
		return 0
	fi
	not_ok "$1: compile -t bundle"
	diag_file "$tmp/err"
	return 1
}

# same NAME EXPECTED GOT: two outputs are equal.
same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diff "$2" "$3" | head -n 10 | sed 's/^/#   /'
	fi
}

# ---- tar czf of a tree --------------------------------------------------

mkdir -p "$tmp/tar/tree/sub" "$tmp/elsewhere"
echo one >"$tmp/tar/tree/a"
echo two >"$tmp/tar/tree/sub/b"
cd "$tmp/tar" || bail "cd"
if timeout 60 "$LEASH" record -o "$tmp/tar.leash" -- tar czf out.tgz tree \
	>"$tmp/out" 2>&1 && tar tzf out.tgz | sort >"$tmp/tar.list" &&
	[ -s "$tmp/tar.list" ]; then
	ok "tar: recorded, exit 0, the archive is whole"
else
	not_ok "tar: recorded, exit 0, the archive is whole"
	diag_file "$tmp/out"
fi
check_policy tar "$tmp/tar.leash"
compare_strace tar "$tmp/tar.leash" tar czf out.tgz tree
if bundle tar "$tmp/tar.leash"; then
	rm -f out.tgz
	if timeout 60 "$SHIM" "$tmp/b/tar.bundle" -- tar czf out.tgz tree \
		>"$tmp/out" 2>&1; then
		tar tzf out.tgz | sort >"$tmp/tar.list2"
		same "tar: the same archive under the recorded policy" \
			"$tmp/tar.list" "$tmp/tar.list2"
	else
		not_ok "tar: runs under the recorded policy"
		diag_file "$tmp/out"
	fi
	if timeout 60 "$SHIM" "$tmp/b/tar.bundle" -- tar czf ../elsewhere/x.tgz tree \
		>"$tmp/out" 2>&1; then
		not_ok "tar: a write outside the recorded trees is denied"
	else
		grep -q 'Permission denied' "$tmp/out" &&
			ok "tar: a write outside the recorded trees is denied" ||
			{ not_ok "tar: denied by Landlock"; diag_file "$tmp/out"; }
	fi
	timeout 60 "$SHIM" "$tmp/b/tar.bundle" -- /bin/bash -c 'echo escaped' \
		>"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -eq 126 ] && ! grep -q escaped "$tmp/out"; then
		ok "tar: exec of a shell the workload never ran is denied"
	else
		not_ok "tar: exec of bash is denied (exit $rc)"
		diag_file "$tmp/out"
	fi
fi
cd "$tmp" || bail "cd"

# ---- tar as nobody -------------------------------------------------------

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
	id nobody >/dev/null 2>&1; then
	asnobody() {
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	}
	mkdir -p "$tmp/nb"
	cp -r "$tmp/tar/tree" "$tmp/nb/"
	chown -R nobody "$tmp/nb"
	cd "$tmp/nb" || bail "cd"
	if asnobody "$LEASH" record -o "$tmp/nb/nb.leash" -- \
		tar czf out.tgz tree >"$tmp/out" 2>&1 &&
		grep -q 'drop all;  # the command ran without privilege' \
			"$tmp/nb/nb.leash"; then
		ok "tar as nobody: recorded, no capability"
	else
		not_ok "tar as nobody: recorded, no capability"
		diag_file "$tmp/out"
	fi
	check_policy "tar as nobody" "$tmp/nb/nb.leash"
	if bundle nobody "$tmp/nb/nb.leash"; then
		rm -f out.tgz
		if asnobody timeout 60 "$SHIM" "$tmp/b/nb.bundle" -- tar czf out.tgz \
			tree >"$tmp/out" 2>&1; then
			tar tzf out.tgz | sort >"$tmp/nb.list"
			same "tar as nobody: the same archive under the policy" \
				"$tmp/tar.list" "$tmp/nb.list"
		else
			not_ok "tar as nobody: runs under the recorded policy"
			diag_file "$tmp/out"
		fi
	fi
	cd "$tmp" || bail "cd"
else
	skip "tar as nobody: not root, or no setpriv or nobody"
fi

# ---- a multi-threaded program with a short-lived child, 64 and 32 bits ---

src=$srcdir/tests/live/record-prog.c
cc -O1 -pthread -o "$tmp/prog" "$src" 2>"$tmp/err" ||
	{ diag_file "$tmp/err"; bail "cannot build record-prog"; }
progs=prog
if cc -m32 -static -O1 -pthread -o "$tmp/prog32" "$src" 2>"$tmp/err"; then
	progs="prog prog32"
else
	skip "static 32-bit x86 program: gcc -m32 -static fails here (gcc-multilib)"
fi

for p in $progs; do
	mkdir -p "$tmp/$p.d"
	"$tmp/$p" "$tmp/$p.d" >"$tmp/$p.bare" 2>&1
	if timeout 60 "$LEASH" record -o "$tmp/$p.leash" -- "$tmp/$p" "$tmp/$p.d" \
		>"$tmp/$p.rec" 2>&1; then
		ok "$p: recorded, exit 0"
	else
		not_ok "$p: recorded, exit 0"
		diag_file "$tmp/$p.rec"
	fi
	same "$p: the same output recorded as bare" "$tmp/$p.bare" \
		"$tmp/$p.rec"
	check_policy "$p" "$tmp/$p.leash"
	if [ "$p" = prog32 ]; then
		if grep -q '^		arch x86_64, x86;' "$tmp/$p.leash" &&
			grep -q 'allow set_thread_area' "$tmp/$p.leash"; then
			ok "prog32: recorded on the x86 ABI (arch x86, set_thread_area)"
		else
			not_ok "prog32: recorded on the x86 ABI"
			diag_file "$tmp/$p.leash"
		fi
	else
		# Every thread and the child: clone for both, the child's
		# shutdown and read, the threads' sched_yield.
		if grep -q 'allow clone(' "$tmp/$p.leash" &&
			grep -q 'allow shutdown;' "$tmp/$p.leash" &&
			grep -q 'allow sched_yield;' "$tmp/$p.leash" &&
			grep -q 'allow wait4;' "$tmp/$p.leash"; then
			ok "prog: the threads and the child are recorded"
		else
			not_ok "prog: the threads and the child are recorded"
			diag_file "$tmp/$p.leash"
		fi
		# Arguments as named constants; SOCK_CLOEXEC masked off.
		if grep -q 'allow socketpair(family, type) if family in { AF_UNIX } && (type & 0xf) in { SOCK_STREAM };' "$tmp/$p.leash" &&
			grep -q 'allow clone(clone_flags) if (clone_flags & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)) == 0;' "$tmp/$p.leash"; then
			ok "prog: socketpair and clone get conditions of named constants"
		else
			not_ok "prog: socketpair and clone get conditions"
			grep -E 'socketpair|clone' "$tmp/$p.leash" >"$tmp/out"
			diag_file "$tmp/out"
		fi
	fi
	compare_strace "$p" "$tmp/$p.leash" "$tmp/$p" "$tmp/$p.d"
	bundle "$p" "$tmp/$p.leash" || continue
	timeout 60 "$SHIM" "$tmp/b/$p.bundle" -- "$tmp/$p" "$tmp/$p.d" >"$tmp/$p.re" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] && ok "$p: exit 0 under the recorded policy" ||
		not_ok "$p: exit 0 under the recorded policy (got $rc)"
	same "$p: the same output under the recorded policy" "$tmp/$p.bare" \
		"$tmp/$p.re"
	# evil WHAT EXPECTED...: the last line of the program's answer.
	evil() {
		what=$1
		shift
		timeout 60 "$SHIM" "$tmp/b/$p.bundle" -- "$tmp/$p" "$tmp/$p.d" $what \
			>"$tmp/out" 2>&1
		got=$(tail -n 1 "$tmp/out")
		for want in "$@"; do
			if [ "$got" = "$want" ]; then
				ok "$p: $what is denied ($got)"
				return
			fi
		done
		not_ok "$p: $what is denied (got '$got')"
	}
	evil unshare "unshare: EPERM"
	evil inet6 "inet6: EAFNOSUPPORT" "inet6: EPERM"
	evil "write $tmp/outside" "write: EACCES"
	evil "exec /bin/sh" "exec: EACCES" "exec: EPERM"
done

# ---- servers and their clients ------------------------------------------

# Each script DATA PORT [EXTRA] starts a server on PORT in the
# background, waits until it answers, makes requests, prints the
# answers and stops it.  EXTRA, in the replay only, is one request more
# that asks the server itself to do what the recorded run never did.
mkdir -p "$tmp/www" "$tmp/ng/html" "$tmp/rd" "$tmp/app/data"
echo "hello from leash record" >"$tmp/www/index.html"
echo "hello from nginx" >"$tmp/ng/html/index.html"
chmod -R a+rX "$tmp/www" "$tmp/ng"
chown nobody "$tmp/rd" "$tmp/app/data" 2>/dev/null
cp "$srcdir/tests/live/programs/app.py" "$tmp/app/" || bail "cp app.py"

# The servers get half a second before the first try: a first request
# refused or a retry makes calls (sleep's, a connect in progress) that
# only some runs make, and strace's run is compared with the recorded.
wait_http='sleep 0.5; i=0; until curl -s -o /dev/null "http://127.0.0.1:$2/" || [ $i -ge 100 ]; do sleep 0.1; i=$((i+1)); done'
script() {
	{
		echo '#!/bin/sh'
		echo "$2"
		echo 'exit 0'
	} >"$tmp/$1.sh"
	chmod 755 "$tmp/$1.sh"
}
script httpd 'busybox httpd -f -p 127.0.0.1:$2 -h "$1" & pid=$!
'"$wait_http"'
curl -s "http://127.0.0.1:$2/index.html"
kill $pid
wait $pid'
script pyhttp '/usr/bin/python3 -m http.server -b 127.0.0.1 -d "$1" $2 >/dev/null 2>&1 & pid=$!
'"$wait_http"'
curl -s "http://127.0.0.1:$2/index.html"
kill $pid
wait $pid'
sed "s/127.0.0.1:18080/127.0.0.1:$NGINX_PORT/" \
	"$srcdir/tests/live/programs/nginx.conf" >"$tmp/ng/nginx.conf"
script nginx 'nginx -p "$1/" -c "$1/nginx.conf" -e stderr 2>/dev/null & pid=$!
'"$wait_http"'
curl -s "http://127.0.0.1:$2/index.html"
kill -QUIT $pid
wait $pid'
script redis 'redis-server --port $2 --bind 127.0.0.1 --dir "$1" --save "" --appendonly no --daemonize no --logfile "" >/dev/null 2>&1 & pid=$!
sleep 0.5; i=0; until [ "$(redis-cli -p $2 PING 2>/dev/null)" = PONG ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i+1)); done
redis-cli -p $2 SET leash works
redis-cli -p $2 GET leash
redis-cli -p $2 SHUTDOWN NOSAVE >/dev/null 2>&1
wait $pid'
script wsgi '/usr/bin/python3 -B "$1/../app.py" $2 "$1" >/dev/null 2>&1 & pid=$!
'"$wait_http"'
curl -s "http://127.0.0.1:$2/count"; echo
[ -n "$3" ] && { curl -s "http://127.0.0.1:$2$3"; echo; }
curl -s "http://127.0.0.1:$2/quit"; echo
wait $pid'

# A server the recorded workloads never talked to.
if command -v busybox >/dev/null; then
	busybox httpd -f -p "127.0.0.1:$OTHER_PORT" -h "$tmp/www" &
	pids="$pids $!"
fi

for w in httpd:$HTTPD_PORT:busybox:www pyhttp:$PY_PORT:python3:www \
	nginx:$NGINX_PORT:nginx:ng redis:$REDIS_PORT:redis-server:rd \
	wsgi:$WSGI_PORT:python3:app/data; do
	name=${w%%:*}
	rest=${w#*:}
	port=${rest%%:*}
	rest=${rest#*:}
	need=${rest%%:*}
	data=${rest#*:}
	if ! command -v "$need" >/dev/null || ! command -v curl >/dev/null; then
		skip "$name: $need or curl not installed"
		continue
	fi
	if [ "$name" = nginx ] && [ "$(id -u)" -ne 0 ]; then
		skip "nginx: starts as root"
		continue
	fi
	rm -f "$tmp/app/data/hits"
	timeout 60 "$tmp/$name.sh" "$tmp/$data" "$port" >"$tmp/$name.bare" \
		2>"$tmp/err"
	rm -f "$tmp/app/data/hits"
	if timeout 60 "$LEASH" record -o "$tmp/$name.leash" -- \
		"$tmp/$name.sh" "$tmp/$data" "$port" >"$tmp/$name.rec" \
		2>"$tmp/err" && [ -s "$tmp/$name.bare" ]; then
		same "$name: recorded, exit 0, the same answers as bare" \
			"$tmp/$name.bare" "$tmp/$name.rec"
	else
		not_ok "$name: recorded, exit 0"
		diag_file "$tmp/err"
	fi
	check_policy "$name" "$tmp/$name.leash"
	if grep -q "allow bind tcp $port;" "$tmp/$name.leash" &&
		grep -q "allow connect tcp $port;" "$tmp/$name.leash"; then
		ok "$name: the port bound and connected to is recorded"
	else
		not_ok "$name: the port bound and connected to is recorded"
		diag_file "$tmp/$name.leash"
	fi
	rm -f "$tmp/app/data/hits"
	compare_strace "$name" "$tmp/$name.leash" "$tmp/$name.sh" \
		"$tmp/$data" "$port"
	bundle "$name" "$tmp/$name.leash" || continue
	rm -f "$tmp/app/data/hits"
	if timeout 60 "$SHIM" "$tmp/b/$name.bundle" -- "$tmp/$name.sh" \
		"$tmp/$data" "$port" >"$tmp/$name.re" 2>"$tmp/err"; then
		same "$name: the same answers under the recorded policy" \
			"$tmp/$name.bare" "$tmp/$name.re"
	else
		not_ok "$name: runs under the recorded policy"
		diag_file "$tmp/err"
	fi
	if curl -s -o /dev/null "http://127.0.0.1:$OTHER_PORT/"; then
		if timeout 60 "$SHIM" "$tmp/b/$name.bundle" -- curl -s \
			-o /dev/null "http://127.0.0.1:$OTHER_PORT/" 2>"$tmp/err"
		then
			not_ok "$name: a connect to a port never used is denied"
		else
			ok "$name: a connect to a port never used is denied"
		fi
	else
		skip "$name: no server on port $OTHER_PORT to be denied"
	fi
done

# nginx's master runs as root and its workers as nobody: the recorded
# capabilities are the ones that needs.
if [ -s "$tmp/nginx.leash" ]; then
	if grep -q '^		add SETUID;' "$tmp/nginx.leash" &&
		grep -q '^		add SETGID;' "$tmp/nginx.leash"; then
		ok "nginx: SETUID and SETGID inferred from its set*id calls"
	else
		not_ok "nginx: SETUID and SETGID inferred"
		sed -n '/capabilities/,/}/p' "$tmp/nginx.leash" >"$tmp/out"
		diag_file "$tmp/out"
	fi
fi

# The WSGI app, asked from inside to do what it never did while
# recorded: each answer is the errno's name.  (Its /fork cannot be
# refused: the workload's shell forks too, with the same clone.)
if [ -s "$tmp/b/wsgi.bundle" ]; then
	for q in "/connect?$OTHER_PORT" "/write?$tmp/elsewhere/x"; do
		rm -f "$tmp/app/data/hits"
		timeout 60 "$SHIM" "$tmp/b/wsgi.bundle" -- "$tmp/wsgi.sh" \
			"$tmp/app/data" "$WSGI_PORT" "$q" >"$tmp/out" 2>&1
		got=$(sed -n 3p "$tmp/out")
		case $got in
		EACCES | EPERM | EAFNOSUPPORT)
			ok "wsgi: GET $q is refused inside the server ($got)" ;;
		*)
			not_ok "wsgi: GET $q is refused inside the server (got '$got')"
			diag_file "$tmp/out" ;;
		esac
	done
fi

# --merge: a second workload united with the first recorded policy; a
# hand edit outside the recorded blocks survives, both workloads run
# under the result.
cp "$tmp/prog.leash" "$tmp/m.leash"
sed -i 's|^policy "prog" {|&\n\tlimits { nofile 1024; }  # a hand edit|' "$tmp/m.leash"
echo "# a note after the policy" >>"$tmp/m.leash"
cd "$tmp/tar" || bail "cd"
if timeout 60 "$LEASH" record --merge "$tmp/m.leash" -- tar cf \
	"$tmp/prog.d/m.tar" tree >"$tmp/out" 2>&1 &&
	grep -q 'limits { nofile 1024; }  # a hand edit' "$tmp/m.leash" &&
	grep -q '^# a note after the policy' "$tmp/m.leash" &&
	grep -q 'allow socketpair(' "$tmp/m.leash" &&
	grep -q '"/usr/bin/tar"' "$tmp/m.leash"; then
	ok "--merge: both runs in the policy, the hand edits kept"
else
	not_ok "--merge: both runs in the policy, the hand edits kept"
	diag_file "$tmp/out"
fi
check_policy "--merge" "$tmp/m.leash"
if bundle merged "$tmp/m.leash"; then
	timeout 60 "$SHIM" "$tmp/b/prog.bundle" -- "$tmp/prog" "$tmp/prog.d" \
		>/dev/null 2>&1 &&
	timeout 60 "$SHIM" "$tmp/b/prog.bundle" -- tar cf \
		"$tmp/prog.d/m.tar" tree >/dev/null 2>&1 &&
		ok "--merge: both workloads run under the merged policy" ||
		not_ok "--merge: both workloads run under the merged policy"
fi
cd "$tmp" || bail "cd"
cp "$tmp/m.leash" "$tmp/m.before"
echo 'leash 1; policy "x" { }' >"$tmp/hand.leash"
timeout 60 "$LEASH" record --merge "$tmp/hand.leash" -- true >/dev/null \
	2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] && grep -q 'not a policy that leash record wrote' \
	"$tmp/err" && grep -q '^leash 1; policy "x" { }$' "$tmp/hand.leash" &&
	ok "--merge of a policy leash record did not write: exit 1, untouched" ||
	not_ok "--merge of a policy leash record did not write (got $rc)"

# ---- faults ------------------------------------------------------------------

timeout 60 "$LEASH" record -o "$tmp/nf.leash" -- no-such-command-here >/dev/null 2>&1
rc=$?
[ "$rc" -eq 127 ] && [ ! -e "$tmp/nf.leash" ] &&
	ok "a command not found: 127, no policy" ||
	not_ok "a command not found: 127, no policy (got $rc)"

timeout 60 "$LEASH" record -o "$tmp/sig.leash" -- sh -c 'kill -TERM $$' >/dev/null 2>&1
rc=$?
[ "$rc" -eq 143 ] && "$LEASH" check "$tmp/sig.leash" >/dev/null 2>&1 &&
	grep -q 'allow kill(' "$tmp/sig.leash" &&
	ok "a program killed by SIGTERM: 143, its policy written" ||
	not_ok "a program killed by SIGTERM: 143, its policy written (got $rc)"
grep -q 'sig) if sig in { 15 }' "$tmp/sig.leash" &&
	ok "kill's signal is a condition" ||
	{ not_ok "kill's signal is a condition"; grep kill "$tmp/sig.leash" | diag_file /dev/stdin; }

timeout 60 "$LEASH" record -o "$tmp/sig.leash" -- true >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q 'exists; --force' "$tmp/err" &&
	ok "an existing -o file is refused without --force" ||
	not_ok "an existing -o file is refused without --force (got $rc)"
timeout 60 "$LEASH" record --force -o "$tmp/sig.leash" -- sh -c 'exit 3' >/dev/null 2>&1
rc=$?
[ "$rc" -eq 3 ] && ! grep -q 'allow kill(' "$tmp/sig.leash" &&
	ok "--force replaces it; exit status 3 passed through" ||
	not_ok "--force replaces it; exit status 3 passed through (got $rc)"

timeout 60 "$LEASH" record --default 'errno(EBOGUS)' -o "$tmp/d.leash" -- true \
	>/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] && [ ! -e "$tmp/d.leash" ] &&
	ok "a bad --default is a usage error before the run" ||
	not_ok "a bad --default is a usage error (got $rc)"
timeout 60 "$LEASH" record --default kill -o "$tmp/d.leash" -- true >/dev/null 2>&1 &&
	grep -q '^		default kill;' "$tmp/d.leash" &&
	ok "--default kill is the policy's default" ||
	not_ok "--default kill is the policy's default"

# '_' is the shell's note of the last command it ran, not the program's.
env | grep -v '^_=' | sort >"$tmp/env.bare"
timeout 60 "$LEASH" record -o "$tmp/env.leash" -- env >"$tmp/env.rec" 2>&1
grep -v '^_=' "$tmp/env.rec" | sort >"$tmp/env.rec.sorted"
same "the environment is passed unchanged" "$tmp/env.bare" \
	"$tmp/env.rec.sorted"

# The recorder killed with SIGKILL: the program dies with it, and what
# was written by then is a whole policy that names what ran first.
"$LEASH" record -o "$tmp/k.leash" -- sh -c \
	'cat /etc/hostname >/dev/null; sleep 5' >/dev/null 2>&1 &
rp=$!
sleep 1
kill -KILL "$rp"
wait "$rp" 2>/dev/null
if [ -s "$tmp/k.leash" ] && "$LEASH" check "$tmp/k.leash" >/dev/null 2>&1 &&
	grep -q '"/etc/hostname"' "$tmp/k.leash"; then
	ok "a recorder killed with SIGKILL leaves what it had seen"
else
	not_ok "a recorder killed with SIGKILL leaves what it had seen"
fi

# Ctrl-C: SIGINT to the process group (env resets SIGINT, which a
# background job starts with ignored).
if command -v setsid >/dev/null; then
	setsid env --default-signal=INT "$LEASH" record -o "$tmp/int.leash" \
		-- sh -c 'sleep 5' >/dev/null 2>&1 &
	rp=$!
	sleep 1
	kill -INT -"$rp"
	wait "$rp"
	rc=$?
	[ "$rc" -eq 130 ] && grep -q '"/usr/bin/sleep"' "$tmp/int.leash" &&
		ok "Ctrl-C: 130, the policy written" ||
		not_ok "Ctrl-C: 130, the policy written (got $rc)"
else
	skip "Ctrl-C: no setsid"
fi

# A kernel without what the recorder needs, played by a filter: ptrace
# or seccomp refused.  One line, exit 1, no policy.
for what in ptrace seccomp; do
	cat >"$tmp/no-$what.leash" <<EOF
leash 1;
policy "no-$what" { seccomp { default allow; errno(ENOSYS) $what; } }
EOF
	if "$LEASH" compile -t bundle -o "$tmp/b" "$tmp/no-$what.leash" \
		>/dev/null 2>&1; then
		# An ASan build's leak check ptraces too: not here.
		timeout 60 "$SHIM" "$tmp/b/no-$what.bundle" -- env \
			ASAN_OPTIONS=detect_leaks=0 "$LEASH" record \
			-o "$tmp/nk.leash" -- true >/dev/null 2>"$tmp/err"
		rc=$?
		if [ "$rc" -eq 1 ] && [ ! -e "$tmp/nk.leash" ] &&
			[ "$(wc -l <"$tmp/err")" -eq 1 ] &&
			grep -q "$what" "$tmp/err"; then
			ok "no $what: one line ($(cat "$tmp/err")), exit 1, no policy"
		else
			not_ok "no $what: one line, exit 1, no policy (got $rc)"
			diag_file "$tmp/err"
		fi
	else
		not_ok "compile no-$what.leash"
	fi
done

# x32: recorded as its own arch, where the kernel runs x32 programs.
printf 'int main(void) { return 0; }\n' >"$tmp/x32.c"
if cc -mx32 -static -o "$tmp/x32" "$tmp/x32.c" 2>/dev/null &&
	"$tmp/x32" 2>/dev/null; then
	timeout 60 "$LEASH" record -o "$tmp/x32.leash" -- "$tmp/x32" \
		>/dev/null 2>&1
	grep -q '^		arch x86_64, x32;' "$tmp/x32.leash" &&
		ok "an x32 program is recorded as x32" ||
		not_ok "an x32 program is recorded as x32"
else
	skip "x32: this kernel or compiler has no x32 ABI"
fi

# A group of <groups.leash> whose every call was seen is one line, and
# the policy includes the groups (chown's -1 changes nothing: no
# capability is needed).
touch "$tmp/chf"
if command -v python3 >/dev/null &&
	timeout 60 "$LEASH" record -o "$tmp/grp.leash" -- /usr/bin/python3 -c "
import os
fd = os.open('$tmp/chf', os.O_RDONLY)
os.fchown(fd, -1, -1)
os.chown('$tmp/chf', -1, -1)
os.lchown('$tmp/chf', -1, -1)
os.chown('chf', -1, -1, dir_fd=os.open('$tmp', os.O_RDONLY))
" >/dev/null 2>&1; then
	grep -q '^		allow @chown;  # 4, all 4 calls of the group' \
		"$tmp/grp.leash" &&
		grep -q '^include <groups.leash>;' "$tmp/grp.leash" &&
		! grep -q 'add CHOWN' "$tmp/grp.leash" &&
		ok "a whole group seen is one line: allow @chown" ||
		not_ok "a whole group seen is one line: allow @chown"
	check_policy "@chown" "$tmp/grp.leash"
else
	skip "groups: python3 not installed"
fi

# The same observations give the same bytes.
cd "$tmp/tar" || bail "cd"
timeout 60 "$LEASH" record -o "$tmp/det1.leash" -- tar cf out2.tar tree >/dev/null 2>&1
timeout 60 "$LEASH" record -o "$tmp/det2.leash" -- tar cf out2.tar tree >/dev/null 2>&1
sed 's/^policy "det[12]"/policy "det"/' "$tmp/det1.leash" >"$tmp/det1.n"
sed 's/^policy "det[12]"/policy "det"/' "$tmp/det2.leash" >"$tmp/det2.n"
same "two recordings of one run give the same bytes" "$tmp/det1.n" \
	"$tmp/det2.n"
cd "$tmp" || bail "cd"

tap_end
