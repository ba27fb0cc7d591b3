#!/bin/sh
# run-fuzz.sh - build tests/fuzz/fuzz-parser.c with clang's libFuzzer,
# ASan and UBSan, and fuzz the front end for a bounded time.  Prints TAP.
#
# The harness, every compiler source and the generated grammar are compiled
# in one clang command, so everything gets coverage instrumentation (with
# a prebuilt libleash.a only the harness would: "cov: 3").  Any crash,
# leak, timeout (-timeout=10) or out-of-memory (-rss_limit_mb=2048) fails.
# Nothing is written into the source tree: the binary, the corpus and any
# crash artifacts go to tests/fuzz/work/ in the build directory.
#
# A found input is kept as tests/fuzz/work/found-crash-<sha1> (or -leak-,
# -timeout-, -oom-); reproduce it with the replayer:
#     tests/fuzz/fuzz-parser tests/fuzz/work/found-crash-...
# and commit it as a regression input, e.g. tests/fuzz/crash-NAME.leash.
#
# Environment (set by make check; defaults work when run by hand from the
# build directory):
#   LEASH_FUZZ_SECONDS   fuzzing time, default 20; 0 only builds and replays
#   LEASH_FUZZ_CC        compiler, default clang
#   abs_top_srcdir, abs_top_builddir, LEASH_CORE_SOURCES,
#   LEASH_FUZZ_CPPFLAGS, LEASH_FUZZ_LIBS    (from Makefile.am)

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${abs_top_builddir:-$(pwd)}
secs=${LEASH_FUZZ_SECONDS:-20}
cc=${LEASH_FUZZ_CC:-clang}
work=$builddir/tests/fuzz/work
bin=$builddir/tests/fuzz/fuzz-parser-libfuzzer

skip() {
	echo "1..1"
	echo "ok 1 # SKIP no clang fuzzer: $*"
	exit 0
}

if ! command -v "$cc" >/dev/null 2>&1; then
	skip "$cc not found"
fi

rm -rf "$work"
mkdir -p "$work/corpus" || exit 1

# Does this clang have libFuzzer (Debian: libclang-rt-14-dev)?
cat >"$work/probe.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
EOF
if ! "$cc" -fsanitize=fuzzer,address,undefined "$work/probe.c" \
	-o "$work/probe" >"$work/probe.log" 2>&1; then
	skip "$cc -fsanitize=fuzzer does not link (libclang-rt-dev?)"
fi

# Sources: the compiler's (from Makefile.am) and the grammar, generated in
# the build tree, or shipped in the source tree of a tarball.
core=${LEASH_CORE_SOURCES:-"compiler/util.c compiler/diag.c compiler/ast.c compiler/arch.c compiler/syscalls.c compiler/consts.c compiler/resolve.c compiler/check.c compiler/policy.c"}
set --
for s in $core; do
	set -- "$@" "$srcdir/$s"
done
for g in grammar/parser.c grammar/lexer.c; do
	if [ -f "$builddir/$g" ]; then
		set -- "$@" "$builddir/$g"
	else
		set -- "$@" "$srcdir/$g"
	fi
done
config_h=
[ -f "$builddir/config.h" ] && config_h="-include $builddir/config.h"
cppflags=${LEASH_FUZZ_CPPFLAGS-$(pkg-config --cflags libseccomp yaml-0.1 2>/dev/null)}
libs=${LEASH_FUZZ_LIBS-$(pkg-config --libs libseccomp yaml-0.1 2>/dev/null)}

echo "1..2"

# shellcheck disable=SC2086 # word splitting of the flag lists is intended
if "$cc" -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -w \
	-DLEASH_LIBFUZZER $config_h \
	-I"$srcdir/compiler" -I"$builddir/grammar" -I"$srcdir/grammar" \
	$cppflags \
	"$srcdir/tests/fuzz/fuzz-parser.c" "$@" \
	-o "$bin" $libs >"$work/build.log" 2>&1; then
	echo "ok 1 - build fuzz-parser with $cc -fsanitize=fuzzer,address,undefined"
else
	echo "not ok 1 - build fuzz-parser with $cc -fsanitize=fuzzer"
	sed -e 's/^/# /' "$work/build.log" | head -n 100
	echo "not ok 2 - fuzz parser for ${secs}s: not built"
	exit 0	# the 'not ok' lines fail the test
fi

# Seed corpus: every policy of the tests and the shipped profiles.  Seeds
# lose their .leash suffix so the replayer never picks them up.
i=0
for f in "$srcdir"/tests/*/*.leash "$srcdir"/tests/*/*/*.leash \
	"$srcdir"/tests/*/*.inc "$srcdir"/profiles/*.leash; do
	[ -f "$f" ] || continue
	i=$((i + 1))
	cp "$f" "$work/corpus/seed-$i" || exit 1
done

# The symbolizer turns addresses in a report into file:line.
if [ -z "$ASAN_SYMBOLIZER_PATH" ]; then
	for s in llvm-symbolizer /usr/lib/llvm-14/bin/llvm-symbolizer; do
		if command -v "$s" >/dev/null 2>&1; then
			ASAN_SYMBOLIZER_PATH=$(command -v "$s")
			export ASAN_SYMBOLIZER_PATH
			break
		fi
	done
fi
# The test environment's ASan options are for the gcc build; libFuzzer
# wants its own defaults (it reports leaks itself).
ASAN_OPTIONS=detect_leaks=1
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS

# Run from the work directory: a relative 'include' that the fuzzer
# invents resolves there, never in the source tree.
cd "$work" || exit 1
if [ "$secs" -gt 0 ]; then
	set -- -max_total_time="$secs"
else
	set -- -runs=0
fi
if "$bin" "$@" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$work/found-" \
	"$work/corpus" >"$work/fuzz.log" 2>&1; then
	stats=$(grep -E '^(Done|stat::number_of_executed_units)' "$work/fuzz.log" | tr '\n' ' ')
	echo "ok 2 - fuzz parser for ${secs}s from $i seeds: $stats"
	exit 0
fi
echo "not ok 2 - fuzz parser for ${secs}s: crash, leak or timeout"
tail -n 80 "$work/fuzz.log" | sed -e 's/^/# /'
for a in "$work"/found-*; do
	[ -f "$a" ] && echo "# artifact: $a (replay: tests/fuzz/fuzz-parser $a)"
done
exit 0	# the 'not ok' line fails the test
