#!/bin/sh
# run-shim.sh - leash-exec and 'leash run' confine a real program, as
# root and as an unprivileged user.  Prints TAP.
#
# Policies: tests/live/shim-*.leash, compiled with 'leash compile -t
# bundle' (/SHIM_TMP in them becomes this test's temporary directory).  The
# program is the static probe (tests/live/try-syscall: one call, or
# "create PATH", "bind-tcp PORT") or /bin/sh reading /proc/self.  What
# is checked, for each user:
#   - the denied syscall fails with the policy's errno, others work;
#   - CapEff, CapPrm, CapBnd, CapInh, CapAmb, NoNewPrivs, Seccomp in
#     /proc/self/status are what the policy says;
#   - Landlock denies a write outside the allowed trees and a TCP bind
#     on a port the policy does not allow (and allows the others);
#   - the pid namespace hides the host's processes; rlimits hold;
#     'network { none; }' leaves only lo and refuses inet sockets;
#   - cgroup limits apply (root) or are refused (exit 125) unless
#     --cgroup=optional; an AppArmor profile without AppArmor is refused
#     unless --apparmor=optional;
#   - a corrupted, truncated, extended or wrong-version bundle exits 125
#     and the program never runs (it would create a marker file);
#   - exit codes 126/127, the program's status and signals pass through;
#   - leash-exec needs no library but the C library it was built against.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

require_x86_64
require_tools
SHIM=${LEASH_EXEC:-$builddir/leash-exec}
[ -x "$SHIM" ] || bail "leash-exec '$SHIM' not built"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leash-shim.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
ulimit -c 0 2>/dev/null

# The unprivileged user must reach the probe and the bundles, and write
# into rw/ (the policy's writable tree).
mkdir -p "$tmp/bin" "$tmp/rw" "$tmp/b" || bail "mkdir failed"
cp "$PROBE" "$tmp/bin/try-syscall" || bail "cannot copy the probe"
chmod 755 "$tmp" "$tmp/bin" "$tmp/b" "$tmp/bin/try-syscall"
chmod 1777 "$tmp/rw"
probe=$tmp/bin/try-syscall

# Its make-up (README): no library but the C library, and the C
# library configure chose (LEASH_SHIM_CFLAGS holds musl's specs then),
# which --version names.
needed=$(readelf -d "$SHIM" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case $needed in
"libc.so " | "libc.so.6 ") ok "leash-exec needs no library but the C library ($needed)" ;;
*) not_ok "leash-exec needs only the C library, not: ${needed:-(readelf found none)}" ;;
esac
version=$("$SHIM" --version 2>&1)
interp=$(readelf -l "$SHIM" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
case $LEASH_SHIM_CFLAGS in
*musl*) want=musl ;;
*) want=glibc ;;
esac
case "$want:$interp:$version" in
musl:*ld-musl*:*"C library: musl)"* | glibc:*ld-linux*:*"C library: glibc)"*)
	ok "leash-exec is built against $want: $version, loader $interp" ;;
*) not_ok "leash-exec built against $want: '$version', loader '$interp'" ;;
esac

for pol in full limits user apparmor; do
	sed "s|/SHIM_TMP|$tmp|g" "$srcdir/tests/live/shim-$pol.leash" \
		>"$tmp/shim-$pol.leash" || bail "sed failed"
	if "$LEASH" compile -t bundle -o "$tmp/b" "$tmp/shim-$pol.leash" \
		>/dev/null 2>"$tmp/err" </dev/null; then
		ok "leash compile -t bundle shim-$pol.leash"
	else
		not_ok "leash compile -t bundle shim-$pol.leash"
		diag_file "$tmp/err"
		bail "cannot compile shim-$pol.leash"
	fi
done
chmod 644 "$tmp"/b/*.bundle

# Who runs leash-exec: root, and nobody via setpriv (util-linux); not
# root, the caller itself ("user").
whos=root
if [ "$(id -u)" -ne 0 ]; then
	diag "not root: every run is unprivileged"
	whos=user
elif command -v setpriv >/dev/null 2>&1; then
	whos="root nobody"
else
	skip "the unprivileged runs need setpriv (Debian package util-linux)"
fi

# status_field FILE NAME: the value of NAME: in a /proc/self/status copy.
status_field() {
	sed -n "s/^$2:[[:space:]]*//p" "$1"
}

