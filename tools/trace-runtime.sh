#!/bin/sh
# trace-runtime.sh - which system calls runc and crun make after they
# load a container's seccomp filter and before they exec the container's
# program: the calls every policy for a container must allow (the group
# @runtime of profiles/groups.leash was measured with this script).
#
# Usage (as root, from anywhere):
#   tools/trace-runtime.sh [-m bpf|strace] [-n RUNS] [-k] [RUNTIME...]
#     RUNTIME  runc and/or crun (default: both that are installed)
#     -m       how to watch: bpf (default; bpftrace, Debian package
#              bpftrace) or strace (slower, and it changes the timing)
#     -n RUNS  containers per runtime and no_new_privileges setting
#              (default 200 with bpf, 40 with strace): rare calls of
#              Go's runtime in runc's init (rt_sigreturn after a
#              preemption signal, madvise, futex, ...) show up in some
#              runs only
#     -k       keep the temp directory with the raw data
#
# Prints, per runtime and no_new_privileges on/off, every call and in
# how many runs it was seen ("runc nnp=on futex 36/40"), then the union
# over all of them, one name a line, for @runtime.
#
# Each container runs /bin/true from a busybox-static rootfs under a
# permissive filter (default SCMP_ACT_ALLOW: a denied call would change
# the path the runtime takes), with the host name leash-trace.
#
# bpf: bpftrace counts every system call entered by a task that runs
# under a seccomp filter (task->seccomp.mode == 2) in a UTS namespace
# named leash-trace, by process and command name.  The runtime's init
# process (comm "runc:[2:INIT]" or "crun") is under the filter only
# after it loaded it, so that is exactly the calls the filter sees
# from the runtime; once it execs the container's program the command
# name changes and its calls no longer count.  This sees every thread
# (Go's runtime threads cloned after the load inherit the filter) and
# barely slows the runtime down, so rare calls show up as often as in
# real use.
#
# strace: `strace -f` follows the runtime and every process and thread
# it starts.  A thread that loads a filter (seccomp(SECCOMP_SET_MODE_
# FILTER, ...) or prctl(PR_SET_SECCOMP, ...)) puts its whole thread
# group under it when it asks for TSYNC, else itself; threads and
# processes it starts afterwards inherit it.  Every system call a thread
# so filtered enters counts, until its process execs the container's
# program.  strace shows a call at its entry, which is where seccomp
# decides, so a call that blocked across the load (a futex wait, say)
# is not counted: it was let in before the filter existed.  A signal
# handler's return (rt_sigreturn) is a call like any other and counts.
#
# crun refuses hybrid cgroups (v1 controllers plus a v2 hierarchy, as on
# this project's machines); it runs in a private mount namespace where
# the v2 controller list reads empty, as tests/live/lib.sh does.
# Needs: bpftrace or strace, python3 (it edits config.json),
# busybox-static, and the runtimes (Debian packages bpftrace strace
# python3 busybox-static runc crun).

set -u

runs=
mode=bpf
keep=false
while getopts m:n:k opt; do
	case $opt in
	m) mode=$OPTARG ;;
	n) runs=$OPTARG ;;
	k) keep=true ;;
	*) echo "usage: $0 [-m bpf|strace] [-n RUNS] [-k] [runc|crun...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
