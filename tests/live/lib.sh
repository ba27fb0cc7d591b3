# lib.sh - sourced by tests/live/run-*.sh: TAP output, running the
# probe and judging its answer, compiling policies, a busybox rootfs.
#
# Environment (set by 'make check', see AM_TESTS_ENVIRONMENT):
#   LEASH             the leash binary
#   abs_top_srcdir    the source tree
#   abs_top_builddir  the build tree (tests/live/try-syscall is built there)
# Outside 'make check', run from the build directory.

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${abs_top_builddir:-$(pwd)}
LEASH=${LEASH:-$builddir/leash}
PROBE=${LEASH_PROBE:-$builddir/tests/live/try-syscall}

# The test plan comes last ("1..N" after the results; tap-driver.sh
# accepts that), so a test that stops early still counts as failed.
tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $*"
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# diag_file FILE: show a log in the TAP stream (at most 30 lines).
diag_file() {
	[ -s "$1" ] && head -n 30 "$1" | sed 's/^/#   /'
	return 0
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

bail() {
	echo "Bail out! $*"
	exit 1
}

tap_end() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# Everything here is x86_64: syscall numbers, the i386 and x32 entries,
# the policies' `arch` lines.
require_x86_64() {
	[ "$(uname -m)" = x86_64 ] ||
		skip_all "the live tests are written for x86_64, this is $(uname -m)"
	grep -q '^Seccomp:' /proc/self/status ||
		skip_all "this kernel has no seccomp (no Seccomp: in /proc/self/status)"
}

require_tools() {
	[ -x "$LEASH" ] || bail "leash binary '$LEASH' not built"
	[ -x "$PROBE" ] || bail "probe '$PROBE' not built (make check builds it)"
}

# outcome RC OUTFILE: what one run of the probe amounts to, in $got:
# the line it printed ("ok", "EPERM"...), "SIGSYS" when seccomp killed
# it (every runtime here reports death by signal N as status 128+N),
# else "exit N".
outcome() {
	if [ "$1" -eq 0 ] && [ -s "$2" ]; then
		got=$(head -n 1 "$2")
	elif [ "$1" -eq 159 ]; then
		got=SIGSYS
	else
		got="exit $1"
	fi
}

# matches GOT WANT: WANT is one answer or several separated by '|'.
matches() {
	_got=$1
	_rest=$2
	while :; do
		_one=${_rest%%|*}
		[ "$_got" = "$_one" ] && return 0
		[ "$_one" = "$_rest" ] && return 1
		_rest=${_rest#*|}
	done
}

# expect DESC WANT CMD...: run CMD (which runs the probe somehow; it
# may be a shell function, which bounds its own run time with limit),
# compare its answer with WANT, print one TAP line.  Leaves the answer
# in $got.
expect() {
	_desc=$1
	_want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	outcome $? "$tmp/out"
	if matches "$got" "$_want"; then
		ok "$_desc: $got"
	else
		not_ok "$_desc: got '$got', want '$_want'"
		diag "command: $*"
		diag_file "$tmp/out"
		diag_file "$tmp/err"
	fi
}

# limit SECONDS CMD...: CMD, killed when it overruns (exit 124).
limit() {
	_secs=$1
	shift
	timeout -k 5 "$_secs" "$@"
}

# as WHO CMD...: run CMD as root, or as nobody (WHO "nobody", through
# setpriv from util-linux), bounded in time.  The shim's live tests
# run every case both ways.
as() {
	_who=$1
	shift
	if [ "$_who" = nobody ]; then
		limit 30 setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		limit 30 "$@"
	fi
}

# shim WHO BUNDLE CMD...: leash-exec ($SHIM) as WHO on $tmp/b/BUNDLE.bundle.
shim() {
	_who=$1
	_b=$2
	shift 2
	as "$_who" "$SHIM" "$tmp/b/$_b.bundle" -- "$@"
}

# compile_policy FILE OUTDIR: leash compile, one TAP line.  The
# include path lets test policies say include <docker-default.leash>.
compile_policy() {
	if "$LEASH" compile -I "$srcdir/profiles" -o "$2" "$1" \
		>"$tmp/out" 2>"$tmp/err" </dev/null; then
		ok "leash compile ${1##*/}"
	else
		not_ok "leash compile ${1##*/}"
		diag_file "$tmp/err"
		return 1
	fi
}

# make_rootfs DIR: the smallest rootfs a container runtime accepts
# (RUNTIMES.md): busybox-static with every applet linked, passwd and
# group files, the mount points, and the static probe as /try-syscall.
make_rootfs() {
	_bb=$(command -v busybox) || return 1
	# The Debian 'busybox' package is dynamic: it would not run inside.
	is_static "$_bb" ||
		{ echo "$_bb is not static (install busybox-static)" >&2; return 1; }
	is_static "$PROBE" ||
		{ echo "$PROBE is not static: it cannot run in a busybox rootfs" >&2; return 1; }
	mkdir -p "$1/bin" "$1/etc" "$1/dev" "$1/proc" "$1/sys" "$1/tmp" || return 1
	cp "$_bb" "$1/bin/busybox" || return 1
	for _a in $("$_bb" --list); do
		[ "$_a" = busybox ] || ln -sf busybox "$1/bin/$_a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
		>"$1/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
	cp "$PROBE" "$1/try-syscall" || return 1
}

# is_static FILE: no dynamic loader needed ('file' may not be installed;
# ldd is part of libc-bin).
is_static() {
	LC_ALL=C ldd "$1" 2>&1 | grep -q -e 'not a dynamic' -e 'statically linked'
}

# oci_run RUNTIME STATE BUNDLE ID: runc or crun runs the container ID
# of BUNDLE, with its state under STATE, for at most 60 s.
oci_run() {
	case $1 in
	runc)
		limit 60 runc --root "$2" run -b "$3" "$4"
		;;
	crun)
		if [ -e /sys/fs/cgroup/unified/cgroup.controllers ]; then
			# Hybrid cgroups: hide the v2 controller list from crun.
			limit 60 unshare -m --propagation private sh -c \
				'mount --bind /dev/null /sys/fs/cgroup/unified/cgroup.controllers && exec "$@"' \
				sh crun --root "$2" run -b "$3" "$4"
		else
			limit 60 crun --root "$2" run -b "$3" "$4"
		fi
		;;
	*)
		echo "oci_run: unknown runtime $1" >&2
		return 125
		;;
	esac
}

