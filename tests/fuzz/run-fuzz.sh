#!/bin/sh
# run-fuzz.sh - build the fuzz targets with clang's libFuzzer, ASan and
# UBSan, and fuzz each for a bounded time.  Prints TAP.
#
#   fuzz-parser.c   the front end (parse, resolve, check)
#   fuzz-diff.c     differential: random policies through ir_eval(), the
#                   native backend and the libseccomp backend
#   fuzz-bundle.c   the bundle reader, lb_parse(), seeded with the bundles
#                   of the test policies (tests/fuzz/fuzz-bundle --seeds)
#   fuzz-json.c     the JSON readers (sj_parse/sj_compile, oci_read,
#                   jt_parse/jt_merge/jt_write), seeded with the JSON of
#                   the tests (tests/fuzz/fuzz-json --seeds)
#   fuzz-trust.c    trust_walk(), the policy path walk of leash-exec, on
#                   file systems made of the input, seeded with
#                   tests/fuzz/trust-seeds (tests/fuzz/fuzz-trust --seeds);
#                   built from runtime-shim/trust.c and die.c alone
#   fuzz-minisig.c  the signature path of leash-exec (minisign keys and
#                   signatures read, verified, the policy word found),
#                   seeded with valid signatures (tests/fuzz/fuzz-minisig
#                   --seeds); built from runtime-shim/minisig.c and the
#                   shim's cryptography alone
#   fuzz-crypto.c   the shim's cryptography (SHA-256, SHA-512, BLAKE2b,
#                   Ed25519 verification, base64) against libsodium,
#                   differential; seeded with valid signatures and hash
#                   block boundaries (tests/fuzz/fuzz-crypto --seeds)
#   fuzz-log.c      the reader of the kernel's seccomp audit records
#                   (explain --log: seclog_parse()), seeded with the lines
#                   of tests/explain/*.audit (tests/fuzz/fuzz-log --seeds)
#   fuzz-store.c    what 'leash record --merge' reads of the user's file
#                   (record/store.c: the observations, the splice),
#                   seeded with a recorded policy (tests/fuzz/fuzz-store
#                   --seeds)
#
# The harness, every compiler source and the generated grammar are compiled
# in one clang command, so everything gets coverage instrumentation (with
# a prebuilt libleash.a only the harness would: "cov: 3").  Any crash,
# leak, timeout (-timeout=10) or out-of-memory (-rss_limit_mb=2048) fails.
# Nothing is written into the source tree: the binary, the corpus and any
# crash artifacts go to tests/fuzz/work/ in the build directory.
#
# A found input is kept as tests/fuzz/work/found-crash-<sha1> (or -leak-,
# -timeout-, -oom-; fuzz-diff's as tests/fuzz/work/diff/found-..., and
# fuzz-bundle's, fuzz-json's and fuzz-trust's under bundle/, json/ and
# trust/); reproduce it
# with the replayer:
#     tests/fuzz/fuzz-parser tests/fuzz/work/found-crash-...
#     tests/fuzz/fuzz-diff tests/fuzz/work/diff/found-crash-...
#     tests/fuzz/fuzz-json tests/fuzz/work/json/found-crash-...
#     tests/fuzz/fuzz-trust tests/fuzz/work/trust/found-crash-...
#     tests/fuzz/fuzz-minisig tests/fuzz/work/minisig/found-crash-...
#     tests/fuzz/fuzz-crypto tests/fuzz/work/crypto/found-crash-...
#     tests/fuzz/fuzz-log tests/fuzz/work/log/found-crash-...
#     tests/fuzz/fuzz-store tests/fuzz/work/store/found-crash-...
# and commit it as a regression input, e.g. tests/fuzz/crash-NAME.leash
# (fuzz-json's: tests/fuzz/json-seeds/regress-NAME.json; fuzz-trust's:
# tests/fuzz/trust-seeds/regress-NAME).
#
# Environment (set by make check; defaults work when run by hand from the
# build directory):
#   LEASH_FUZZ_SECONDS   fuzzing time per target, default 20; 0 only builds
#                        and replays
#   LEASH_FUZZ_CC        compiler, default clang
#   abs_top_srcdir, abs_top_builddir, LEASH_CORE_SOURCES,
#   LEASH_FUZZ_CPPFLAGS, LEASH_FUZZ_LIBS    (from Makefile.am)

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${abs_top_builddir:-$(pwd)}
secs=${LEASH_FUZZ_SECONDS:-20}
cc=${LEASH_FUZZ_CC:-clang}
work=$builddir/tests/fuzz/work
bin=$builddir/tests/fuzz/fuzz-parser-libfuzzer
diffbin=$builddir/tests/fuzz/fuzz-diff-libfuzzer
bundlebin=$builddir/tests/fuzz/fuzz-bundle-libfuzzer
jsonbin=$builddir/tests/fuzz/fuzz-json-libfuzzer
trustbin=$builddir/tests/fuzz/fuzz-trust-libfuzzer
minisigbin=$builddir/tests/fuzz/fuzz-minisig-libfuzzer
logbin=$builddir/tests/fuzz/fuzz-log-libfuzzer
cryptobin=$builddir/tests/fuzz/fuzz-crypto-libfuzzer
storebin=$builddir/tests/fuzz/fuzz-store-libfuzzer

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
# By hand, the list comes from Makefile.am (one name a line).
core=${LEASH_CORE_SOURCES:-$(sed -n '/^leash_core_sources = /,/^$/s/^[[:space:]]*\([a-z].*\.c\).*/\1/p' "$srcdir/Makefile.am")}
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
cppflags=${LEASH_FUZZ_CPPFLAGS-$(pkg-config --cflags libseccomp yaml-0.1 libsodium 2>/dev/null)}
libs=${LEASH_FUZZ_LIBS-$(pkg-config --libs libseccomp yaml-0.1 libsodium 2>/dev/null)}