# check DESC GOT WANT: one TAP line.
check() {
	if [ "$2" = "$3" ]; then
		ok "$1: $2"
	else
		not_ok "$1: got '$2', want '$3'"
	fi
}

for who in $whos; do
	# ---- seccomp ------------------------------------------------------
	expect "$who: denied syscall gets the policy's errno" EXDEV \
		shim "$who" shim_full "$probe" getppid
	expect "$who: an allowed syscall works" ok \
		shim "$who" shim_full "$probe" getpid
	# 'network { allow inet stream, unix; }' holds in the filter too,
	# inside the new network namespace.
	expect "$who: socket(AF_INET, SOCK_STREAM) allowed" ok \
		shim "$who" shim_full "$probe" socket 2 1 0
	expect "$who: socket(AF_INET, SOCK_DGRAM) refused by type" EPERM \
		shim "$who" shim_full "$probe" socket 2 2 0
	expect "$who: socket(AF_NETLINK) refused by family" EAFNOSUPPORT \
		shim "$who" shim_full "$probe" socket 16 3 0
	expect "$who: socket(AF_VSOCK) refused by family" EAFNOSUPPORT \
		shim "$who" shim_full "$probe" socket 40 1 0

	# ---- capabilities, no_new_privs, seccomp mode -----------------------
	# kill (5) and net_bind_service (10); net_bind_service ambient.
	shim "$who" shim_full /bin/cat /proc/self/status >"$tmp/status" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 0 ] || { diag "exit $rc"; diag_file "$tmp/err"; }
	check "$who: CapEff" "$(status_field "$tmp/status" CapEff)" 0000000000000420
	check "$who: CapPrm" "$(status_field "$tmp/status" CapPrm)" 0000000000000420
	check "$who: CapBnd" "$(status_field "$tmp/status" CapBnd)" 0000000000000420
	check "$who: CapInh" "$(status_field "$tmp/status" CapInh)" 0000000000000400
	check "$who: CapAmb" "$(status_field "$tmp/status" CapAmb)" 0000000000000400
	check "$who: NoNewPrivs" "$(status_field "$tmp/status" NoNewPrivs)" 1
	check "$who: Seccomp" "$(status_field "$tmp/status" Seccomp)" 2

	# ---- Landlock -------------------------------------------------------
	rm -f "$tmp/rw/$who-ok" "$tmp/$who-out"
	expect "$who: Landlock allows a write in the rw tree" ok \
		shim "$who" shim_full "$probe" create "$tmp/rw/$who-ok"
	expect "$who: Landlock denies a write outside it" EACCES \
		shim "$who" shim_full "$probe" create "$tmp/$who-out"
	if [ -e "$tmp/$who-out" ]; then
		not_ok "$who: the denied write created no file"
	else
		ok "$who: the denied write created no file"
	fi
	expect "$who: Landlock allows a bind on tcp 18081" ok \
		shim "$who" shim_full "$probe" bind-tcp 18081
	expect "$who: Landlock denies a bind on tcp 18082" EACCES \
		shim "$who" shim_full "$probe" bind-tcp 18082
	# 'allow connect tcp 0': no outbound TCP (man 5 leash).  Nothing
	# listens on 18081, so a connect Landlock let through would get
	# ECONNREFUSED instead.
	expect "$who: Landlock denies every outbound TCP connection" EACCES \
		shim "$who" shim_full "$probe" connect-tcp 18081

	# ---- pid namespace, rlimits ----------------------------------------
	# $$ is this script: it must not exist in the program's /proc.
	shim "$who" shim_full /bin/sh -c \
		"echo \$\$; test -e /proc/$$ && echo visible || echo hidden; ls /proc | grep -c '^[0-9]'" \
		>"$tmp/out" 2>"$tmp/err"
	check "$who: the program is pid 2 (init is 1)" "$(sed -n 1p "$tmp/out")" 2
	check "$who: host processes are hidden" "$(sed -n 2p "$tmp/out")" hidden
	n=$(sed -n 3p "$tmp/out")
	if [ -n "$n" ] && [ "$n" -le 4 ]; then
		ok "$who: /proc lists $n processes (init, sh, ls, grep)"
	else
		not_ok "$who: /proc lists '$n' processes"
		diag_file "$tmp/err"
	fi
	shim "$who" shim_full /bin/sh -c 'ulimit -Sn; ulimit -Hn; ulimit -c' \
		>"$tmp/out" 2>"$tmp/err"
	check "$who: rlimit nofile (soft hard) and core" \
		"$(tr '\n' ' ' <"$tmp/out")" "64 64 0 "
	# Without CAP_SYS_RESOURCE the program cannot raise them again.
	shim "$who" shim_full /bin/sh -c 'ulimit -n 65' >/dev/null 2>&1
	check "$who: rlimit nofile holds (raising it fails)" $? 2

	# ---- exit status ----------------------------------------------------
	shim "$who" shim_full /bin/sh -c 'exit 7' >/dev/null 2>&1
	check "$who: the program's exit status passes through" $? 7
	shim "$who" shim_full /bin/sh -c 'kill -USR1 $$' >/dev/null 2>&1
	check "$who: death by a signal shows as 128+N" $? 138

	# ---- network none, cgroups ----------------------------------------
	if [ "$who" = root ]; then
		shim root shim_limits /bin/sh -c \
			'sed -n "3,\$p" /proc/net/dev | cut -d: -f1 | tr -d " "' \
			>"$tmp/out" 2>"$tmp/err"
	else
		as "$who" "$SHIM" --cgroup=optional "$tmp/b/shim_limits.bundle" \
			-- /bin/sh -c \
			'sed -n "3,\$p" /proc/net/dev | cut -d: -f1 | tr -d " "' \
			>"$tmp/out" 2>"$tmp/err"
	fi
	check "$who: network { none; } leaves only lo" "$(tr '\n' ' ' <"$tmp/out")" "lo "
	if [ "$who" = root ]; then
		# 'none' forbids every socket but unix ones in the filter
		# too (lo being up is shown by shim_full's bind on 18081).
		expect "$who: network { none; }: an inet socket is refused" \
			EAFNOSUPPORT shim root shim_limits "$probe" bind-tcp 18080
		# v1 or v2, whichever applies: read the program's own files.
		shim root shim_limits /bin/sh -c '
			grep -m1 -e :pids: -e ^0:: /proc/self/cgroup >&2
			while IFS=: read -r _ c p; do
				case ",$c," in
				*,memory,*) cat "/sys/fs/cgroup/memory$p/memory.limit_in_bytes" ;;
				*,pids,*) cat "/sys/fs/cgroup/pids$p/pids.max" ;;
				,,) [ -f "/sys/fs/cgroup$p/memory.max" ] &&
					cat "/sys/fs/cgroup$p/memory.max" "/sys/fs/cgroup$p/pids.max" ;;
				esac
			done </proc/self/cgroup' >"$tmp/out" 2>"$tmp/cgerr"
		check "root: cgroup memory and pids limits" \
			"$(sort "$tmp/out" | tr '\n' ' ')" "20 67108864 "
		shim root shim_limits /bin/sh -c \
			'for i in $(seq 30); do sleep 5 & done; echo all-started' \
			>"$tmp/out" 2>"$tmp/err"
		if grep -q all-started "$tmp/out"; then
			not_ok "root: pids.max 20 holds (30 children all started)"
		else
			ok "root: pids.max 20 holds: $(grep -m1 -o -i 'fork.*' "$tmp/err")"
		fi
		# The program's cgroup (stderr of the run above) is gone.
		cg=$(sed -n 's/^[0-9]*:\(pids\)\{0,1\}:\(.*leash-exec\..*\)/\2/p' "$tmp/cgerr")
		if [ -z "$cg" ]; then
			not_ok "root: the program ran in a leash-exec cgroup"
			diag_file "$tmp/cgerr"
		elif [ -d "/sys/fs/cgroup/pids$cg" ] ||
		     [ -d "/sys/fs/cgroup/unified$cg" ] || [ -d "/sys/fs/cgroup$cg" ]; then
			not_ok "root: leash-exec removed its cgroup $cg"
		else
			ok "root: leash-exec removed its cgroup $cg"
		fi
	else
		as "$who" "$SHIM" "$tmp/b/shim_limits.bundle" -- "$probe" \
			create "$tmp/rw/cg-marker" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ $rc -eq 125 ] && [ ! -e "$tmp/rw/cg-marker" ] &&
		   grep -q 'cgroup-optional\|--cgroup=optional' "$tmp/err"; then
			ok "$who: cgroup limits without a writable cgroup: 125"
		elif [ $rc -eq 0 ]; then
			ok "$who: a writable cgroup exists here: limits applied"
		else
			not_ok "$who: cgroup limits without a writable cgroup: exit $rc"
			diag_file "$tmp/err"
		fi
		as "$who" "$SHIM" --cgroup=optional "$tmp/b/shim_limits.bundle" \
			-- /bin/true >/dev/null 2>"$tmp/err"
		rc=$?
		if [ $rc -eq 0 ] && grep -q 'NOT applied' "$tmp/err"; then
			ok "$who: --cgroup=optional runs and says what is not applied"
		else
			not_ok "$who: --cgroup=optional: exit $rc"
			diag_file "$tmp/err"
		fi
	fi

	# ---- AppArmor -------------------------------------------------------
	if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
		skip "$who: AppArmor is enabled here: the refusal needs a kernel without it"
	else
		rm -f "$tmp/rw/aa-marker"
		shim "$who" shim_apparmor "$probe" create "$tmp/rw/aa-marker" \
			>/dev/null 2>"$tmp/err"
		rc=$?
		if [ $rc -eq 125 ] && [ ! -e "$tmp/rw/aa-marker" ]; then
			ok "$who: a profile without AppArmor is refused: $(cat "$tmp/err")"
		else
			not_ok "$who: a profile without AppArmor: exit $rc"
			diag_file "$tmp/err"
		fi
		as "$who" "$SHIM" --apparmor=optional "$tmp/b/shim_apparmor.bundle" \
			-- "$probe" getpid >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ $rc -eq 0 ] && grep -q 'NOT applied' "$tmp/err"; then
			ok "$who: --apparmor=optional runs and says so"
		else
			not_ok "$who: --apparmor=optional: exit $rc"
			diag_file "$tmp/err"
		fi
	fi
