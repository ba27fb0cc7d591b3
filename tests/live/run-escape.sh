#!/bin/sh
# run-escape.sh - the attacks of leash-exec's security review, each one
# reproduced against the real shim, as root and (where it applies) as
# nobody.  The checks of 1 (root's user namespaces), 2 (TIOCSTI), 3, 4,
# 5 (refusal), 6 (file capabilities), 7, 8, 9 and 10 got the wrong answer
# from the shim the review was about (leash-exec of commit 5c05f40); the
# others (Ctrl-C, nobody's ids, set-user-ID) show that what worked still
# does.  A "control" line shows that the attack works without leash-exec
# on this machine, so that the refusal means something.  Prints TAP.
#
#  1. user ids: the program is on the host who the table in
#     leash-exec(1) says (read from /proc/PID/status while it runs), not
#     root behind a namespace's uid: no /etc/shadow, no core_pattern, no
#     signal to pid 1
#  2. terminal: no ioctl(TIOCSTI) into the caller's terminal, for any
#     policy; Ctrl-C still reaches the program
#  3. uid 0 without capabilities: /proc/sys, the cgroup files, /sys and
#     /proc/sysrq-trigger are read-only, /dev is a minimal one
#  4. Landlock scoping: no signal, no abstract unix socket outside the
#     sandbox, unless 'unscoped signal'
#  5. an older Landlock ABI (faked by LD_PRELOAD): refused, unless
#     --landlock=best-effort, which warns
#  6. a file-capable or set-user-ID copy of leash-exec refuses to run
#  7. a policy path through a symbolic link planted by another user is
#     refused
#  8. deny inside an allowed tree, mask, readonly, read_only_root
#  9. nothing the program starts outlives it, nor a killed leash-exec's
#     cgroup; and a live leash-exec of another pid namespace is not taken
#     for a killed one
# 10. a bundle someone else could have written is refused
#
# Policies: tests/live/escape-*.leash (/ESCAPE_TMP becomes the temporary
# directory, /ESCAPE_DEMO the planted link).  The program is mostly
# tests/live/escape-probe (one attempt, "ok" or the errno's name).  What
# the host keeps: nothing.  core_pattern, sysrq-trigger and the cgroup
# files are only opened for writing and closed unwritten; every process
# started here is killed, every file and cgroup removed (EXIT trap).

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

require_x86_64
require_tools
SHIM=${LEASH_EXEC:-$builddir/leash-exec}
EPROBE=${LEASH_ESCAPE_PROBE:-$builddir/tests/live/escape-probe}
[ -x "$SHIM" ] || bail "leash-exec '$SHIM' not built"
[ -x "$EPROBE" ] || bail "probe '$EPROBE' not built (make check builds it)"
[ "$(id -u)" -eq 0 ] ||
	skip_all "run-escape.sh runs as root and as nobody, chowns files and sets file capabilities: it needs root"
command -v setpriv >/dev/null 2>&1 ||
	skip_all "the runs as nobody need setpriv (Debian package util-linux)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leash-escape.XXXXXX") || bail "mktemp failed"
# The planted link of reproduction 7 and its target: in /tmp itself,
# where anyone may create them.
demo=/tmp/leash-escape-demo.$$
target=/tmp/leash-escape-target.$$
rrdir=
bgpids=

