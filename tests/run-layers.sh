#!/bin/sh
# run-layers.sh - the compiler's dependencies point one way (TAP).
#
# compiler/ has one folder per pipeline stage, lowest first:
#
#   common < front < seccomp < targets < pipeline < interop, record < cli
#
# A file may include headers of its own folder and of lower folders,
# never of a higher one (docs/architecture.md says why each folder sits
# where it does).  grammar/ is the front end's generated half; the shim
# (runtime-shim/) includes nothing of the compiler, and the compiler
# takes from the shim only the formats it writes (bundle.h,
# minisig.h).  Every #include "..." of a hand-written file must name its
# folder, so that this check sees where it points.
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$srcdir" || exit 1

rank() {
	case $1 in
	common) echo 0 ;;
	front | grammar) echo 1 ;;
	seccomp) echo 2 ;;
	targets) echo 3 ;;
	pipeline) echo 4 ;;
	interop) echo 5 ;;
	record) echo 5 ;;
	cli) echo 6 ;;
	*) echo -1 ;;
	esac
}

n=0
fail=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	fail=$((fail + 1))
	echo "not ok $n - $1"
}

files=$(find compiler grammar runtime-shim -type f \
	\( -name '*.c' -o -name '*.h' -o -name '*.l' -o -name '*.y' \) \
	! -name 'syscalls-table.h' ! -name 'parser.h' | LC_ALL=C sort)

for f in $files; do
	case $f in
	compiler/*/*) dir=${f#compiler/}; dir=${dir%%/*} ;;
	grammar/*) dir=grammar ;;
	runtime-shim/*) dir=shim ;;
	*) not_ok "$f: not in a stage folder"; continue ;;
	esac
	bad=
	incs=$(sed -n \
		's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' \
		"$f")
	for inc in $incs; do
		case $inc in
		parser.h | lex.yy.h) continue ;;	# bison's and flex's own
		esac
		if [ "$dir" = shim ]; then
			case $inc in
			*/*) bad="$bad $inc(nothing of the compiler)" ;;
			esac
			continue
		fi
		case $inc in
		runtime-shim/bundle.h | runtime-shim/minisig.h) continue ;;
		runtime-shim/*)
			bad="$bad $inc(only the bundle format)"
			continue ;;
		*/*) ;;
		*) bad="$bad $inc(no folder)"; continue ;;
		esac
		to=${inc%%/*}
		if [ "$(rank "$to")" -lt 0 ]; then
			bad="$bad $inc(unknown folder)"
		elif [ "$(rank "$to")" -gt "$(rank "$dir")" ]; then
			bad="$bad $inc(up: $dir -> $to)"
		fi
	done
	if [ -n "$bad" ]; then
		not_ok "$f includes upward or unqualified:$bad"
	else
		ok "$f"
	fi
done
echo "1..$n"
[ "$fail" -eq 0 ]