done

# ---- a user switch (root only: a user namespace cannot set groups) ----
if [ "$(id -u)" -eq 0 ]; then
	shim root shim_user /bin/sh -c 'id -u; id -g; id -G; cat /proc/self/status' \
		>"$tmp/status" 2>"$tmp/err"
	check "root, user 65534: ids" "$(sed -n 1,3p "$tmp/status" | tr '\n' ' ')" \
		"65534 65534 65534 "
	# A non-root execve keeps only the ambient set in CapEff/CapPrm.
	check "root, user 65534: CapEff (ambient only)" \
		"$(status_field "$tmp/status" CapEff)" 0000000000000400
	check "root, user 65534: CapBnd" \
		"$(status_field "$tmp/status" CapBnd)" 0000000000000420
	check "root, user 65534: CapAmb" \
		"$(status_field "$tmp/status" CapAmb)" 0000000000000400
	check "root, user 65534: NoNewPrivs off" \
		"$(status_field "$tmp/status" NoNewPrivs)" 0
	check "root, user 65534: Seccomp (loaded before the switch)" \
		"$(status_field "$tmp/status" Seccomp)" 2
	expect "root, user 65534: the filter holds" EXDEV \
		shim root shim_user "$probe" getppid
fi
if echo "$whos" | grep -q nobody || [ "$(id -u)" -ne 0 ]; then
	who=nobody
	[ "$(id -u)" -eq 0 ] || who=user
	as "$who" "$SHIM" "$tmp/b/shim_user.bundle" -- /bin/true \
		>/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 125 ] && grep -q 'supplementary groups' "$tmp/err"; then
		ok "$who: groups in a user namespace are refused (125)"
	else
		not_ok "$who: groups in a user namespace: exit $rc"
		diag_file "$tmp/err"
	fi