echo "1..18"

# build NAME BINARY SOURCES...: compile tests/fuzz/NAME.c with the sources.
build() {
	bname=$1 bout=$2
	shift 2
	# shellcheck disable=SC2086 # word splitting of the flag lists is intended
	"$cc" -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -fno-omit-frame-pointer -w \
		-DLEASH_LIBFUZZER $config_h \
		-I"$srcdir/compiler" -I"$builddir/compiler" \
		-I"$srcdir" -I"$srcdir/runtime-shim" \
		-I"$builddir/grammar" -I"$srcdir/grammar" \
		$cppflags \
		"$srcdir/tests/fuzz/$bname.c" "$@" \
		-o "$bout" $libs
}
# built_tap N NAME BUILT: TAP line N for NAME, built earlier with its
# log in $work/build-NAME.log (BUILT: non-empty when it built).
built_tap() {
	if [ -n "$3" ]; then
		echo "ok $1 - build $2 with $cc -fsanitize=fuzzer,address,undefined"
	else
		echo "not ok $1 - build $2 with $cc -fsanitize=fuzzer"
		sed -e 's/^/# /' "$work/build-$2.log" | head -n 100
	fi
}
# build_tap N NAME BINARY SOURCES...: build NAME, print TAP line N, and
# succeed when it built (the log goes to $work/build-NAME.log).
build_tap() {
	bn=$1 bname=$2
	shift 2
	if build "$bname" "$@" >"$work/build-$bname.log" 2>&1; then
		built_tap "$bn" "$bname" yes
		return 0
	fi
	built_tap "$bn" "$bname" ""
	return 1
}
parser_built= diff_built= bundle_built= json_built= trust_built=
log_built= store_built=
build_tap 1 fuzz-parser "$bin" "$@" && parser_built=yes
build_tap 2 fuzz-diff "$diffbin" "$@" && diff_built=yes
build_tap 3 fuzz-bundle "$bundlebin" "$@" && bundle_built=yes
build_tap 4 fuzz-json "$jsonbin" "$@" && json_built=yes
# fuzz-log needs the compiler's sources ("$@", until the fuzzing options
# replace them below): built now, its TAP line printed after minisig's.
build fuzz-log "$logbin" "$@" >"$work/build-fuzz-log.log" 2>&1 &&
	log_built=yes
# fuzz-store too (record/store.c, 'leash record --merge'); its TAP line
# after fuzz-crypto's.
build fuzz-store "$storebin" "$@" >"$work/build-fuzz-store.log" 2>&1 &&
	store_built=yes
# The shim's trust checks: not the compiler's sources, only their own.
build_tap 5 fuzz-trust "$trustbin" "$srcdir/runtime-shim/trust.c" \
	"$srcdir/runtime-shim/die.c" && trust_built=yes

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

# fuzz N NAME BINARY WORKDIR WHAT: one TAP line.  The 'not ok' lines fail
# the test; the script itself always exits 0.
fuzz() {
	n=$1 name=$2 fbin=$3 fwork=$4 what=$5
	shift 5
	if "$fbin" "$@" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$fwork/found-" \
		"$fwork/corpus" >"$fwork/fuzz.log" 2>&1; then
		stats=$(grep -E '^(Done|stat::number_of_executed_units)' "$fwork/fuzz.log" | tr '\n' ' ')
		echo "ok $n - fuzz $what for ${secs}s: $stats"
		return
	fi
	echo "not ok $n - fuzz $what for ${secs}s: crash, leak, timeout or difference"
	tail -n 80 "$fwork/fuzz.log" | sed -e 's/^/# /'
	for a in "$fwork"/found-*; do
		[ -f "$a" ] && echo "# artifact: $a (replay: tests/fuzz/$name $a)"
	done
}

