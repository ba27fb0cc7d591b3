#!/bin/sh
# run-bwrap.sh - bubblewrap loads leash's NAME.bpf as it is and the
# filter does what the policy says, as root and as an unprivileged
# user.  Prints TAP.
#
#   bwrap --ro-bind / / --dev /dev --proc /proc --seccomp 3 \
#         try-syscall CALL ARGS... 3<NAME.bpf
#
# bwrap reads the raw struct sock_filter[] from fd 3 and loads it just
# before exec'ing the probe, so the filter also has to let bwrap's exec
# and the probe's (static glibc) start-up through: the test runs
# tests/live/denylist.leash (default allow) and the allow-list
# profiles/docker-default.leash.  A refused call must fail with the
# policy's errno, an allowed one must reach the kernel.  Unprivileged,
# bwrap needs user namespaces and no_new_privs; the result must be the
# same.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

require_x86_64
require_tools
command -v bwrap >/dev/null 2>&1 ||
	skip_all "bwrap not installed (Debian package bubblewrap)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leash-bwrap.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
ulimit -c 0 2>/dev/null

compile_policy "$srcdir/tests/live/denylist.leash" "$tmp" || bail "cannot compile"
compile_policy "$srcdir/profiles/docker-default.leash" "$tmp" || bail "cannot compile"
compile_policy "$srcdir/tests/live/network.leash" "$tmp" || bail "cannot compile"

# The unprivileged user must reach the probe: the build tree may sit in
# a directory only root can enter, so run a copy from the temp dir.
# The filter file needs no permission: the shell, as root, opens fd 3.
cp "$PROBE" "$tmp/try-syscall" || bail "cannot copy the probe"
chmod 755 "$tmp" "$tmp/try-syscall"

# Who runs bwrap: root, or nobody via setpriv (util-linux), with every
# capability gone with the uid change.
nobody=
if [ "$(id -u)" -ne 0 ]; then
	diag "not root: both runs are unprivileged"
elif command -v setpriv >/dev/null 2>&1; then
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi

# in_bwrap WHO POLICY CALL ARGS...: WHO is root or nobody.
in_bwrap() {
	_who=$1
	_pol=$2
	shift 2
	if [ "$_who" = nobody ] && [ -n "$nobody" ]; then
		set -- $nobody bwrap "$@"
	else
		set -- bwrap "$@"
	fi
	_bin=$1
	shift
	limit 30 "$_bin" "$@" 3<"$tmp/$_pol.bpf"
}

# bwrap's arguments, split on purpose where $B is used: in_bwrap's
# "$@" after WHO and POLICY is the whole bwrap command line.
B="--ro-bind / / --dev /dev --proc /proc --seccomp 3 $tmp/try-syscall"
case $tmp in
*[!A-Za-z0-9_./-]*) bail "temp dir '$tmp' has characters the tests cannot pass unquoted" ;;
esac

for who in root nobody; do
	if [ "$who" = nobody ] && [ -z "$nobody" ] && [ "$(id -u)" -eq 0 ]; then
		skip "as nobody: setpriv not installed (util-linux)"
		continue
	fi
	if [ "$who" = nobody ] && [ -n "$nobody" ]; then
		# Make sure the unprivileged runs really are unprivileged.
		u=$($nobody id -u 2>&1)
		if [ "$u" = 65534 ]; then
			ok "setpriv runs as uid 65534"
		else
			not_ok "setpriv runs as uid 65534: got '$u'"
		fi
	fi
	D=live-denylist
	expect "$who: $D: errno(EACCES) mkdir" EACCES in_bwrap $who $D $B mkdir 0 0
	expect "$who: $D: deny rmdir is EPERM" EPERM in_bwrap $who $D $B rmdir 0
	expect "$who: $D: errno(ENOSYS) clone3" ENOSYS in_bwrap $who $D $B clone3 0 0
	expect "$who: $D: socket(0x10000000a) refused (32-bit compare)" EPFNOSUPPORT \
		in_bwrap $who $D $B socket 0x10000000a 1 0
	expect "$who: $D: lseek offset 2^32 refused" E2BIG in_bwrap $who $D $B lseek -1 0x100000000 0
	expect "$who: $D: kill uselib dies of SIGSYS" SIGSYS in_bwrap $who $D $B uselib 0
	expect "$who: $D: allowed getpid" ok in_bwrap $who $D $B getpid
	expect "$who: $D: allowed lseek(-1, 0)" EBADF in_bwrap $who $D $B lseek -1 0 0

	K=docker-default
	expect "$who: $K: socket(AF_UNIX) allowed" ok in_bwrap $who $K $B socket 1 1 0
	expect "$who: $K: socket(AF_VSOCK) refused" EPERM in_bwrap $who $K $B socket 40 1 0
	expect "$who: $K: socket(0x100000028) refused" EPERM \
		in_bwrap $who $K $B socket 0x100000028 1 0
	expect "$who: $K: socket(0x100000026) refused" EPERM \
		in_bwrap $who $K $B socket 0x100000026 5 0
	expect "$who: $K: errno(ENOSYS) clone3" ENOSYS in_bwrap $who $K $B clone3 0 0
	expect "$who: $K: unshare(CLONE_NEWUSER) refused" EPERM \
		in_bwrap $who $K $B unshare 0x10000000

	# The network section in the filter (tests/live/network.leash):
	# AF_INET 2, AF_INET6 10, AF_NETLINK 16, AF_VSOCK 40; SOCK_STREAM 1,
	# SOCK_DGRAM 2, SOCK_RAW 3, SOCK_NONBLOCK 0x800.
	N=live-net-none
	expect "$who: $N: socket(AF_UNIX) allowed" ok in_bwrap $who $N $B socket 1 1 0
	expect "$who: $N: socket(AF_INET) refused" EAFNOSUPPORT in_bwrap $who $N $B socket 2 1 0
	expect "$who: $N: socket(AF_NETLINK) refused" EAFNOSUPPORT in_bwrap $who $N $B socket 16 3 0
	expect "$who: $N: socket(AF_VSOCK) refused" EAFNOSUPPORT in_bwrap $who $N $B socket 40 1 0
	expect "$who: $N: socketpair(AF_INET) refused" EAFNOSUPPORT in_bwrap $who $N $B socketpair 2 1 0 0
	N=live-net-stream
	expect "$who: $N: socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK) allowed" ok in_bwrap $who $N $B socket 2 0x801 0
	expect "$who: $N: socket(AF_INET, SOCK_DGRAM) refused" EPERM in_bwrap $who $N $B socket 2 2 0
	expect "$who: $N: socket(AF_UNIX, SOCK_RAW) refused (deny raw)" EPERM in_bwrap $who $N $B socket 1 3 0
	expect "$who: $N: socket(AF_INET6) refused" EAFNOSUPPORT in_bwrap $who $N $B socket 10 1 0
	expect "$who: $N: socket(AF_NETLINK) refused, the seccomp rule does not widen it" \
		EAFNOSUPPORT in_bwrap $who $N $B socket 16 3 0
done

tap_end