fi

# ---- bad bundles: 125, and the program never runs ------------------------
good=$tmp/b/shim_full.bundle
size=$(wc -c <"$good")
bad_bundle() {
	_desc=$1
	_file=$2
	rm -f "$tmp/rw/marker"
	"$SHIM" "$_file" -- "$probe" create "$tmp/rw/marker" \
		>"$tmp/out" 2>"$tmp/err"
	_rc=$?
	if [ $_rc -eq 125 ] && [ ! -e "$tmp/rw/marker" ]; then
		ok "$_desc: 125, not run: $(cat "$tmp/err")"
	else
		not_ok "$_desc: exit $_rc, marker $(test -e "$tmp/rw/marker" && echo created || echo absent)"
		diag_file "$tmp/err"
	fi
}
# patch FILE OFFSET BYTE-IN-OCTAL: overwrite one byte.
patch() {
	printf "\\$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# The good bundle runs the program (so the refusals below mean something).
rm -f "$tmp/rw/marker"
"$SHIM" "$good" -- "$probe" create "$tmp/rw/marker" >/dev/null 2>&1
if [ -e "$tmp/rw/marker" ]; then
	ok "the intact bundle runs the program"
else
	not_ok "the intact bundle runs the program"
fi
cp "$good" "$tmp/v.bundle"; patch "$tmp/v.bundle" 8 002
bad_bundle "format version 2" "$tmp/v.bundle"
cp "$good" "$tmp/m.bundle"; patch "$tmp/m.bundle" 0 115
bad_bundle "wrong magic" "$tmp/m.bundle"
head -c $((size - 8)) "$good" >"$tmp/t.bundle"
bad_bundle "truncated by 8 bytes" "$tmp/t.bundle"
head -c 40 "$good" >"$tmp/h.bundle"
bad_bundle "truncated in the header" "$tmp/h.bundle"
cp "$good" "$tmp/x.bundle"; printf '\0\0\0\0\0\0\0\0' >>"$tmp/x.bundle"
bad_bundle "extended by 8 bytes" "$tmp/x.bundle"
cp "$good" "$tmp/d.bundle"; patch "$tmp/d.bundle" $((size - 12)) 377
bad_bundle "a flipped byte in the body" "$tmp/d.bundle"
cp "$good" "$tmp/s.bundle"; patch "$tmp/s.bundle" 40 000
bad_bundle "a changed digest" "$tmp/s.bundle"
: >"$tmp/e.bundle"
bad_bundle "an empty file" "$tmp/e.bundle"
bad_bundle "a missing file" "$tmp/none.bundle"

# ---- exit codes, dry run -------------------------------------------------
"$SHIM" "$good" -- "$tmp/no-such-program" >/dev/null 2>&1
check "a missing program" $? 127
"$SHIM" "$good" -- no-such-program-in-path >/dev/null 2>&1
check "a program not in PATH" $? 127
"$SHIM" "$good" -- "$tmp/shim-full.leash" >/dev/null 2>&1
check "a file that is not executable" $? 126
# Landlock allows no execute outside its trees: execve fails after
# confinement, with the same status.
cp "$probe" "$tmp/rw/probe-copy" && chmod 755 "$tmp/rw/probe-copy"
"$SHIM" "$good" -- "$tmp/rw/probe-copy" getpid >/dev/null 2>&1
check "a program Landlock forbids to execute" $? 126
"$SHIM" >/dev/null 2>&1
check "no arguments" $? 125
rm -f "$tmp/rw/marker"
"$SHIM" --dry-run "$good" -- "$probe" create "$tmp/rw/marker" >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ ! -e "$tmp/rw/marker" ] &&
   grep -q '^seccomp: ' "$tmp/out" && grep -q '^landlock: ABI' "$tmp/out"; then
	ok "--dry-run prints the plan and runs nothing"
