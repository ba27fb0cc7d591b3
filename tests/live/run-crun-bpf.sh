#!/bin/sh
# run-crun-bpf.sh - leash's own filter in crun and podman: NAME.oci.json
# and NAME.podman carry NAME.bpf as the annotation run.oci.seccomp_bpf_data,
# which crun loads instead of compiling linux.seccomp.  Prints TAP.
#
# tests/live/crun-bpf/policies.leash holds three policies the JSON target
# refuses (rules per arch; errno 4095 and 64-bit comparisons on x32, two
# of the libseccomp regression tests restated in tests/vectors/) and one
# it accepts.  For each:
#
#   - the artifacts: the annotation is NAME.bpf byte for byte (base64),
#     NAME.docker has none (Docker 20.10 has no --annotation), a refused
#     policy's linux.seccomp and NAME.seccomp.json kill every process,
#     and the compile notes say that runc cannot take it;
#   - crun (runc spec + leash oci-merge) and podman with crun run a
#     container whose process says, from /proc/self/status, that one
#     filter is loaded, and whose calls get exactly the policy's answers,
#     per arch (the probe enters through int $0x80 and with the x32 bit),
#     where a JSON profile would have answered otherwise;
#   - from the host, the filter a running container's process holds,
#     read back from the kernel (seccomp-dump, PTRACE_SECCOMP_GET_FILTER),
#     is NAME.bpf byte for byte, and /proc/PID/status says Seccomp 2 with
#     one filter;
#   - runc, and podman with runc, given the same artifacts of a refused
#     policy, never run the program (fail closed); the accepted policy
#     runs under runc from linux.seccomp with the same answers.
#
# crun runs in a private mount namespace where the hybrid cgroup v2
# controller list reads empty (RUNTIMES.md), podman with crun too.
# Containers are named crunhelper-PID-N; the EXIT trap removes them, the
# state, the mounts and the temp dir.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

require_x86_64
require_tools
[ "$(id -u)" -eq 0 ] || skip_all "the runtimes need root here"
command -v crun >/dev/null 2>&1 || skip_all "crun not installed (Debian package crun)"
command -v busybox >/dev/null 2>&1 ||
	skip_all "busybox not installed (Debian package busybox-static)"
DUMP=$builddir/tests/live/seccomp-dump
[ -x "$DUMP" ] || bail "'$DUMP' not built (make check builds it)"

runtime_sandbox crunhelper

A=run.oci.seccomp_bpf_data
POLS="crunhelper-perarch crunhelper-errno-max crunhelper-x32 crunhelper-plain"
REFUSED="crunhelper-perarch crunhelper-errno-max crunhelper-x32"

# ---- the artifacts --------------------------------------------------------

if "$LEASH" compile -t oci,podman,bpf -o "$T" "$srcdir/tests/live/crun-bpf/policies.leash" \
	>"$T/out" 2>"$T/notes"; then
	ok "leash compile -t oci,podman,bpf crun-bpf/policies.leash"
else
	not_ok "leash compile -t oci,podman,bpf crun-bpf/policies.leash"
	diag_file "$T/notes"
	bail "cannot compile"
fi

for p in $REFUSED; do
	# Really a policy the JSON target refuses.
	if "$LEASH" compile -t json -p "$p" -o "$T" \
		"$srcdir/tests/live/crun-bpf/policies.leash" >/dev/null 2>"$T/err"; then
		not_ok "$p: the JSON target refuses it (it did not)"
	else
		ok "$p: the JSON target refuses it: $(grep -o 'json target: .*' "$T/err" | head -n 1 | cut -c 14-90)..."
	fi
	if grep -q "policy '$p': oci target: runc cannot take this filter" "$T/notes" &&
		grep -q "policy '$p': podman target: podman with runc cannot take this filter" "$T/notes"; then
		ok "$p: compile notes: runc cannot take it (oci and podman)"
	else
		not_ok "$p: compile notes: runc cannot take it (oci and podman)"
		diag_file "$T/notes"
	fi
	# Fails closed for runc: kill everything, no rules (the fragment's
	# and the file podman's flags name).
	tr -d ' \n' <"$T/$p.oci.json" >"$T/flat"
	if grep -q '"seccomp":{"defaultAction":"SCMP_ACT_KILL_PROCESS","architectures":\[\],"flags":\[\],"syscalls":\[\]}' "$T/flat" &&
		[ "$(tr -d ' \n' <"$T/$p.seccomp.json")" = '{"defaultAction":"SCMP_ACT_KILL_PROCESS","architectures":[],"flags":[],"syscalls":[]}' ]; then
		ok "$p: linux.seccomp and NAME.seccomp.json kill every process"
	else
		not_ok "$p: linux.seccomp and NAME.seccomp.json kill every process"
		diag_file "$T/$p.seccomp.json"
	fi