case $mode in
bpf) runs=${runs:-200} tracer=bpftrace ;;
strace) runs=${runs:-40} tracer=strace ;;
*) echo "$0: -m bpf or -m strace" >&2; exit 2 ;;
esac
if [ $# -eq 0 ]; then
	for rt in runc crun; do
		command -v $rt >/dev/null 2>&1 && set -- "$@" $rt
	done
fi
[ "$(id -u)" -eq 0 ] || { echo "$0: needs root" >&2; exit 1; }
for t in $tracer python3 busybox "$@"; do
	command -v "$t" >/dev/null 2>&1 ||
		{ echo "$0: $t not installed" >&2; exit 1; }
done

# runc rejects a rootfs path with a symlink in it.
T=$(mktemp -d /tmp/leash-trace.XXXXXX) || exit 1
T=$(cd "$T" && pwd -P) || exit 1
cleanup() {
	[ -n "$bpf_pid" ] && kill -INT $bpf_pid 2>/dev/null && wait $bpf_pid
	for rt in runc crun; do
		[ -d "$T/state-$rt" ] || continue
		for id in $(ls "$T/state-$rt"); do
			$rt --root "$T/state-$rt" delete -f "$id" >/dev/null 2>&1
		done
	done
	if $keep; then
		echo "traces kept in $T" >&2
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# A static busybox with the applets the config needs.
mkdir -p "$T/bundle/rootfs/bin" "$T/bundle/rootfs/etc" \
	"$T/bundle/rootfs/proc" "$T/bundle/rootfs/dev" "$T/bundle/rootfs/sys"
cp "$(command -v busybox)" "$T/bundle/rootfs/bin/busybox" || exit 1
ln -s busybox "$T/bundle/rootfs/bin/true"
ln -s busybox "$T/bundle/rootfs/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$T/bundle/rootfs/etc/passwd"
printf 'root:x:0:\n' >"$T/bundle/rootfs/etc/group"
(cd "$T/bundle" && "$1" spec) || exit 1
mv "$T/bundle/config.json" "$T/spec.json"

# config NNP: the bundle's config.json, no_new_privileges true or false.
config() {
	python3 - "$T/spec.json" "$T/bundle/config.json" "$1" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["hostname"] = "leash-trace"
c["process"]["args"] = ["/bin/true"]
c["process"]["noNewPrivileges"] = sys.argv[3] == "true"
c["root"] = {"path": "rootfs", "readonly": True}
# Permissive, with one rule so that no runtime could take it for empty.
c["linux"]["seccomp"] = {
    "defaultAction": "SCMP_ACT_ALLOW",
    "architectures": ["SCMP_ARCH_X86_64"],
    "syscalls": [{"names": ["kexec_load"], "action": "SCMP_ACT_ERRNO",
                  "errnoRet": 1}],
}
json.dump(c, open(sys.argv[2], "w"), indent=1)
EOF
}

# run RT ID: one container (with -m strace under strace -f, its trace
# in $T/ID.trace).
run() {
	case $1 in
	crun)
		set -- "$1" "$2" unshare -m --propagation private sh -c \
			'[ -e /sys/fs/cgroup/unified/cgroup.controllers ] &&
			 mount --bind /dev/null /sys/fs/cgroup/unified/cgroup.controllers
			 exec "$@"' sh
		;;
	*)
		set -- "$1" "$2"
		;;
	esac
	_rt=$1 _id=$2
	shift 2
	if [ $mode = strace ]; then
		set -- strace -f -qq -o "$T/$_id.trace" -s 64 "$@"
	fi
	timeout -k 5 60 "$@" $_rt --root "$T/state-$_rt" run \
		-b "$T/bundle" "$_id" </dev/null >"$T/$_id.out" 2>&1
}

# after_filter TRACE: the names of the calls made under the filter.
after_filter() {
	awk -f - "$1" "$1" <<'EOF'
# Lines: "TID call(args) = ret", "TID call(args <unfinished ...>",
# "TID <... call resumed>...) = ret", "TID +++ ...", "TID --- SIG ---".
function callname(s) {
	if (s !~ /^[a-z_0-9]+\(/)
		return ""
	sub(/\(.*/, "", s)
	return s
}
function result(line) {
	if (match(line, /\) += -?[0-9]+/) == 0)
		return ""
	line = substr(line, RSTART, RLENGTH)
	sub(/^\) += /, "", line)
	return line
}
# Pass 1: who is a thread of whom.  A clone's child id is its result,
# which may come in a "resumed" line after the child's own first calls.
FNR == NR {
	tid = $1
	rest = $0
	sub(/^[0-9]+ +/, "", rest)
	name = callname(rest)
	if (name == "clone" || name == "clone3") {
		flags[tid] = rest
		entry[tid] = FNR
		if (rest ~ /unfinished/)
			next
	} else if (rest ~ /^<\.\.\. clone3? resumed>/) {
		rest = flags[tid] rest
	} else {
		next
	}
	child = result(rest)
	if (child + 0 > 0) {
		parent[child] = tid (rest ~ /CLONE_THREAD/ ? " thread" : "")
		cloned_at[child] = entry[tid]
	}
	next
}
function group(t,  p) {
	while (t in parent) {
		split(parent[t], p, " ")
		if (p[2] != "thread")
			break
		t = p[1]
	}
	return t
}
# The line where @t came under a filter, or 0.
function since(t,  g) {
	g = group(t)
	if (g in done)
		return 0
	if (t in ftid)
		return ftid[t]
	if (g in fgroup)
		return fgroup[g]
	return 0
}
function filtered(t) {
	return since(t) > 0
}
# Pass 2: the calls.
{
	tid = $1
	rest = $0
	sub(/^[0-9]+ +/, "", rest)
	if (!(tid in seen)) {
		seen[tid] = 1
		# Cloned by a filtered thread after its load: filtered too
		# (a thread of a TSYNC group is filtered as the group is).
		if ((tid in parent)) {
			split(parent[tid], p, " ")
			s = since(p[1])
			if (s > 0 && s < cloned_at[tid])
				ftid[tid] = s
		}
	}
	name = callname(rest)
	if (name == "")
		next
	if (filtered(tid)) {
		calls[name] = 1
		if (name == "execve" && result(rest) == "0" ||
		    name == "execve" && rest ~ /unfinished/)
			done[group(tid)] = 1
	}
	# libseccomp probes the kernel with NULL filters (EFAULT): only
	# a real program ({len=N, filter=...}) that did not fail counts.
	if ((name == "seccomp" && rest ~ /SECCOMP_SET_MODE_FILTER/ ||
	     name == "prctl" && rest ~ /PR_SET_SECCOMP/) &&
	    rest ~ /\{len=/ && rest !~ /\) += -1 /) {
		if (rest ~ /TSYNC/ && !(group(tid) in fgroup))
			fgroup[group(tid)] = FNR
		else if (!(tid in ftid))
			ftid[tid] = FNR
	}
}
END {
	for (c in calls)
		print c
}
EOF
}

