#!/usr/bin/env bash
# quickstart.sh - from a fresh Debian 12 machine to a working leash.
#
# Usage (from anywhere; as root, or with sudo available for apt-get):
#   tools/quickstart.sh demo   install the build dependencies, build in
#                              build/ (./leash links to build/leash), and
#                              run the main job:
#                              ./leash compile -o build/out profiles/docker-default.leash,
#                              then leash-exec on the bundle
#   tools/quickstart.sh test   install the build dependencies, build with
#                              ASan+UBSan and -Werror in build-test/, run
#                              'make -j2 check', show the logs of failed
#                              tests, and end with "N passed, N failed".
#                              Exit status non-zero if anything failed.
#                              (.ci/run runs this.)
#
# Environment: LEASH_FUZZ_SECONDS (default 20) bounds the fuzzing test;
# JOBS (default 2) is passed to make -j.
#
# Both modes are idempotent: packages already installed are not touched
# (no apt-get at all when nothing is missing), and existing build
# directories are reused.

set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
mode=${1:-}
jobs=${JOBS:-2}

# Every Debian package the build, the tests and the fuzzer need.
packages=(
	build-essential pkg-config
	autoconf automake libtool
	flex bison
	libseccomp-dev libyaml-dev
	musl-tools				# leash-exec's C library (configure.ac)
	check
	clang libclang-rt-14-dev llvm-14	# libFuzzer, llvm-symbolizer
	python3					# tests/run-robust.sh
	diffutils git
	# tests/live: the runtimes that load leash's artifacts for real, and
	# a static busybox for their rootfs (glibc's libc.a, for the static
	# probe, comes with build-essential's libc6-dev).
	bubblewrap runc crun docker.io podman busybox-static
	libcap2-bin				# setcap: tests/live/run-escape.sh
	apparmor				# apparmor_parser validates NAME.apparmor
	nginx-light redis-server curl		# profiles/ policies, run for real
	linux-source-6.1	# tests/run-consts.sh: the constants' source
	libsodium-dev		# Ed25519, BLAKE2b, SHA-256: signed bundles
	minisign		# tests/live/run-sign.sh: signs and verifies
	systemd				# systemd-analyze: tests/run-systemd.sh
	systemd-container		# systemd-nspawn: tests/live/run-systemd-live.sh
	python3-jsonschema python3-yaml	# tests/run-k8s.sh: SPO's and k8s' schemas
	strace gcc-multilib	# tests/live/run-record.sh: strace's view, and a
				# static 32-bit x86 workload
	hyperfine		# bench/record.sh
)

log() {
	printf '==> %s\n' "$*"
}

die() {
	printf 'quickstart: %s\n' "$*" >&2
	exit 1
}

install_deps() {
	local missing=() p
	for p in "${packages[@]}"; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$'; then
			missing+=("$p")
		fi
	done
	if [ ${#missing[@]} -eq 0 ]; then
		log "build dependencies already installed"
		return 0
	fi
	local sudo=
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 ||
			die "need root (or sudo) to install: ${missing[*]}"
		sudo="sudo"
	fi
	log "installing: ${missing[*]}"
	local aptlog
	aptlog=$(mktemp) || exit 1
	if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
		>"$aptlog" 2>&1 ||
	   ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >>"$aptlog" 2>&1; then
		cat "$aptlog" >&2
		rm -f "$aptlog"
		die "apt-get failed"
	fi
	rm -f "$aptlog"
}

# configure_in DIR ARGS...: generate ./configure if needed, configure DIR
# (a VPATH build directory) once.
configure_in() {
	local dir=$1
	shift
	if [ -f "$top/config.status" ]; then
		echo "quickstart: the source tree is configured in place; run 'make distclean' at the top first" >&2
		return 1
	fi
	if [ ! -x "$top/configure" ]; then
		log "./autogen.sh"
		./autogen.sh || return 1
	fi
	mkdir -p "$dir" || return 1
	if [ ! -f "$dir/Makefile" ]; then
		log "configure in $dir/: $*"
		(cd "$dir" && "$top/configure" "$@") || return 1
	fi
}

cmd_demo() {
	install_deps
	configure_in build || die "configure failed"
	log "make -j$jobs (in build/)"
	make -C build -j"$jobs" || die "build failed"

	local profile=profiles/docker-default.leash out=build/out
	# ./leash at the top, as after an in-tree build (ignored by git).
	if [ ! -e leash ] || [ -L leash ]; then
		ln -sfn build/leash leash
	fi
	mkdir -p "$out" || die "cannot create $out"
	log "./leash compile -o $out $profile"
	./leash compile -o "$out" "$profile" ||
		die "leash compile failed (exit status $?)"
	ls -l "$out"
	log "./leash explain $profile 'socket(0x100000028, SOCK_STREAM, 0)'"
	log "(AF_VSOCK with upper bits set: Docker's own filter lets it through)"
	./leash explain "$profile" 'socket(0x100000028, SOCK_STREAM, 0)' ||
		die "leash explain failed"
	log "./build/leash-exec $out/docker-default.bundle -- /bin/true"
	log "(the shim applies the whole policy, then execs the program)"
	./build/leash-exec "$out/docker-default.bundle" -- /bin/true ||
		die "leash-exec failed (exit status $?)"
	log "artifacts in $out/: .seccomp.json and .docker for docker/podman,"
	log ".podman for podman (leash's own filter under crun),"
	log ".oci.json for runc/crun (leash oci-merge), .bpf for bwrap --seccomp,"
	log ".apparmor for apparmor_parser, .bundle for leash-exec, .pfc to read"
}

cmd_test() {
	local b=build-test rc=0
	install_deps
	if ! configure_in "$b" --enable-sanitizers --enable-werror; then
		echo "quickstart: configure failed" >&2
		bash tests/tap-summary.sh "$b"
		return 1
	fi
	# A stale log must not be counted if the build fails this time.
	rm -f "$b/test-suite.log"
	log "make -j$jobs check (in $b/)"
	make -C "$b" -j"$jobs" check || rc=1
	if [ $rc -ne 0 ] && [ -f "$b/test-suite.log" ]; then
		log "logs of the tests that did not pass ($b/test-suite.log):"
		cat "$b/test-suite.log"
	fi
	# The last line of output: "N passed, N failed[, N skipped]".
	bash tests/tap-summary.sh "$b" || rc=1
	return $rc
}

case $mode in
demo) cmd_demo ;;
test) cmd_test ;;
*)
	echo "usage: $0 demo|test" >&2
	exit 2
	;;
esac