else
	not_ok "--dry-run: exit $rc"
	diag_file "$tmp/out"
fi

# ---- signals: forwarded to the program (pid 2 under init) ---------------
"$SHIM" "$good" -- /bin/sleep 20 >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -TERM $pid 2>/dev/null
wait $pid
check "SIGTERM to leash-exec reaches the program" $? 143

# ---- leash run ------------------------------------------------------------
expect "leash run: the denied syscall" EXDEV \
	limit 30 "$LEASH" run "$tmp/shim-full.leash" -- "$probe" getppid
as root "$LEASH" run -p shim_full "$tmp/shim-full.leash" -- /bin/sh -c 'exit 3' \
	>/dev/null 2>&1
check "leash run: the program's status" $? 3
# The bundle's descriptor is not inherited: the same fds as without.
/bin/sh -c 'ls /proc/self/fd' >"$tmp/fd-bare" 2>/dev/null
limit 30 "$LEASH" run "$tmp/shim-full.leash" -- /bin/sh -c 'ls /proc/self/fd' \
	>"$tmp/fd-run" 2>/dev/null
check "leash run: no extra descriptor reaches the program" \
	"$(tr '\n' ' ' <"$tmp/fd-run")" "$(tr '\n' ' ' <"$tmp/fd-bare")"