done
if grep -q "crunhelper-plain': oci target: runc cannot" "$T/notes"; then
	not_ok "crunhelper-plain: no fail-closed note for a policy JSON can express"
else
	ok "crunhelper-plain: no fail-closed note for a policy JSON can express"
fi

for p in $POLS; do
	want=$(base64 -w0 "$T/$p.bpf")
	frag=$(sed -n "s/^ *\"$A\": \"\\([^\"]*\\)\".*/\\1/p" "$T/$p.oci.json")
	flag=$(sed -n "s/^--annotation=$A=//p" "$T/$p.podman")
	if [ -n "$want" ] && [ "$frag" = "$want" ] && [ "$flag" = "$want" ]; then
		ok "$p: the annotation in NAME.oci.json and NAME.podman is NAME.bpf ($(wc -c <"$T/$p.bpf") bytes)"
	else
		not_ok "$p: the annotation in NAME.oci.json and NAME.podman is NAME.bpf"
	fi
	if grep -q "^--security-opt=seccomp=$T/$p.seccomp.json\$" "$T/$p.podman"; then
		ok "$p: NAME.podman names NAME.seccomp.json (runc's fallback)"
	else
		not_ok "$p: NAME.podman names NAME.seccomp.json (runc's fallback)"
	fi
done
if "$LEASH" compile -t docker -p crunhelper-plain -o "$T" \
	"$srcdir/tests/live/crun-bpf/policies.leash" >/dev/null 2>&1 &&
	[ -s "$T/crunhelper-plain.docker" ] &&
	! grep -q -e annotation "$T/crunhelper-plain.docker"; then
	ok "NAME.docker carries no --annotation (Docker 20.10 has none)"
else
	not_ok "NAME.docker carries no --annotation (Docker 20.10 has none)"
fi

make_rootfs "$T/root" 2>"$T/err" || { diag_file "$T/err"; bail "cannot build the rootfs"; }

# ---- what the container sees ------------------------------------------------

# The script inside, per policy: "key=answer" lines after STARTED.  The
# probe's numbers: syncfs 306, sync 162, fchmod 91 (x86_64 and x32).
STATUS='grep -E "^Seccomp(_filters)?:" /proc/self/status | tr -d " \t" | tr : =;'
inside() {
	printf 'echo STARTED; %s' "$STATUS"
	case $1 in
	crunhelper-perarch)
		echo 'echo "mkdir=$(/try-syscall mkdir 0 0)";
echo "mkdir32=$(/try-syscall --abi i386 mkdir 0 0)";
echo "getppid32=$(/try-syscall --abi i386 getppid)";
echo "getppid=$(/try-syscall getppid)";
echo "getpid32=$(/try-syscall --abi i386 getpid)"' ;;
	crunhelper-errno-max)
		echo 'echo "syncfs=$(/try-syscall 306 -1)";
echo "sync=$(/try-syscall 162)";
echo "getpid=$(/try-syscall getpid)"' ;;
	crunhelper-x32)
		echo 'echo "lseekx32_0=$(/try-syscall --abi x32 lseek -1 0)";
echo "lseekx32_4g=$(/try-syscall --abi x32 lseek -1 0x100000000)";
echo "fchmodx32=$(/try-syscall --abi x32 91 0xffffffffffffff9c 0)";
echo "lseek_0=$(/try-syscall lseek -1 0)";
echo "lseek_4g=$(/try-syscall lseek -1 0x100000000)"' ;;
	crunhelper-plain)
		echo 'echo "mkdir=$(/try-syscall mkdir 0 0)";
echo "getpid=$(/try-syscall getpid)"' ;;
	esac
}

# The answers the policy gives (key=answer ...).  x32: this kernel may
# lack the x32 ABI, so a call the filter lets through answers ENOSYS
# (EBADF where it has it); the 64-bit offset 0x100000000 is allowed,
# where libseccomp, comparing the low 32 bits, would answer EINVAL.  The
# fd -100 with other upper bits is -100 to a 32-bit fd.
wanted() {
	case $1 in
	crunhelper-perarch)
		echo "mkdir=EACCES mkdir32=ENOENT getppid32=EPERM getppid=ok getpid32=ok" ;;
	crunhelper-errno-max)
		echo "syncfs=E4095 sync=E4094 getpid=ok" ;;
	crunhelper-x32)
		echo "lseekx32_0=EINVAL lseekx32_4g=ENOSYS|EBADF fchmodx32=ENOENT lseek_0=EINVAL lseek_4g=EBADF" ;;
	crunhelper-plain)
		echo "mkdir=EACCES getpid=ok" ;;
	esac
}

# json_args SCRIPT: the process.args of a config, as JSON.
json_args() {
	printf '["/bin/sh", "-c", "%s"]' \
		"$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | awk '{ printf "%s\\n", $0 }')"
}

