#!/bin/sh
# run-oci.sh - runc and crun load leash's NAME.seccomp.json, as the OCI
# config's linux.seccomp, and the container gets what the policy says.
# Prints TAP.
#
# The bundle is `runc spec`'s config.json with a busybox rootfs, the
# static probe as /try-syscall, process.args running it, and
# linux.seccomp replaced by the compiled profile.  Both runtimes compile
# the profile with libseccomp (runc adds its own -ENOSYS stub) and load
# it shortly before exec'ing the probe; they make a few calls of their
# own after that, so the policies are permissive ones
# (tests/live/denylist.leash) or Docker's (profiles/docker-default.leash
# and tests/live/eacces.leash, which extends it).  Proves: each refused
# call fails with the policy's errno, including argument conditions on
# 32- and 64-bit arguments, a `kill` rule kills, allowed calls work, and
# defaultErrnoRet (the policy's default errno) is honoured.
#
# runc and crun keep their state under the temp dir (--root), so nothing
# is left behind; crun runs in a private mount namespace where the
# hybrid cgroup v2 controller list reads empty (RUNTIMES.md: crun 1.8
# refuses hybrid cgroups).

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

require_x86_64
require_tools
have_runc=false
have_crun=false
command -v runc >/dev/null 2>&1 && have_runc=true
command -v crun >/dev/null 2>&1 && have_crun=true
$have_runc || $have_crun ||
	skip_all "neither runc nor crun installed (Debian packages runc, crun)"
[ "$(id -u)" -eq 0 ] || skip_all "runc and crun need root here (rootless needs a cgroup setup this test does not make)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed (it edits config.json)"
command -v busybox >/dev/null 2>&1 || skip_all "busybox not installed (Debian package busybox-static)"