printf 'policy broken { seccomp { allow nosuchcall; } }\n' >"$tmp/broken.leash"
rm -f "$tmp/rw/marker"
"$LEASH" run "$tmp/broken.leash" -- "$probe" create "$tmp/rw/marker" \
	>/dev/null 2>&1
rc=$?
[ ! -e "$tmp/rw/marker" ] || rc="$rc, marker created"
check "leash run: a policy with errors exits 1 and runs nothing" "$rc" 1
"$LEASH" run "$tmp/shim-full.leash" "$probe" getpid >/dev/null 2>&1
check "leash run: no '--' is a usage error" $? 2

# ---- leash explain --log: a record the kernel wrote --------------------
# A 'log' rule makes the kernel write a type=1326 record (to the kernel
# log without auditd; to auditd's log with it, which this test does not
# read).  explain --log must name the call and the rule.
printf 'policy logs {\n    process { user 65534:65534; }\n    filesystem { read_only_root; }\n    seccomp {\n        default allow;\n        log getppid;\n    }\n}\n' \
	>"$tmp/logs.leash"
if ! dmesg >/dev/null 2>&1; then
	skip "explain --log of a kernel record: the kernel log is not readable"
elif ! "$LEASH" compile -t bundle -o "$tmp" "$tmp/logs.leash" \
	>/dev/null 2>&1; then
	not_ok "explain --log: leash compile logs.leash"
else
	before=$(dmesg | grep -c 'type=1326 audit(')
	"$SHIM" "$tmp/logs.bundle" -- "$probe" getppid >/dev/null 2>&1
	dmesg | grep 'type=1326 audit(' | tail -n +$((before + 1)) |
		grep ' syscall=110 ' >"$tmp/kernel.log"
	if [ ! -s "$tmp/kernel.log" ]; then
		skip "explain --log of a kernel record: no record reached the kernel log (auditd, or the rate limit)"
	else
		"$LEASH" explain "$tmp/logs.leash" --log "$tmp/kernel.log" \
			>"$tmp/explained" 2>&1
		rc=$?
		if [ "$rc" -eq 0 ] &&
			grep -q "getppid on x86_64 (nr 110): log" "$tmp/explained" &&
			grep -q "decided by $tmp/logs.leash:6:9" "$tmp/explained"; then
			ok "explain --log names the call and the rule of a record the kernel wrote"
		else
			not_ok "explain --log names the call and the rule of a record the kernel wrote (exit $rc)"
			diag_file "$tmp/explained"
		fi
	fi
fi

tap_end