if [ -n "$parser_built" ]; then
	fuzz 6 fuzz-parser "$bin" "$work" "parser from $i seeds" "$@"
else
	echo "not ok 6 - fuzz parser for ${secs}s: not built"
fi
# fuzz-diff starts from an empty corpus: any bytes make a policy.
mkdir -p "$work/diff/corpus" || exit 1
if [ -n "$diff_built" ]; then
	fuzz 7 fuzz-diff "$diffbin" "$work/diff" "the seccomp backends (differential)" "$@"
else
	echo "not ok 7 - fuzz the seccomp backends for ${secs}s: not built"
fi
# fuzz_seeded N NAME BINARY BUILT DESCRIPTION: fuzz NAME from the seed
# corpus its make-check replayer writes ('NAME --seeds DIR').
fuzz_seeded() {
	sn=$1 sname=$2 sbin=$3 sbuilt=$4 sdesc=$5
	shift 5
	sdir=$work/${sname#fuzz-}
	mkdir -p "$sdir/corpus" || exit 1
	if [ -n "$sbuilt" ] &&
		"$builddir/tests/fuzz/$sname" --seeds "$sdir/corpus" \
			>"$sdir/seeds.log" 2>&1; then
		fuzz "$sn" "$sname" "$sbin" "$sdir" "$sdesc" "$@"
	else
		echo "not ok $sn - fuzz $sdesc for ${secs}s: not built or no seeds"
		[ -f "$sdir/seeds.log" ] && tail -n 20 "$sdir/seeds.log" | sed -e 's/^/# /'
	fi
}
# fuzz-bundle's seeds: the bundles of the test policies.
fuzz_seeded 8 fuzz-bundle "$bundlebin" "$bundle_built" "the bundle reader" "$@"
# fuzz-json's seeds: the JSON of the tests and tests/fuzz/json-seeds,
# with the deep and aliased inputs the replayer makes.
fuzz_seeded 9 fuzz-json "$jsonbin" "$json_built" "the JSON readers" "$@"
# fuzz-trust's seeds: tests/fuzz/trust-seeds, file systems and walks.
fuzz_seeded 10 fuzz-trust "$trustbin" "$trust_built" \
	"the trust checks' path walk" "$@"
# The shim's cryptography (runtime-shim/crypto.h), without libsodium.
crypto_c="$srcdir/runtime-shim/sha2.c $srcdir/runtime-shim/blake2b.c
	$srcdir/runtime-shim/ed25519.c $srcdir/runtime-shim/base64.c"
# The signature reader: runtime-shim/minisig.c, the shim's cryptography
# and libsodium (the harness signs with it) only; built here, after the
# others' runs, so the TAP lines stay in order.
minisig_built=
cd "$builddir" || exit 1
# shellcheck disable=SC2086 # $crypto_c is a list of paths
build_tap 11 fuzz-minisig "$minisigbin" "$srcdir/runtime-shim/minisig.c" \
	$crypto_c && minisig_built=yes
cd "$work" || exit 1
# fuzz-minisig's seeds: valid Ed and ED signatures of the fixed key.
fuzz_seeded 12 fuzz-minisig "$minisigbin" "$minisig_built" \
	"the signature reader and verifier" "$@"
built_tap 13 fuzz-log "$log_built"
# fuzz-log's seeds: the lines of tests/explain/*.audit.
fuzz_seeded 14 fuzz-log "$logbin" "$log_built" \
	"the seccomp audit record reader" "$@"
# The shim's cryptography against libsodium: its own sources and
# libsodium only.
crypto_built=
cd "$builddir" || exit 1
# shellcheck disable=SC2086 # $crypto_c is a list of paths
build_tap 15 fuzz-crypto "$cryptobin" $crypto_c && crypto_built=yes
cd "$work" || exit 1
# fuzz-crypto's seeds: valid signatures, hash block boundaries, base64.
fuzz_seeded 16 fuzz-crypto "$cryptobin" "$crypto_built" \
	"the shim's cryptography against libsodium" "$@"
built_tap 17 fuzz-store "$store_built"
# fuzz-store's seeds: a recorded policy alone and spliced into itself.
fuzz_seeded 18 fuzz-store "$storebin" "$store_built" \
	"the reader of recorded policies (record --merge)" "$@"
exit 0