# runc rejects a rootfs path with a symlink in it: resolve the temp dir.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/leash-oci.XXXXXX") || bail "mktemp failed"
tmp=$(cd "$tmp" && pwd -P) || bail "temp dir vanished"
# crun makes /run/crun even with --root elsewhere.
run_crun_existed=false
[ -e /run/crun ] && run_crun_existed=true
cleanup() {
	oci_delete_all "$tmp"
	rm -rf "$tmp"
	$run_crun_existed || rmdir /run/crun 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

for f in denylist eacces network; do
	compile_policy "$srcdir/tests/live/$f.leash" "$tmp" || bail "cannot compile"
done
compile_policy "$srcdir/profiles/docker-default.leash" "$tmp" || bail "cannot compile"

bundle=$tmp/bundle
make_rootfs "$bundle/rootfs" 2>"$tmp/err" || { diag_file "$tmp/err"; bail "cannot build the rootfs"; }
# `runc spec` and `crun spec` write the same kind of default config.
if $have_runc; then
	(cd "$bundle" && runc spec) || bail "runc spec failed"
else
	(cd "$bundle" && crun spec) || bail "crun spec failed"
fi
mv "$bundle/config.json" "$tmp/base.json" || bail "no config.json"

# oci_config POLICY CALL ARGS...: the bundle's config.json for one run.
# terminal off (no tty here); no apparmorProfile (RUNTIMES.md: both
# runtimes fail when one is set and AppArmor is absent).
oci_config() {
	python3 - "$tmp/base.json" "$tmp/$1.seccomp.json" "$bundle/config.json" \
		/try-syscall "$@" <<'EOF'
import json, sys
base, prof, out, probe, policy = sys.argv[1:6]
args = sys.argv[6:]
with open(base) as f:
    cfg = json.load(f)
with open(prof) as f:
    cfg["linux"]["seccomp"] = json.load(f)
cfg["process"]["terminal"] = False
cfg["process"]["args"] = [probe] + args
cfg["process"].pop("apparmorProfile", None)
with open(out, "w") as f:
    json.dump(cfg, f)
EOF
}

n_run=0

# in_runtime RUNTIME POLICY CALL ARGS...
in_runtime() {
	_rt=$1
	shift
	oci_config "$@" || return 125
	n_run=$((n_run + 1))
	oci_run $_rt "$tmp/$_rt-state" "$bundle" leash-live-$$-$n_run
}

for rt in runc crun; do
	if ! eval "\$have_$rt"; then
		skip "$rt not installed (Debian package $rt)"
		continue
	fi
	diag "$($rt --version 2>&1 | head -n 1)"

	D=live-denylist
	expect "$rt: $D: errno(EACCES) mkdir" EACCES in_runtime $rt $D mkdir 0 0
	expect "$rt: $D: deny rmdir is EPERM" EPERM in_runtime $rt $D rmdir 0
	expect "$rt: $D: errno(ENOSYS) clone3" ENOSYS in_runtime $rt $D clone3 0 0
	expect "$rt: $D: socket(0x10000000a) refused (32-bit compare)" EPFNOSUPPORT \
		in_runtime $rt $D socket 0x10000000a 1 0
	expect "$rt: $D: socket(AF_UNIX) allowed" ok in_runtime $rt $D socket 1 1 0
	expect "$rt: $D: lseek offset 2^32 refused" E2BIG in_runtime $rt $D lseek -1 0x100000000 0
	expect "$rt: $D: lseek offset 0xffffffff allowed" EBADF in_runtime $rt $D lseek -1 0xffffffff 0
	expect "$rt: $D: tty ioctl with upper bits refused" ENOTTY \
		in_runtime $rt $D ioctl -1 0xffffffff00005401 0
	expect "$rt: $D: personality(ADDR_NO_RANDOMIZE) refused" EINVAL \
		in_runtime $rt $D personality 0x40000
	expect "$rt: $D: kill uselib dies of SIGSYS" SIGSYS in_runtime $rt $D uselib 0

	K=docker-default
	expect "$rt: $K: getpid" ok in_runtime $rt $K getpid
	expect "$rt: $K: socket(AF_UNIX)" ok in_runtime $rt $K socket 1 1 0
	expect "$rt: $K: socket(AF_VSOCK) refused" EPERM in_runtime $rt $K socket 40 1 0
	expect "$rt: $K: socket(0x100000028) refused" EPERM in_runtime $rt $K socket 0x100000028 1 0
	expect "$rt: $K: socket(0x100000026) refused" EPERM in_runtime $rt $K socket 0x100000026 5 0
	expect "$rt: $K: errno(ENOSYS) clone3" ENOSYS in_runtime $rt $K clone3 0 0
	expect "$rt: $K: clone(CLONE_NEWUSER) refused" EPERM \
		in_runtime $rt $K clone 0x10000011 0 0 0 0
	expect "$rt: $K: socket(AF_VSOCK) via int 0x80 refused" EPERM \
		in_runtime $rt $K --abi i386 socket 40 1 0

	# The default errno travels as defaultErrnoRet.
	E=live-eacces
	expect "$rt: $E: unmatched mount gets defaultErrnoRet" EACCES \
		in_runtime $rt $E mount 0 0 0 0 0
	expect "$rt: $E: allowed getpid" ok in_runtime $rt $E getpid

	# The network section in the filter (tests/live/network.leash):
	# AF_INET 2, AF_INET6 10, AF_NETLINK 16, AF_VSOCK 40; SOCK_STREAM 1,
	# SOCK_DGRAM 2, SOCK_RAW 3, SOCK_NONBLOCK 0x800.
	N=live-net-none
	expect "$rt: $N: socket(AF_UNIX) allowed" ok in_runtime $rt $N socket 1 1 0
	expect "$rt: $N: socket(AF_INET) refused" EAFNOSUPPORT in_runtime $rt $N socket 2 1 0
	expect "$rt: $N: socket(AF_NETLINK) refused" EAFNOSUPPORT in_runtime $rt $N socket 16 3 0
	expect "$rt: $N: socket(AF_VSOCK) refused" EAFNOSUPPORT in_runtime $rt $N socket 40 1 0
	expect "$rt: $N: socketpair(AF_INET) refused" EAFNOSUPPORT in_runtime $rt $N socketpair 2 1 0 0
	N=live-net-stream
	expect "$rt: $N: socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK) allowed" ok in_runtime $rt $N socket 2 0x801 0
	expect "$rt: $N: socket(AF_INET, SOCK_DGRAM) refused" EPERM in_runtime $rt $N socket 2 2 0
	expect "$rt: $N: socket(AF_UNIX, SOCK_RAW) refused (deny raw)" EPERM in_runtime $rt $N socket 1 3 0
	expect "$rt: $N: socket(AF_INET6) refused" EAFNOSUPPORT in_runtime $rt $N socket 10 1 0
	expect "$rt: $N: socket(AF_NETLINK) refused, the seccomp rule does not widen it" \
		EAFNOSUPPORT in_runtime $rt $N socket 16 3 0
done

# What leash's compile notes predict for runc (its libseccomp 2.5.4
# knows x86_64 syscalls up to 456, futex_requeue): runc's -ENOSYS stub
# answers for the newer numbers before the policy's default can.  469
# is one of them (known to leash, unmatched by live-eacces).
if $have_runc; then
	expect "runc: live-eacces: syscall 469, newer than runc's libseccomp, gets runc's ENOSYS (leash's note)" \
		ENOSYS in_runtime runc live-eacces 469
fi

tap_end
