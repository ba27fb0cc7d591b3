#!/bin/sh
# run-consts.sh - leash's per-arch constants (compiler/common/
# consts-table.h) against the kernel source they were generated from,
# Debian's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz; skipped
# when it is not installed).  Prints TAP.
#
#  1. tools/gen-consts.py regenerates the table: it must be the committed
#     one, byte for byte (needs clang and llvm-objcopy).
#  2. tests/consts-kernel.py reads a sample of about 50 names per arch
#     (errno, O_*, F_*, MAP_*, PROT_*, TIOC*/TC*, SOCK_*) from the
#     headers' literal #defines, without a compiler, and 'leash test'
#     checks that leash gives each name that value on that arch, for ten
#     arches (x86_64, x86, aarch64, arm, ppc64le, ppc, mips, mips64el,
#     s390x, riscv64).
#
# Environment: LEASH, abs_top_srcdir (tap-lib.sh); LINUX_SOURCE (the
# tarball, default as above).

tap_name=consts
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"
tap_logs="out err"

src=${LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
if [ ! -r "$src" ]; then
	echo "1..0 # SKIP $src not installed (Debian package linux-source-6.1)"
	exit 0
fi
command -v python3 >/dev/null 2>&1 || {
	echo "1..0 # SKIP python3 not installed"
	exit 0
}

objcopy=$(command -v llvm-objcopy || command -v llvm-objcopy-14)
if command -v clang >/dev/null 2>&1 && [ -n "$objcopy" ]; then
	if OBJCOPY=$objcopy python3 "$srcdir/tools/gen-consts.py" "$src" \
		"$tmp/consts-table.h" >"$tmp/out" 2>"$tmp/err"; then
		if cmp -s "$tmp/consts-table.h" \
			"$srcdir/compiler/common/consts-table.h"; then
			ok "gen-consts.py regenerates consts-table.h as committed"
		else
			diff -u "$srcdir/compiler/common/consts-table.h" \
				"$tmp/consts-table.h" | head -40 >"$tmp/out"
			not_ok "gen-consts.py regenerates consts-table.h as committed" \
				"the table differs from what the kernel source gives"
		fi
	else
		not_ok "gen-consts.py runs on $src"
	fi
else
	n=$((n + 1))
	echo "ok $n # SKIP clang or llvm-objcopy not installed"
fi

mkdir "$tmp/k" || exit 1
if python3 "$srcdir/tests/consts-kernel.py" "$src" "$tmp/k" \
	>"$tmp/arches" 2>"$tmp/err"; then
	ok "sample of constants read from the kernel headers"
else
	not_ok "sample of constants read from the kernel headers"
fi
while read -r arch count; do
	"$LEASH" test "$tmp/k/$arch.leash" "$tmp/k/$arch.vectors" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q "$count of $count vectors held" \
		"$tmp/out"; then
		ok "$arch: $count constants have the kernel's value"
	else
		not_ok "$arch: $count constants have the kernel's value" \
			"leash test exit $rc"
	fi
done <"$tmp/arches"
tap_done