# value KEY: the value of KEY in $T/out.
value() {
	sed -n "s/^$1=//p" "$T/out" | head -n 1
}

# judge WHO POLICY: every answer in $T/out against the policy's.
judge() {
	_who=$1
	_ans=""
	_bad=""
	[ "$(value Seccomp)" = 2 ] || _bad="$_bad Seccomp=$(value Seccomp)"
	[ "$(value Seccomp_filters)" = 1 ] ||
		_bad="$_bad Seccomp_filters=$(value Seccomp_filters)"
	for _kv in $(wanted "$2"); do
		_k=${_kv%%=*}
		_v=$(value "$_k")
		_ans="$_ans $_k=$_v"
		matches "$_v" "${_kv#*=}" || _bad="$_bad $_k=$_v(want ${_kv#*=})"
	done
	if [ -z "$_bad" ]; then
		ok "$_who $2: Seccomp 2, 1 filter,$_ans"
	else
		not_ok "$_who $2:$_bad"
		diag_file "$T/out"
		diag_file "$T/err"
	fi
}

# ---- crun and runc: runc spec + leash oci-merge ----------------------------

(cd "$T" && crun spec) >/dev/null 2>&1 || bail "crun spec failed"
mv "$T/config.json" "$T/spec.json"
n_run=0

# bundle POLICY SCRIPT: $T/bundle-N/config.json for the policy and the
# script; sets $bundle and $id.
bundle() {
	n_run=$((n_run + 1))
	bundle=$T/bundle-$n_run
	id=crunhelper-$$-$n_run
	mkdir -p "$bundle"
	printf '{ "process": { "terminal": false, "args": %s }, "root": { "path": "%s" } }\n' \
		"$(json_args "$2")" "$T/root" >"$T/run-$n_run.json"
	"$LEASH" oci-merge -o "$bundle/config.json" "$T/spec.json" \
		"$T/$1.oci.json" "$T/run-$n_run.json" 2>"$T/err"
}

for p in $POLS; do
	if ! bundle "$p" "$(inside "$p")"; then
		not_ok "crun $p: leash oci-merge"
		diag_file "$T/err"
		continue
	fi
	oci_run crun "$T/crun-state" "$bundle" "$id" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ $rc -eq 0 ] && grep -q '^STARTED$' "$T/out"; then
		judge crun "$p"
	else
		not_ok "crun $p: the container ran (exit $rc)"
		diag_file "$T/out"
		diag_file "$T/err"
	fi
done

# runc reads linux.seccomp: a refused policy's kills its own init before
# the program starts; the accepted one runs with the same answers.
if command -v runc >/dev/null 2>&1; then
	for p in $POLS; do
		bundle "$p" "$(inside "$p")" || { not_ok "runc $p: oci-merge"; continue; }
		oci_run runc "$T/runc-state" "$bundle" "$id" >"$T/out" 2>"$T/err" </dev/null
		rc=$?
		case $p in
		crunhelper-plain)
			if [ $rc -eq 0 ] && grep -q '^STARTED$' "$T/out"; then
				judge runc "$p"
			else
				not_ok "runc $p: the container ran (exit $rc)"
				diag_file "$T/err"
			fi ;;
		*)
			if [ $rc -ne 0 ] && ! grep -q STARTED "$T/out"; then
				ok "runc $p: fails closed, the program never ran (exit $rc: $(grep -o 'container process is already dead\|killed\|signal' "$T/err" | head -n 1))"
			else
				not_ok "runc $p: ran a policy it cannot take (exit $rc)"
				diag_file "$T/out"
				diag_file "$T/err"
			fi ;;
		esac
	done
else
	skip "runc not installed (Debian package runc)"
fi

# ---- the filter the kernel holds, read back from the host ------------------