# kill_ours: every process whose command line names $tmp (programs,
# leash-exec runs, the pty driver: no one else's does).
kill_ours() {
	for _p in /proc/[0-9]*; do
		_pid=${_p#/proc/}
		[ "$_pid" = $$ ] && continue
		if { tr '\0' ' ' <"$_p/cmdline"; } 2>/dev/null |
			grep -q -F "$tmp/"; then
			kill -KILL "$_pid" 2>/dev/null
		fi
	done
}

cleanup() {
	for _p in $bgpids; do
		kill -KILL "$_p" 2>/dev/null
	done
	kill_ours
	# The cgroups our runs made (recorded as they showed up); a
	# leash-exec killed on purpose leaves one behind.
	if [ -s "$tmp/cgroups" ]; then
		sort -u "$tmp/cgroups" | while read -r _d; do
			case ${_d##*/} in
			leash-exec.[0-9]*) ;;
			*) continue ;;
			esac
			[ -d "$_d" ] || continue
			for _i in 1 2 3 4 5 6 7 8 9 10; do
				[ -s "$_d/cgroup.procs" ] || break
				xargs -r kill -KILL <"$_d/cgroup.procs" 2>/dev/null
				sleep 0.2
			done
			rmdir "$_d" 2>/dev/null
		done
	fi
	rm -f "$demo"
	rm -rf "$target"
	[ -n "$rrdir" ] && rm -rf "$rrdir"
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ulimit -c 0 2>/dev/null

# nobody must reach the probe, the bundles and the rw/ tree.
mkdir -p "$tmp/bin" "$tmp/b" "$tmp/src" "$tmp/rw" "$tmp/lib" ||
	bail "mkdir failed"
cp "$EPROBE" "$tmp/bin/escape-probe" || bail "cannot copy the probe"
cp "$(command -v sleep)" "$tmp/bin/sleep" || bail "cannot copy sleep"
chmod 755 "$tmp" "$tmp/bin" "$tmp/b" "$tmp/src" "$tmp/lib" \
	"$tmp/bin/escape-probe" "$tmp/bin/sleep"
chmod 1777 "$tmp/rw"
probe=$tmp/bin/escape-probe
# The program that stands still while the host looks at it: found by
# its argv[0].
sleeper=$tmp/bin/sleep

# ---- helpers -------------------------------------------------------------

NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

# shim_opt WHO OPTION BUNDLE CMD...: the same with one leash-exec option.
shim_opt() {
	_who=$1
	_o=$2
	_b=$3
	shift 3
	as "$_who" "$SHIM" "$_o" "$tmp/b/$_b.bundle" -- "$@"
}

# check DESC GOT WANT: one TAP line; WANT may be "A|B".
check() {
	if matches "$2" "$3"; then
		ok "$1: $2"
	else
		not_ok "$1: got '$2', want '$3'"
	fi
}

# pids_of ARGV0: the processes whose argv[0] is ARGV0.
pids_of() {
	grep -s -l -z -x -F -- "$1" /proc/[0-9]*/cmdline 2>/dev/null |
	while read -r _f; do
		_a=$({ tr '\0' '\n' <"$_f"; } 2>/dev/null | head -n 1)
		[ "$_a" = "$1" ] || continue
		_p=${_f#/proc/}
		echo "${_p%/cmdline}"
	done
}

# wait_for CMD...: up to 10 s for CMD to succeed.
wait_for() {
	_i=0
	while [ $_i -lt 100 ]; do
		"$@" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# runs_exe PID FILE: PID has exec'd FILE.
runs_exe() {
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$2" ]
}

# sleeping, none_sleeping: whether a sleeper runs; gone_soon: none
# within 2 s (the kernel's teardown, not the 20 or 30 s of a survivor).
sleeping() {
	[ -n "$(pids_of "$sleeper")" ]
}
none_sleeping() {
	[ -z "$(pids_of "$sleeper")" ]
}
gone_soon() {
	_i=0
	while [ $_i -lt 20 ]; do
		none_sleeping && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# host_ids PID: "UID/GID/[GROUPS]" of PID as the host sees it (all four
# uids when they differ).
host_ids() {
	awk '/^Uid:/ { u = ($2 == $3 && $2 == $4 && $2 == $5) ? $2 : $2 "," $3 "," $4 "," $5 }
	     /^Gid:/ { g = ($2 == $3 && $2 == $4 && $2 == $5) ? $2 : $2 "," $3 "," $4 "," $5 }
	     /^Groups:/ { $1 = ""; sub(/^ +/, ""); gr = $0 }
	     END { printf "%s/%s/[%s]\n", u, g, gr }' "/proc/$1/status" 2>/dev/null
}

# record_cgroups FILE: the leash-exec cgroups in the /proc/self/cgroup
# a program printed, each hierarchy's, for the EXIT trap; prints the one
# of the pids controller (v1, else v2) as /proc/self/cgroup names it.
record_cgroups() {
	awk -F: '$3 ~ /\/leash-exec\.[0-9]+$/ {
		if ($2 == "") {
			print "/sys/fs/cgroup" $3
			print "/sys/fs/cgroup/unified" $3
			next
		}
		n = split($2, c, ",")
		for (i = 1; i <= n; i++) {
			sub(/^name=/, "", c[i])
			print "/sys/fs/cgroup/" c[i] $3
		}
	}' "$1" >>"$tmp/cgroups"
	sed -n 's/^[0-9]*:\(pids\)\{0,1\}:\(.*\/leash-exec\.[0-9]*\)$/\2/p' "$1" | head -n 1
}

# cgroup_exists CG: the cgroup CG (a path as /proc/self/cgroup shows
# it) is still there, v1 pids or v2.
cgroup_exists() {
	[ -d "/sys/fs/cgroup/pids$1" ] || [ -d "/sys/fs/cgroup/unified$1" ] ||
		[ -d "/sys/fs/cgroup$1" ]
}

# ---- compile -------------------------------------------------------------

for pol in user tty root landlock unscoped tree symlink; do
	sed -e "s|/ESCAPE_TMP|$tmp|g" -e "s|/ESCAPE_DEMO|$demo|g" \
		"$srcdir/tests/live/escape-$pol.leash" >"$tmp/src/escape-$pol.leash" ||
		bail "sed failed"
	if "$LEASH" compile -I "$srcdir/profiles" -t bundle -o "$tmp/b" \
		"$tmp/src/escape-$pol.leash" >/dev/null 2>"$tmp/err" </dev/null; then
		ok "leash compile -t bundle escape-$pol.leash"
	else
		not_ok "leash compile -t bundle escape-$pol.leash"
		grep -v ': note: ' "$tmp/err" | head -n 10 | sed 's/^/#   /'
	fi
done
chmod 644 "$tmp"/b/*.bundle "$tmp"/src/*.leash 2>/dev/null

whos="root nobody"

# The kernel's Landlock ABI: scoping came with 6, and the allow-list
# policies here handle every right of ABI 5 (leash-exec refuses to run
# them on an older one without --landlock=best-effort).
ll_abi=$("$probe" landlock-abi)
diag "Landlock ABI $ll_abi"

# need_ll N WHAT: true when the ABI is at least N, else a skip line.
need_ll() {
	[ "$ll_abi" -ge "$1" ] && return 0
	skip "$2: this kernel's Landlock ABI $ll_abi is older than $1"
	return 1
}

# ==== 1. who the program is, on the host and inside ======================
#
# The program prints who it is inside, then execs the sleeper; the host
# reads the sleeper's /proc/PID/status.  Expected (leash-exec(1)): root
# maps the policy's user to itself and no user to nobody; nobody can only
# map itself.  OWN is the caller's own supplementary groups (root keeps
# them when the policy names no user and no namespace).
own_groups=$(awk '/^Groups:/ { $1 = ""; sub(/^ +/, ""); print }' /proc/$$/status)

# ids_run WHO BUNDLE: $got = "host U/G/[GROUPS] inside U/G".
ids_run() {
	rm -f "$tmp/ids.out" "$tmp/ids.err"
	shim "$1" "$2" /bin/sh -c \
		'echo "inside $(id -u)/$(id -g)"; exec "$0" 20' "$sleeper" \
		>"$tmp/ids.out" 2>"$tmp/ids.err" </dev/null &
	_bg=$!
	_host="(the program never ran)"
	if wait_for sleeping; then
		_pid=$(pids_of "$sleeper" | head -n 1)
		_host=$(host_ids "$_pid")
		kill -KILL $(pids_of "$sleeper") 2>/dev/null
	fi
	kill -KILL $(pids_of "$sleeper") 2>/dev/null
	wait $_bg
	got="host $_host inside $(sed -n 's/^inside //p' "$tmp/ids.out")"
}

# want_ids WHO USER NS: what ids_run should see.
want_ids() {
	if [ "$1" = nobody ]; then
		case $2 in
		none|0) echo "host 65534/65534/[] inside 0/0" ;;
		*) echo "host 65534/65534/[] inside $2/$2" ;;
		esac
		return
	fi
	case $2:$3 in
	none:no) echo "host 0/0/[$own_groups] inside 0/0" ;;
	0:no) echo "host 0/0/[] inside 0/0" ;;
	none:ns|0:ns) echo "host 65534/65534/[] inside 0/0" ;;
	*) echo "host $2/$2/[] inside $2/$2" ;;
	esac
}

for who in $whos; do
	for user in none 0 1000 65534; do
		for ns in no ns; do
			b=u_$user
			[ $ns = ns ] && b=${b}_ns
			ids_run "$who" "$b"
			want=$(want_ids "$who" "$user" "$ns")
			desc="ids: $who runs user $user, $( [ $ns = ns ] && echo 'namespaces user' || echo 'no user namespace')"
			if [ "$got" = "$want" ]; then
				ok "$desc: $got"
			else
				not_ok "$desc: got '$got', want '$want'"
				diag_file "$tmp/ids.err"
			fi
		done
	done
done

# What a host root behind a namespace's uid could do.
if [ -e /etc/shadow ]; then
	expect "root, user 65534:65534 + namespaces user: read /etc/shadow" EACCES \
		shim root u_65534_ns "$probe" open-r /etc/shadow
	expect "root, namespaces user, no user: read /etc/shadow" EACCES \
		shim root u_none_ns "$probe" open-r /etc/shadow
	expect "root, user 1000:1000 + namespaces user: read /etc/shadow" EACCES \
		shim root u_1000_ns "$probe" open-r /etc/shadow
	expect "nobody, user 0:0 + namespaces user: read /etc/shadow" EACCES \
		shim nobody u_0_ns "$probe" open-r /etc/shadow
else
	skip "no /etc/shadow on this machine"
fi
expect "root, user 65534:65534 + namespaces user: open core_pattern for writing" \
	"EACCES|EROFS|EPERM" \
	shim root u_65534_ns "$probe" open-w /proc/sys/kernel/core_pattern
expect "root, namespaces user, no user: open core_pattern for writing" \
	"EACCES|EROFS|EPERM" \
	shim root u_none_ns "$probe" open-w /proc/sys/kernel/core_pattern
expect "nobody, user 0:0 + namespaces user: open core_pattern for writing" \
	"EACCES|EROFS|EPERM" \
	shim nobody u_0_ns "$probe" open-w /proc/sys/kernel/core_pattern
expect "control: root may signal pid 1 without leash-exec" ok \
	limit 30 "$probe" kill 1 0
expect "root, user 65534:65534 + namespaces user: kill(1, 0)" EPERM \
	shim root u_65534_ns "$probe" kill 1 0
expect "nobody, user 0:0 + namespaces user: kill(1, 0)" EPERM \
	shim nobody u_0_ns "$probe" kill 1 0

# ==== 2. the terminal =====================================================
#
# tests/live/pty-run.py is not a file of its own: the driver is written
# here.  pty-run.py SECONDS MARKER CMD...: CMD on a new pseudo-terminal,
# its controlling terminal; when MARKER shows in the output, type the
# terminal's interrupt character (MARKER "-": never).  Prints the output
# (no CRs), exits with CMD's status (128+N for a signal); kills CMD's
# process group when it overruns or is done.
PY=
for _py in /usr/bin/python3 "$(command -v python3 2>/dev/null)"; do
	if [ -n "$_py" ] && [ -x "$_py" ] && "$_py" -c 'import pty, termios' 2>/dev/null; then
		PY=$_py
		break
	fi
done
cat >"$tmp/pty-run.py" <<'EOF'
import os, pty, select, signal, sys, termios, time

timeout = float(sys.argv[1])
marker = sys.argv[2].encode()
cmd = sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
intr = termios.tcgetattr(fd)[6][termios.VINTR]
if isinstance(intr, int):
    intr = bytes([intr])
out = b""
sent = marker == b"-"
status = None
deadline = time.monotonic() + timeout
drain = None
while True:
    now = time.monotonic()
    if now > deadline:
        out += b"\n[pty-run: timed out]\n"
        break
    if drain is not None and now > drain:
        break
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            if status is None:
                status = os.waitpid(pid, 0)[1]
            break
        out += data
    if not sent and marker in out:
        os.write(fd, intr)
        sent = True
    if status is None:
        w, st = os.waitpid(pid, os.WNOHANG)
        if w == pid:
            status = st
            # What is left of the output; a background process may
            # hold the terminal open for longer.
            drain = time.monotonic() + 0.5
try:
    os.killpg(pid, signal.SIGKILL)
except OSError:
    pass
if status is None:
    status = os.waitpid(pid, 0)[1]
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
sys.stdout.flush()
if os.WIFEXITED(status):
    sys.exit(os.WEXITSTATUS(status))
sys.exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else 125)
EOF
chmod 644 "$tmp/pty-run.py"

# on_pty MARKER CMD...: CMD on a terminal of its own (output in
# $tmp/pty.out, status in $rc).
on_pty() {
	_m=$1
	shift
	limit 40 "$PY" "$tmp/pty-run.py" 25 "$_m" "$@" >"$tmp/pty.out" 2>&1 </dev/null
	rc=$?
}

# tiocsti_answer: what the probe said about TIOCSTI in $tmp/pty.out.
tiocsti_answer() {
	sed -n 's/.*tiocsti: \([A-Za-z0-9]*\).*/\1/p' "$tmp/pty.out" | head -n 1
}

if [ -z "$PY" ]; then
	skip "the terminal tests need python3 (its pty module)"
else
	for who in $whos; do
		pfx=
		[ $who = nobody ] && pfx=$NOBODY
		# Without leash-exec the attack works (dev.tty.legacy_tiocsti,
		# 6.2 and later, may forbid it to all but CAP_SYS_ADMIN).
		on_pty - $pfx "$probe" tiocsti
		a=$(tiocsti_answer)
		if [ "$a" = ok ]; then
			ok "control: $who can push input with TIOCSTI without leash-exec"
		else
			skip "$who: this kernel refuses TIOCSTI already ($a; dev.tty.legacy_tiocsti=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null))"
		fi
		for b in tty_plain tty_docker tty_landlock tty_userns; do
			if [ $b = tty_landlock ]; then
				need_ll 5 "$who, $b" || continue
			fi
			on_pty - $pfx "$SHIM" "$tmp/b/$b.bundle" -- "$probe" tiocsti
			a=$(tiocsti_answer)
			if [ "$a" = EPERM ]; then
				ok "$who, $b: ioctl(0, TIOCSTI) under leash-exec: EPERM"
			else
				not_ok "$who, $b: ioctl(0, TIOCSTI) under leash-exec: got '${a:-exit $rc}', want EPERM"
				diag_file "$tmp/pty.out"
			fi
			on_pty ready-for-int $pfx "$SHIM" "$tmp/b/$b.bundle" -- /bin/sh -c \
				'trap "echo got-int; exit 3" INT; echo ready-for-int; sleep 5 & wait'
			# The terminal echoes the interrupt as "^C" first.
			if [ $rc -eq 3 ] && grep -q 'got-int' "$tmp/pty.out"; then
				ok "$who, $b: Ctrl-C reaches the program (got-int, status 3)"
			else
				not_ok "$who, $b: Ctrl-C: status $rc"
				diag_file "$tmp/pty.out"
			fi
		done
	done
fi

# ==== 3. uid 0 without capabilities ======================================
#
# root-check.sh PROBE runs as the program: its cgroup's files, core_pattern,
# sysrq-trigger and another cgroup's cgroup.procs opened for writing (and
# closed unwritten), whether /sys is read-only, what /dev holds.
cat >"$tmp/bin/root-check.sh" <<'EOF'
p=$1
# cg_dir CONTROLLER: the program's cgroup directory for it (v1, else v2).
cg_dir() {
	while IFS=: read -r _ ctls path; do
		case ",$ctls," in
		*",$1,"*) echo "/sys/fs/cgroup/$1$path"; return ;;
		esac
	done </proc/self/cgroup
	path=$(sed -n 's/^0:://p' /proc/self/cgroup)
	for base in /sys/fs/cgroup /sys/fs/cgroup/unified; do
		if [ -f "$base$path/$1.max" ]; then
			echo "$base$path"
			return
		fi
	done
}
cat /proc/self/cgroup
d=$(cg_dir pids)
if [ -n "$d" ]; then
	echo "pids.max $("$p" open-w "$d/pids.max")"
	echo "procs ${d%/*}/cgroup.procs $("$p" open-w "${d%/*}/cgroup.procs")"
else
	echo "pids.max no-cgroup"
fi
d=$(cg_dir memory)
if [ -f "$d/memory.limit_in_bytes" ]; then
	echo "memory $("$p" open-w "$d/memory.limit_in_bytes")"
elif [ -f "$d/memory.max" ]; then
	echo "memory $("$p" open-w "$d/memory.max")"
else
	echo "memory no-cgroup"
fi
echo "core_pattern $("$p" open-w /proc/sys/kernel/core_pattern)"
echo "sysrq $("$p" open-w /proc/sysrq-trigger)"
echo "sys $("$p" statvfs /sys)"
echo "dev $(ls -A /dev | tr '\n' ' ')"
EOF
chmod 644 "$tmp/bin/root-check.sh"

# field NAME: the answer on the line "NAME ..." of $tmp/out (the last word).
field() {
	sed -n "s/^$1 .* \([^ ]*\)\$/\1/p; s/^$1 \([^ ]*\)\$/\1/p" "$tmp/out" | head -n 1
}

for who in $whos; do
	if [ $who = root ]; then
		shim root root_caps /bin/sh "$tmp/bin/root-check.sh" "$probe" \
			>"$tmp/out" 2>"$tmp/err"
	else
		shim_opt nobody --cgroup=optional root_caps /bin/sh \
			"$tmp/bin/root-check.sh" "$probe" >"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
	record_cgroups "$tmp/out" >/dev/null
	[ $rc -eq 0 ] || { diag "$who, root_caps: exit $rc"; diag_file "$tmp/err"; }
	if [ $who = root ]; then
		check "root, uid 0 without capabilities: open core_pattern for writing" \
			"$(field core_pattern)" EROFS
		check "root, uid 0 without capabilities: open its cgroup's pids.max for writing" \
			"$(field pids.max)" EROFS
		check "root, uid 0 without capabilities: open its memory limit for writing" \
			"$(field memory)" EROFS
		check "root, uid 0 without capabilities: open another cgroup's cgroup.procs for writing" \
			"$(field procs)" "EROFS|EACCES|EPERM"
		if [ -e /proc/sysrq-trigger ]; then
			check "root, uid 0 without capabilities: open /proc/sysrq-trigger for writing" \
				"$(field sysrq)" "EROFS|EACCES|EPERM|ENOENT"
		else
			skip "root: this kernel has no /proc/sysrq-trigger (CONFIG_MAGIC_SYSRQ)"
		fi
		check "root, uid 0 without capabilities: /sys is read-only" \
			"$(field sys)" ro
		devs=$(sed -n 's/^dev //p' "$tmp/out")
		extra=
		for d in $devs; do
			case " null zero full random urandom tty pts ptmx fd stdin stdout stderr shm " in
			*" $d "*) ;;
			*) extra="$extra $d" ;;
			esac
		done
		if [ -z "$extra" ] && echo " $devs " | grep -q ' null '; then
			ok "root, uid 0 without capabilities: /dev holds only $devs"
		else
			not_ok "root, uid 0 without capabilities: /dev also holds:${extra:- (no null)}"
		fi
	else
		# Not host root: file permissions refuse, whatever the mounts.
		check "nobody, uid 0 in its namespace: open core_pattern for writing" \
			"$(field core_pattern)" "EROFS|EACCES|EPERM"
		if [ -e /proc/sysrq-trigger ]; then
			check "nobody, uid 0 in its namespace: open /proc/sysrq-trigger for writing" \
				"$(field sysrq)" "EROFS|EACCES|EPERM|ENOENT"
		else
			skip "nobody: this kernel has no /proc/sysrq-trigger (CONFIG_MAGIC_SYSRQ)"
		fi
	fi
done

# ==== 4. Landlock scoping =================================================
#
# A process outside the sandbox, of the same user (file permissions and
# the kill(2) rules would let the program at it), and an abstract unix
# socket bound outside.
for who in $whos; do
	need_ll 6 "$who, Landlock scoping of signals and abstract unix sockets" ||
		continue
	pfx=
	[ $who = nobody ] && pfx=$NOBODY
	$pfx "$sleeper" 60 </dev/null >/dev/null 2>&1 &
	victim=$!
	bgpids="$bgpids $victim"
	sock=leash-escape-$$-$who
	$pfx "$probe" listen-abstract "$sock" 60 </dev/null >"$tmp/listen.out" 2>&1 &
	listener=$!
	bgpids="$bgpids $listener"
	wait_for grep -q listening "$tmp/listen.out" ||
		diag "$who: the abstract socket listener did not start"
	# Until setpriv has exec'd the sleeper it may still be root, whom
	# nobody cannot signal: the control would fail for a wrong reason.
	wait_for runs_exe "$victim" "$sleeper" ||
		diag "$who: the sleeper did not start"
	expect "control: $who can signal its own process without leash-exec" ok \
		as "$who" "$probe" kill "$victim" 0
	expect "control: $who can connect to @$sock without leash-exec" ok \
		as "$who" "$probe" connect-abstract "$sock"
	expect "$who, Landlock allow-list: kill(outside, 0)" EPERM \
		shim "$who" ll_allow "$probe" kill "$victim" 0
	expect "$who, Landlock allow-list: connect to an abstract socket outside" EPERM \
		shim "$who" ll_allow "$probe" connect-abstract "$sock"
	expect "$who, no filesystem rules: kill(outside, 0)" EPERM \
		shim "$who" tty_plain "$probe" kill "$victim" 0
	expect "$who, no filesystem rules: connect to an abstract socket outside" EPERM \
		shim "$who" tty_plain "$probe" connect-abstract "$sock"
	expect "$who, 'unscoped signal': kill(outside, 0)" ok \
		shim "$who" ll_unscoped "$probe" kill "$victim" 0
	expect "$who, 'unscoped signal': abstract sockets stay scoped" EPERM \
		shim "$who" ll_unscoped "$probe" connect-abstract "$sock"
	kill -KILL "$victim" "$listener" 2>/dev/null
	wait "$victim" "$listener" 2>/dev/null
done

# ==== 5. a Landlock ABI too old for the policy ============================
CC=${CC:-cc}
fake=$tmp/lib/fake-landlock.so
if ! need_ll 3 "a faked Landlock ABI 2 (needs a real one that has more)"; then
	:
elif ! command -v "$CC" >/dev/null 2>&1; then
	skip "the faked Landlock ABI needs a C compiler (\$CC, '$CC' not found)"
# With leash-exec's C library (LEASH_SHIM_CFLAGS: musl's specs, from
# configure), which is the one that loads it.
elif ! { "$CC" $LEASH_SHIM_CFLAGS -shared -fPIC -o "$fake" "$srcdir/tests/live/fake-landlock.c" -ldl ||
	 "$CC" $LEASH_SHIM_CFLAGS -shared -fPIC -o "$fake" "$srcdir/tests/live/fake-landlock.c"; } \
	 >"$tmp/err" 2>&1; then
	not_ok "build tests/live/fake-landlock.c as a shared object"
	diag_file "$tmp/err"
else
	chmod 755 "$fake"
	# Does the preload take? (It would not for a static or set-ID
	# leash-exec.)  A leash-exec that knows no --landlock option
	# plans without it.
	as root env LD_PRELOAD="$fake" "$SHIM" --dry-run --landlock=best-effort \
		"$tmp/b/ll_allow.bundle" -- "$probe" ids >"$tmp/out" 2>"$tmp/err" ||
	as root env LD_PRELOAD="$fake" "$SHIM" --dry-run \
		"$tmp/b/ll_allow.bundle" -- "$probe" ids >"$tmp/out" 2>"$tmp/err"
	if ! grep -q '^landlock: ABI 2,' "$tmp/out"; then
		skip "LD_PRELOAD does not reach leash-exec here: $(grep '^landlock' "$tmp/out") $(head -n 1 "$tmp/err")"
	else
		for who in $whos; do
			rm -f "$tmp/rw/ll5-$who"
			as "$who" env LD_PRELOAD="$fake" "$SHIM" \
				"$tmp/b/ll_allow.bundle" -- "$probe" write "$tmp/rw/ll5-$who" \
				>"$tmp/out" 2>"$tmp/err"
			rc=$?
			if [ $rc -eq 125 ] && [ ! -e "$tmp/rw/ll5-$who" ] &&
			   grep -q 'ABI 2' "$tmp/err"; then
				ok "$who, Landlock ABI 2, a 'w' rule (needs ABI 3): 125: $(head -n 1 "$tmp/err")"
			else
				not_ok "$who, Landlock ABI 2, a 'w' rule: exit $rc, $(test -e "$tmp/rw/ll5-$who" && echo 'the program ran' || echo 'not run')"
				diag_file "$tmp/err"
			fi
			as "$who" env LD_PRELOAD="$fake" "$SHIM" --landlock=best-effort \
				"$tmp/b/ll_allow.bundle" -- "$probe" write "$tmp/rw/ll5-$who" \
				>"$tmp/out" 2>"$tmp/err"
			rc=$?
			if [ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = ok ] &&
			   grep -q 'ABI 2' "$tmp/err"; then
				ok "$who, Landlock ABI 2, --landlock=best-effort: runs and warns: $(head -n 1 "$tmp/err")"
			else
				not_ok "$who, Landlock ABI 2, --landlock=best-effort: exit $rc, '$(cat "$tmp/out")'"
				diag_file "$tmp/err"
			fi
		done
	fi
fi

# ==== 6. a privilege gift: leash-exec with file capabilities, set-user-ID =
mkdir -p "$tmp/gift" && chmod 755 "$tmp/gift"
gift_test() {
	_desc=$1
	_exe=$2
	_re=$3
	as nobody "$_exe" "$tmp/b/u_0.bundle" -- "$probe" open-r /etc/shadow \
		>"$tmp/out" 2>"$tmp/err"
	_rc=$?
	if [ $_rc -eq 125 ] && [ ! -s "$tmp/out" ] && grep -q -i -e "$_re" "$tmp/err"; then
		ok "$_desc: 125: $(head -n 1 "$tmp/err")"
	else
		not_ok "$_desc: exit $_rc, the program $( [ -s "$tmp/out" ] && echo "ran: /etc/shadow $(cat "$tmp/out")" || echo 'did not run')"
		diag_file "$tmp/err"
	fi
}
if ! command -v setcap >/dev/null 2>&1; then
	skip "file capabilities: setcap is missing (Debian package libcap2-bin)"
else
	cp "$SHIM" "$tmp/gift/leash-exec-caps" && cp "$probe" "$tmp/gift/probe-caps" &&
		chmod 755 "$tmp/gift/leash-exec-caps" "$tmp/gift/probe-caps"
	if setcap cap_setuid,cap_setgid,cap_sys_admin+ep "$tmp/gift/leash-exec-caps" 2>"$tmp/err" &&
	   setcap cap_setuid,cap_setgid,cap_sys_admin+ep "$tmp/gift/probe-caps" 2>>"$tmp/err"; then
		# The kernel grants them here (no nosuid mount, no
		# no_new_privs): SETGID, SETUID, SYS_ADMIN are 0x2000c0.
		a=$(as nobody "$tmp/gift/probe-caps" ids 2>&1)
		if [ "$a" = "65534 65534 00000000002000c0" ]; then
			ok "control: a file-capable copy run by nobody gets the capabilities: $a"
			gift_test "nobody runs a copy of leash-exec with cap_setuid,cap_setgid,cap_sys_admin+ep, user 0:0" \
				"$tmp/gift/leash-exec-caps" 'AT_SECURE\|file capabilit'
			# With SETPCAP too, the shim would think itself
			# privileged and keep host uid 0 for 'user 0:0'.
			if setcap cap_setuid,cap_setgid,cap_sys_admin,cap_setpcap+ep \
				"$tmp/gift/leash-exec-caps" 2>"$tmp/err"; then
				gift_test "nobody runs a copy of leash-exec with cap_setuid,cap_setgid,cap_sys_admin,cap_setpcap+ep, user 0:0" \
					"$tmp/gift/leash-exec-caps" 'AT_SECURE\|file capabilit'
			else
				skip "setcap cap_setpcap failed: $(head -n 1 "$tmp/err")"
			fi
		else
			skip "file capabilities do not take effect in $tmp ($a)"
		fi
	else
		skip "setcap failed in $tmp: $(head -n 1 "$tmp/err")"
	fi
fi
cp "$SHIM" "$tmp/gift/leash-exec-suid" && cp "$probe" "$tmp/gift/probe-suid" &&
	chown 0:0 "$tmp/gift/leash-exec-suid" "$tmp/gift/probe-suid" &&
	chmod 4755 "$tmp/gift/leash-exec-suid" "$tmp/gift/probe-suid"
a=$(as nobody "$tmp/gift/probe-suid" ids 2>&1)
case $a in
"65534 0 "*)
	ok "control: a set-user-ID root copy run by nobody gets euid 0: $a"
	gift_test "nobody runs a set-user-ID root copy of leash-exec, user 0:0" \
		"$tmp/gift/leash-exec-suid" 'AT_SECURE\|set-user-ID'
	;;
*)
	skip "set-user-ID does not take effect in $tmp ($a)"
	;;
esac

# ==== 7. a policy path through a planted symbolic link ==================
#
# The target stands for a directory of root's (/etc, /root/.ssh): root's
# program, uid 0 even without capabilities, may write there, and a rule
# that follows nobody's link grants it.
rm -f "$demo"
rm -rf "$target"
mkdir -m 755 "$target" || bail "mkdir $target failed"
if ! need_ll 5 "a policy path through a planted link"; then
	:
elif $NOBODY ln -s "$target" "$demo" 2>"$tmp/err"; then
	expect "control: root without capabilities can write into $target" ok \
		shim root u_none "$probe" write "$target/control"
	rm -f "$target/control"
	shim root link_rw "$probe" write "$demo/planted" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	left=$(ls -A "$target")
	if [ $rc -eq 125 ] && [ -z "$left" ]; then
		ok "root, allow rw through nobody's link $demo: 125: $(head -n 1 "$tmp/err")"
	else
		not_ok "root, allow rw through nobody's link $demo: exit $rc, '$(cat "$tmp/out")', the target holds '$left'"
		diag_file "$tmp/err"
	fi
	# The caller's own link is the caller's business: not refused (the
	# write itself is then up to file permissions: EACCES).
	shim nobody link_rw "$probe" write "$demo/by-nobody" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "nobody, the same policy through its own link: runs ($(cat "$tmp/out"))"
	else
		not_ok "nobody, the same policy through its own link: exit $rc"
		diag_file "$tmp/err"
	fi
else
	not_ok "nobody could not plant $demo"
	diag_file "$tmp/err"
fi
rm -f "$demo"
rm -rf "$target"

# ==== 8. the rules of the mount tree ======================================
t=$tmp/tree
mkdir -p "$t/secret" "$t/other" "$t/hidden" "$t/ro" || bail "mkdir failed"
echo secret >"$t/secret/key"
echo hidden >"$t/hidden/content"
echo readonly >"$t/ro/file"
chmod 755 "$t" "$t/hidden"
chmod 1777 "$t/secret" "$t/other" "$t/ro"
chmod 666 "$t/secret/key" "$t/ro/file"
chmod 644 "$t/hidden/content"
# read_only_root: a directory on the root file system's mount, which
# anyone may write otherwise.
if [ "$(stat -c %d "$tmp")" = "$(stat -c %d /)" ]; then
	rrdir=$tmp/rr
	mkdir "$rrdir"
else
	rrdir=$(mktemp -d /var/tmp/leash-escape-rr.XXXXXX 2>/dev/null)
	if [ -n "$rrdir" ] && [ "$(stat -c %d "$rrdir")" != "$(stat -c %d /)" ]; then
		rm -rf "$rrdir"
		rrdir=
	fi
fi
[ -n "$rrdir" ] && chmod 1777 "$rrdir"

for who in $whos; do
	if need_ll 5 "$who, deny, mask and readonly inside a Landlock allow-list"; then
		expect "control: $who can write tree/secret/key without leash-exec" ok \
			as "$who" "$probe" write "$t/secret/key"
		echo secret >"$t/secret/key"
		expect "$who, deny w inside allow rw: write tree/secret/key" "EROFS|EACCES" \
			shim "$who" tree_rules "$probe" write "$t/secret/key"
		expect "$who, allow rw: write tree/other/$who" ok \
			shim "$who" tree_rules "$probe" write "$t/other/$who"
		expect "$who, mask tree/hidden: read tree/hidden/content" "ENOENT|EACCES" \
			shim "$who" tree_rules "$probe" open-r "$t/hidden/content"
		expect "$who, readonly tree/ro: write tree/ro/file" "EROFS|EACCES" \
			shim "$who" tree_rules "$probe" write "$t/ro/file"
		expect "$who, leash run, deny w inside allow rw: write tree/secret/key" "EROFS|EACCES" \
			as "$who" "$LEASH" run -p tree_rules "$tmp/src/escape-tree.leash" -- \
			"$probe" write "$t/secret/key"
		expect "$who, leash run, mask: read tree/hidden/content" "ENOENT|EACCES" \
			as "$who" "$LEASH" run -p tree_rules "$tmp/src/escape-tree.leash" -- \
			"$probe" open-r "$t/hidden/content"
	fi
	if [ -n "$rrdir" ]; then
		expect "control: $who can create a file in $rrdir without leash-exec" ok \
			as "$who" "$probe" write "$rrdir/control-$who"
		expect "$who, read_only_root: create a file in $rrdir" EROFS \
			shim "$who" tree_rroot "$probe" write "$rrdir/$who"
		expect "$who, leash run, read_only_root: create a file in $rrdir" EROFS \
			as "$who" "$LEASH" run -p tree_rroot "$tmp/src/escape-tree.leash" -- \
			"$probe" write "$rrdir/run-$who"
	else
		skip "$who, read_only_root: no directory on the root file system's mount to write to"
	fi
done
check "tree/secret/key and tree/ro/file are unchanged" \
	"$(cat "$t/secret/key" "$t/ro/file" | tr '\n' ' ')" "secret readonly "

# ==== 9. nothing left behind ==============================================
for who in $whos; do
	if ! as "$who" "$SHIM" --dry-run "$tmp/b/reap_pids.bundle" -- /bin/true \
		>/dev/null 2>"$tmp/err"; then
		skip "$who: no writable cgroup with the pids controller ($(head -n 1 "$tmp/err"))"
		continue
	fi
	shim "$who" reap_pids /bin/sh -c \
		'cat /proc/self/cgroup; "$0" 30 & echo done' \
		"$sleeper" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	cg=$(record_cgroups "$tmp/out")
	# Killed and reaped before leash-exec returns (gone_soon: the
	# kernel's teardown).
	gone_soon
	left=$(pids_of "$sleeper" | tr '\n' ' ')
	if [ $rc -eq 0 ] && grep -q '^done' "$tmp/out" && [ -z "$left" ]; then
		ok "$who, 'sleep 30 &' in a pids cgroup: nothing left once leash-exec returns"
	else
		not_ok "$who, 'sleep 30 &': exit $rc, still running: '$left'"
		diag_file "$tmp/err"
	fi
	kill -KILL $left 2>/dev/null
	if [ -z "$cg" ]; then
		not_ok "$who: the program ran in a leash-exec cgroup"
		diag_file "$tmp/out"
	elif cgroup_exists "$cg"; then
		not_ok "$who: leash-exec removed its cgroup $cg"
	else
		ok "$who: leash-exec removed its cgroup $cg"
	fi

	# kill -9 leash-exec while the program runs.
	if [ $who = nobody ]; then
		$NOBODY "$SHIM" "$tmp/b/reap_pids.bundle" -- /bin/sh -c \
			'cat /proc/self/cgroup; "$0" 30 & echo started; wait' \
			"$sleeper" >"$tmp/k.out" 2>"$tmp/k.err" </dev/null &
	else
		"$SHIM" "$tmp/b/reap_pids.bundle" -- /bin/sh -c \
			'cat /proc/self/cgroup; "$0" 30 & echo started; wait' \
			"$sleeper" >"$tmp/k.out" 2>"$tmp/k.err" </dev/null &
	fi
	killed=$!
	bgpids="$bgpids $killed"
	wait_for grep -q started "$tmp/k.out" 2>/dev/null
	stale=$(record_cgroups "$tmp/k.out")
	kill -KILL "$killed" 2>/dev/null
	wait "$killed" 2>/dev/null
	sleep 0.5
	diag "$who: after kill -9 of leash-exec $killed: cgroup $stale $(cgroup_exists "$stale" && echo stays || echo is gone), sleepers: $(pids_of "$sleeper" | tr '\n' ' ')"
	shim "$who" reap_pids /bin/true >/dev/null 2>"$tmp/err"
	rc=$?
	gone_soon
	left=$(pids_of "$sleeper" | tr '\n' ' ')
	if [ -z "$stale" ]; then
		not_ok "$who, after kill -9: the killed run's cgroup was seen"
		diag_file "$tmp/k.out"
		diag_file "$tmp/k.err"
	elif [ $rc -eq 0 ] && ! cgroup_exists "$stale" && [ -z "$left" ]; then
		ok "$who, after kill -9 of leash-exec: the next run removed $stale and its processes"
	else
		not_ok "$who, after kill -9 of leash-exec: next run exit $rc, cgroup $stale $(cgroup_exists "$stale" && echo stays || echo gone), still running: '$left'"
		diag_file "$tmp/err"
	fi
	kill -KILL $left 2>/dev/null
done

# The other side of the clean-up: a leash-exec that runs in another pid
# namespace (a container, unshare --pid) under the same parent cgroup is
# alive, even though its pid names no process here.  Root only: it takes
# a pid namespace whose next pid (ns_last_pid) is one the host does not
# use, so that the two runs' cgroups are siblings with an ambiguous name.
if ! command -v unshare >/dev/null 2>&1; then
	skip "root, a live leash-exec in another pid namespace: no unshare (util-linux)"
elif ! as root "$SHIM" --dry-run "$tmp/b/reap_pids.bundle" -- /bin/true >/dev/null 2>&1; then
	skip "root, a live leash-exec in another pid namespace: no writable pids cgroup"
else
	pmax=$(cat /proc/sys/kernel/pid_max)
	n=$((pmax - 1000))
	while [ -e "/proc/$((n + 1))" ] || [ -e "/proc/$((n + 2))" ]; do
		n=$((n - 7))
	done
	# sh is pid 1 there; leash-exec, which it forks, pid n + 1.
	limit 30 unshare --pid --fork --mount-proc sh -c \
		'echo "$1" >/proc/sys/kernel/ns_last_pid || exit 99
		 "$2" "$3" -- /bin/sh -c "cat /proc/self/cgroup; exec \"\$0\" 20" "$4"' \
		sh "$n" "$SHIM" "$tmp/b/reap_pids.bundle" "$sleeper" \
		>"$tmp/ns.out" 2>"$tmp/ns.err" </dev/null &
	nsrun=$!
	bgpids="$bgpids $nsrun"
	wait_for sleeping
	cg=$(record_cgroups "$tmp/ns.out")
	victims=$(pids_of "$sleeper" | tr '\n' ' ')
	if [ "$cg" != "/leash-exec.$((n + 1))" ] || [ -e "/proc/$((n + 1))" ] ||
	   [ -z "$victims" ]; then
		skip "root, a live leash-exec in another pid namespace: could not set it up (cgroup '$cg', want /leash-exec.$((n + 1)); $(head -n 1 "$tmp/ns.err"))"
	else
		shim root reap_pids /bin/true >/dev/null 2>"$tmp/err"
		rc=$?
		sleep 0.3
		left=$(pids_of "$sleeper" | tr '\n' ' ')
		if [ $rc -eq 0 ] && [ "$left" = "$victims" ] && cgroup_exists "$cg"; then
			ok "root, a run beside a live leash-exec of another pid namespace leaves its cgroup $cg and program alone"
		else
			not_ok "root, a run beside a live leash-exec of another pid namespace: exit $rc, its program '$victims' now '$left', cgroup $cg $(cgroup_exists "$cg" && echo stays || echo removed)"
			diag_file "$tmp/err"
		fi
	fi
	kill -KILL $(pids_of "$sleeper") 2>/dev/null
	wait "$nsrun" 2>/dev/null
fi

# ==== 10. bundles are data ===============================================
# run10 DESC FILE WANT-RC: leash-exec FILE as $who, refused (125,
# the program never ran) or run (0).
run10() {
	rm -f "$tmp/rw/marker10"
	as "$who" "$SHIM" "$2" -- "$probe" write "$tmp/rw/marker10" \
		>"$tmp/out" 2>"$tmp/err"
	_rc=$?
	if [ "$3" = 125 ] && [ $_rc -eq 125 ] && [ ! -e "$tmp/rw/marker10" ]; then
		ok "$who, $1: 125: $(head -n 1 "$tmp/err")"
	elif [ "$3" = 0 ] && [ $_rc -eq 0 ] && [ -e "$tmp/rw/marker10" ]; then
		ok "$who, $1: runs"
	else
		not_ok "$who, $1: exit $_rc (want $3), the program $( [ -e "$tmp/rw/marker10" ] && echo ran || echo 'did not run')"
		diag_file "$tmp/err"
	fi
}
b10=$tmp/t10
mkdir -p "$b10/ww" && chmod 755 "$b10" && chmod 777 "$b10/ww"
good=$tmp/b/tty_plain.bundle
for who in $whos; do
	if [ $who = root ]; then
		other=65534
	else
		other=1000
	fi
	install -m 644 -o 0 -g 0 "$good" "$b10/root-$who.bundle"
	run10 "a bundle of root's, mode 644" "$b10/root-$who.bundle" 0
	install -m 664 -o 0 -g 0 "$good" "$b10/gw-$who.bundle"
	run10 "a group-writable bundle (664)" "$b10/gw-$who.bundle" 125
	install -m 646 -o 0 -g 0 "$good" "$b10/ow-$who.bundle"
	run10 "a world-writable bundle (646)" "$b10/ow-$who.bundle" 125
	install -m 644 -o $other -g $other "$good" "$b10/other-$who.bundle"
	run10 "a bundle owned by uid $other" "$b10/other-$who.bundle" 125
	install -m 644 -o 0 -g 0 "$good" "$b10/ww/b-$who.bundle"
	run10 "a bundle in a world-writable directory without the sticky bit" \
		"$b10/ww/b-$who.bundle" 125
	if [ $who = nobody ]; then
		install -m 644 -o 65534 -g 65534 "$good" "$b10/own-$who.bundle"
		run10 "a bundle of its own, mode 644" "$b10/own-$who.bundle" 0
	fi
	rm -f "$tmp/rw/marker10"
	as "$who" "$LEASH" run -I "$srcdir/profiles" -p tty_plain \
		"$tmp/src/escape-tty.leash" -- "$probe" write "$tmp/rw/marker10" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ] && [ -e "$tmp/rw/marker10" ]; then
		ok "$who, leash run (the bundle in a memfd): runs"
	else
		not_ok "$who, leash run (the bundle in a memfd): exit $rc"
		grep -v ': note: ' "$tmp/err" | head -n 10 | sed 's/^/#   /'
	fi
done

tap_end