# oci_delete_all DIR: delete the containers still registered in
# DIR/runc-state and DIR/crun-state (oci_run's STATE), e.g. one a
# timeout cut short.
oci_delete_all() {
	for _rt in runc crun; do
		[ -d "$1/$_rt-state" ] || continue
		for _id in $(ls "$1/$_rt-state" 2>/dev/null); do
			"$_rt" --root "$1/$_rt-state" delete -f "$_id" \
				>/dev/null 2>&1
		done
	done
}

# dockerd_start DIR CGROUP: a private dockerd (flags from RUNTIMES.md)
# with its socket, pid file, data and exec roots and client config in
# DIR and its containers under the cgroup parent CGROUP.  Sets
# dockerd_pid; 0 once its API answers (its version in DIR/version),
# 1 when it died or did not answer within 60 s (its log: DIR/dockerd.log).
# Needs $docker_cli.  No stdin/stdout of ours: a daemon holding the TAP
# pipe would hang make.
dockerd_start() {
	dockerd_dir=$1
	DOCKER_CONFIG=$1/client
	export DOCKER_CONFIG
	unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
	dockerd --iptables=false --ip6tables=false --bridge=none \
		--storage-driver=overlay2 --pidfile "$1/dockerd.pid" \
		--data-root "$1/data" --exec-root "$1/exec" \
		--cgroup-parent "$2" -H "unix://$1/docker.sock" \
		</dev/null >"$1/dockerd.log" 2>&1 &
	dockerd_pid=$!
	_i=0
	while [ $_i -lt 120 ]; do
		dk version --format '{{.Server.Version}}' >"$1/version" \
			2>/dev/null && return 0
		kill -0 "$dockerd_pid" 2>/dev/null || return 1
		sleep 0.5
		_i=$((_i + 1))
	done
	return 1
}

# dk ARGS...: the docker client of the dockerd_start daemon.
dk() {
	"$docker_cli" -H "unix://$dockerd_dir/docker.sock" "$@"
}

# runtime_sandbox NAME: where a test of runc, crun, docker and podman
# keeps its state: $T (and $tmp), a new directory /tmp/NAME.XXXXXX, and
# $cg, the cgroup name NAME-PID for their containers; an EXIT trap that
# deletes the containers and sweeps the daemons, mounts, cgroups and $T,
# and removes /run/crun and /run/docker if they were not there before.
# In /tmp, not $TMPDIR: containerd's socket paths must fit in 108 bytes;
# runc rejects a rootfs path with a symlink in it, so $T is resolved.
runtime_sandbox() {
	T=$(mktemp -d "/tmp/$1.XXXXXX") || bail "mktemp failed"
	T=$(cd "$T" && pwd -P) || bail "temp dir vanished"
	tmp=$T
	cg=$1-$$
	dockerd_pid=
	run_crun_existed=false
	[ -e /run/crun ] && run_crun_existed=true
	run_docker_existed=false
	[ -e /run/docker ] && run_docker_existed=true
	trap runtime_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

runtime_cleanup() {
	oci_delete_all "$T"
	sweep "$T" "$cg"
	$run_crun_existed || rmdir /run/crun 2>/dev/null
	$run_docker_existed || rmdir /run/docker/plugins /run/docker 2>/dev/null
	return 0
}

# sweep DIR CGROUP: for the EXIT trap.  Stop $dockerd_pid if set (TERM,
# then KILL after 30 s), then whatever the daemons left: processes
# started from DIR (containerd, shims, conmon), mounts under DIR
# (deepest first, lazily: a dying shim may still hold one), DIR itself
# and the cgroups named CGROUP.
sweep() {
	if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
		kill -TERM "$dockerd_pid" 2>/dev/null
		_i=0
		while kill -0 "$dockerd_pid" 2>/dev/null && [ $_i -lt 120 ]; do
			sleep 0.25
			_i=$((_i + 1))
		done
		kill -KILL "$dockerd_pid" 2>/dev/null
	fi
	for _p in /proc/[0-9]*; do
		_pid=${_p#/proc/}
		[ "$_pid" = $$ ] && continue
		if { tr '\0' ' ' <"$_p/cmdline"; } 2>/dev/null |
			grep -q -F "$1/"; then
			kill -KILL "$_pid" 2>/dev/null
		fi
	done
	awk -v t="$1/" 'index($5, t) == 1 || $5 == substr(t, 1, length(t) - 1) { print $5 }' \
		/proc/self/mountinfo 2>/dev/null | sort -r | while read -r _m; do
		umount -l "$_m" 2>/dev/null
	done
	rm -rf --one-file-system "$1"
	for _d in /sys/fs/cgroup/*/"$2" /sys/fs/cgroup/"$2"; do
		[ -d "$_d" ] || continue
		find "$_d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	return 0
}