# pid_of MARK: the pid of the process whose command line is "sleep MARK"
# (waits up to 30 s for it to appear), in $pid.
pid_of() {
	pid=
	_i=0
	while [ $_i -lt 300 ]; do
		# One grep over every command line, then the exact match.
		for _f in $(grep -l -a -F "$1" /proc/[0-9]*/cmdline 2>/dev/null); do
			if [ "$( { tr '\0' ' ' <"$_f"; } 2>/dev/null)" = "sleep $1 " ]; then
				pid=${_f#/proc/}
				pid=${pid%/cmdline}
				return 0
			fi
		done
		kill -0 "$bg" 2>/dev/null || return 1
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# readback WHO POLICY: $pid runs under the policy; its filter as the
# kernel holds it must be NAME.bpf, and its status must say so.
readback() {
	"$DUMP" "$pid" >"$T/dump" 2>"$T/dump.err"
	_rc=$?
	_want=$(od -An -v -tx1 "$T/$2.bpf" | tr -d ' \n')
	_n=$(($(wc -c <"$T/$2.bpf") / 8))
	_st=$(grep -E '^Seccomp(_filters)?:' "/proc/$pid/status" | tr -d ' \t' | tr '\n' ' ')
	if [ $_rc -eq 0 ] && [ "$(wc -l <"$T/dump")" -eq 1 ] &&
		[ "$(cat "$T/dump")" = "filter 0: $_n instructions $_want" ] &&
		[ "$_st" = "Seccomp:2 Seccomp_filters:1 " ]; then
		ok "$1 $2: the kernel holds one filter, NAME.bpf byte for byte ($_n instructions; /proc/$pid/status: $_st)"
	else
		not_ok "$1 $2: the kernel's filter is not NAME.bpf (dump exit $_rc, $(cut -c 1-40 "$T/dump" | head -n 3 | tr '\n' ';') status $_st)"
		diag_file "$T/dump.err"
	fi
	kill -KILL "$pid" 2>/dev/null
}

for p in crunhelper-perarch crunhelper-x32; do
	mark=31415$n_run
	bundle "$p" "echo STARTED; exec sleep $mark" || { not_ok "crun $p: oci-merge"; continue; }
	oci_run crun "$T/crun-state" "$bundle" "$id" >"$T/out" 2>"$T/err" </dev/null &
	bg=$!
	if pid_of $mark; then
		readback crun "$p"
	else
		not_ok "crun $p: the container's sleep did not show up"
		diag_file "$T/err"
	fi
	wait $bg
done

# ---- podman: podman run $(cat NAME.podman) --rootfs ROOT:O ------------------

if ! command -v podman >/dev/null 2>&1; then
	skip "podman not installed (Debian package podman)"
	tap_end
	exit $?
fi

# pm RUNTIME ARGS...: podman run with private storage, crun behind the
# cgroup workaround (RUNTIMES.md); nofile and nproc as podman needs.
n_pm=0
pm() {
	_rt=$1
	shift
	n_pm=$((n_pm + 1))
	limit 60 unshare -m --propagation private sh -c \
		'[ -e /sys/fs/cgroup/unified/cgroup.controllers ] &&
		 mount --bind /dev/null /sys/fs/cgroup/unified/cgroup.controllers
		 exec "$@"' sh \
		env -u DOCKER_CONFIG podman --root "$T/podman-root" \
		--runroot "$T/podman-run" --tmpdir "$T/podman-tmp" \
		--cgroup-manager=cgroupfs --runtime "$_rt" run --rm \
		--name "crunhelper-$$-pm$n_pm" --network=none \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@"
}

for p in $POLS; do
	# One flag per word, on purpose: $(cat NAME.podman) unquoted.
	pm crun $(cat "$T/$p.podman") --rootfs "$T/root:O" \
		/bin/sh -c "$(inside "$p")" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ $rc -eq 0 ] && grep -q '^STARTED$' "$T/out"; then
		judge "podman (crun)" "$p"
	else
		not_ok "podman (crun) $p: the container ran (exit $rc)"
		diag_file "$T/out"
		diag_file "$T/err"
	fi
done

p=crunhelper-perarch
mark=27182$$
pm crun $(cat "$T/$p.podman") --rootfs "$T/root:O" /bin/sh -c "exec sleep $mark" \
	>"$T/out" 2>"$T/err" </dev/null &
bg=$!
if pid_of $mark; then
	readback "podman (crun)" "$p"
else
	not_ok "podman (crun) $p: the container's sleep did not show up"
	diag_file "$T/err"
fi
wait $bg

# podman with runc ignores the annotation and loads NAME.seccomp.json.
if command -v runc >/dev/null 2>&1; then
	for p in $REFUSED; do
		pm runc $(cat "$T/$p.podman") --rootfs "$T/root:O" \
			/bin/sh -c "echo STARTED" >"$T/out" 2>"$T/err" </dev/null
		rc=$?
		if [ $rc -ne 0 ] && ! grep -q STARTED "$T/out"; then
			ok "podman (runc) $p: fails closed, the program never ran (exit $rc: $(grep -v '^ *$' "$T/err" | head -n 1 | cut -c 1-70))"
		else
			not_ok "podman (runc) $p: ran a policy runc cannot take (exit $rc)"
			diag_file "$T/out"
		fi
	done
	p=crunhelper-plain
	pm runc $(cat "$T/$p.podman") --rootfs "$T/root:O" \
		/bin/sh -c "$(inside "$p")" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ $rc -eq 0 ] && grep -q '^STARTED$' "$T/out"; then
		judge "podman (runc)" "$p"
	else
		not_ok "podman (runc) $p: the container ran (exit $rc)"
		diag_file "$T/err"
	fi
fi

tap_end