# bpf_start OUT: bpftrace counting the calls as the comment at the top
# says, into OUT; waits until its probe is attached.  Maps hold 4096
# keys by default: too few for PID x call over hundreds of runs.
bpf_start() {
	bpf_out=$1
	BPFTRACE_MAP_KEYS_MAX=1000000 bpftrace -e 'tracepoint:raw_syscalls:sys_enter
		/curtask->seccomp.mode == 2 &&
		 curtask->nsproxy->uts_ns->name.nodename == "leash-trace" &&
		 (comm == "runc:[2:INIT]" || comm == "crun")/
		{ @calls[pid, args->id] = count(); }' \
		</dev/null >"$bpf_out" 2>"$T/bpf.err" &
	bpf_pid=$!
	_i=0
	until grep -q '^Attaching' "$bpf_out" 2>/dev/null; do
		kill -0 $bpf_pid 2>/dev/null && [ $_i -lt 600 ] ||
			{ cat "$T/bpf.err" >&2; exit 1; }
		sleep 0.1
		_i=$((_i + 1))
	done
	# "Attaching" comes just before the probe is live.
	sleep 1
}

# bpf_stop: stop bpftrace, which prints its map when it ends.
bpf_stop() {
	kill -INT $bpf_pid
	wait $bpf_pid
	bpf_pid=
}

# bpf_names OUT: one line per process and call: "PID NAME".
bpf_names() {
	# @calls[PID, NR]: COUNT; names from the kernel's x86_64 table.
	awk 'FNR == NR { if ($1 == "#define" && $2 ~ /^__NR_/)
				name[$3] = substr($2, 6)
			 next }
	     /^@calls\[/ { gsub(/[^0-9 ]/, " "); print $1, name[$2] }' \
		/usr/include/x86_64-linux-gnu/asm/unistd_64.h "$1"
}
bpf_pid=

for rt in "$@"; do
	for nnp in true false; do
		config $nnp || exit 1
		: >"$T/$rt-$nnp.names"
		[ $mode = bpf ] && bpf_start "$T/$rt-$nnp.bpf"
		fails=0
		i=0
		while [ $i -lt "$runs" ]; do
			i=$((i + 1))
			id=trace-$rt-$nnp-$i
			if ! run $rt $id; then
				fails=$((fails + 1))
				sed 's/^/  /' "$T/$id.out" | head -n 5 >&2
				continue
			fi
			[ $mode = strace ] || continue
			after_filter "$T/$id.trace" | sort -u >>"$T/$rt-$nnp.names"
			$keep || rm -f "$T/$id.trace"
		done
		if [ $mode = bpf ]; then
			bpf_stop
			bpf_names "$T/$rt-$nnp.bpf" | sort -u |
				awk '{ print $2 }' >"$T/$rt-$nnp.names"
		fi
		[ $nnp = true ] && tag=on || tag=off
		[ $fails -eq 0 ] ||
			echo "$rt nnp=$tag: $fails of $runs runs failed" >&2
		sort "$T/$rt-$nnp.names" | uniq -c |
			awk -v rt=$rt -v tag=$tag -v n=$((runs - fails)) \
				'{ printf "%s nnp=%s %s %d/%d\n", rt, tag, $2, $1, n }'
	done
done
echo "# union"
cat "$T"/*.names | sort -u
