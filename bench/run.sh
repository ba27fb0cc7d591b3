#!/bin/sh
# bench/run.sh - measure leash's seccomp filters against libseccomp's, in
# one run, and print a Markdown table for the README and the targets of
# the docker-default profile (PASS/FAIL).
#
#     bench/run.sh [BUILDDIR]
#
# BUILDDIR: a configured build tree (default: the current directory when
# it is one, else $TMPDIR/leash-bench-build, configured on first use).
# What it builds there: leash, bench/bench-seccomp (make) and
# bench/scmp-build (cc, linked with libseccomp alone).
#
# Steps, all in this one run (the machine is noisy: compare the ratios):
#  1. 'bench-seccomp record' writes down the libseccomp calls runc makes
#     for Docker's tests/data/docker-default.json on an amd64 host with
#     Docker's default capabilities; scmp-build replays them, and its
#     export must equal libseccomp's own in-process one.
#  2. hyperfine times whole processes: 'leash compile -t bpf' of
#     profiles/docker-default.leash (native and libseccomp backends),
#     scmp-build at optimize levels 1 and 2 (runc uses 2: "libseccomp
#     alone"), and runc's whole JSON -> BPF path (bench-seccomp
#     runc-json: JSON parsing, dockerd's filtering, libseccomp, stub).
#  3. bench-seccomp builds every filter in memory, measures them, times
#     the attach of each (N children each, interleaved) and prints the
#     table with hyperfine's medians.
#  4. attach-model times synthetic filters: what the kernel charges per
#     instruction held and per instruction its action cache emulates;
#     then the same split for leash native's and runc's (-O2) filter.
#
# Environment: LEASH_BENCH_RUNS (attach runs per filter, default 200),
# HYPERFINE (default hyperfine), CC (default cc).
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
runs=${LEASH_BENCH_RUNS:-200}
hyperfine=${HYPERFINE:-hyperfine}
cc=${CC:-cc}

if [ $# -ge 1 ]; then
	builddir=$1
elif [ -f Makefile ] && grep -q '^PACKAGE = leash$' Makefile; then
	builddir=$(pwd)
else
	builddir=${TMPDIR:-/tmp}/leash-bench-build
fi
mkdir -p "$builddir"
builddir=$(cd "$builddir" && pwd)
if [ ! -f "$builddir/Makefile" ]; then
	echo "bench: configuring $builddir" >&2
	(cd "$builddir" && "$srcdir/configure" >configure.log 2>&1) || {
		echo "bench: configure failed, see $builddir/configure.log" >&2
		exit 1
	}
fi
command -v "$hyperfine" >/dev/null 2>&1 || {
	echo "bench: $hyperfine not found" >&2
	exit 1
}

echo "bench: building in $builddir" >&2
make -C "$builddir" -j2 leash bench/bench-seccomp >"$builddir/bench-make.log" 2>&1 || {
	tail -n 30 "$builddir/bench-make.log" >&2
	exit 1
}
leash=$builddir/leash
bench=$builddir/bench/bench-seccomp
scmp=$builddir/bench/scmp-build
# shellcheck disable=SC2046 # pkg-config's flags are split on purpose
"$cc" -O2 -o "$scmp" "$srcdir/bench/scmp-build.c" \
	$(pkg-config --cflags --libs libseccomp)

work=$builddir/bench/work
rm -rf "$work"
mkdir -p "$work/native" "$work/libseccomp" "$work/o1" "$work/o2" "$work/runc"

# 1. libseccomp alone: the calls, replayed, give libseccomp's own export.
"$bench" -s "$srcdir" record "$work/docker.script" "$work/expected.bpf"
"$scmp" "$work/docker.script" "$work/o2/docker-default.bpf"
if ! cmp -s "$work/o2/docker-default.bpf" "$work/expected.bpf"; then
	echo "bench: scmp-build's filter differs from libseccomp's in-process export" >&2
	exit 1
fi

# 2. Compile times, whole processes.
policy=$srcdir/profiles/docker-default.leash
echo "bench: timing the compilers (hyperfine)" >&2
"$hyperfine" -N --warmup 3 --style basic \
	--export-json "$work/compile.json" --export-csv "$work/compile.csv" \
	-n leash-native "$leash compile -t bpf -o $work/native $policy" \
	-n leash-libseccomp "$leash compile -b libseccomp -t bpf -o $work/libseccomp $policy" \
	-n libseccomp-O1 "$scmp -O 1 $work/docker.script $work/o1/docker-default.bpf" \
	-n libseccomp-O2 "$scmp $work/docker.script $work/o2/docker-default.bpf" \
	-n runc-json "$bench -s $srcdir runc-json $work/runc/docker-default.bpf" \
	>&2

# 3. Everything else, and the table.
echo "bench: measuring the filters ($runs attaches each)" >&2
rc=0
"$bench" -s "$srcdir" -H "$srcdir/bench/histogram.txt" -n "$runs" \
	-c "$work/compile.csv" 2>"$work/bench.log" || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
	cat "$work/bench.log" >&2
	exit "$rc"
fi

# 4. The kernel's cost model for attaching, to read the attach figures:
# static cost per instruction held, emulation cost per path instruction.
"$cc" -O2 -o "$work/attach-model" "$srcdir/bench/attach-model.c"
echo
echo "Attach cost model (bench/attach-model.c, synthetic filters):"
echo
(cd "$work" && ./attach-model "$runs" native/docker-default.bpf \
	runc/docker-default.bpf)
echo
echo "Details: $work (compile.json: hyperfine)"
# Exit status 3: a target failed.
exit "$rc"
