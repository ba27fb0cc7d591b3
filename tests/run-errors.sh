#!/bin/sh
# run-errors.sh - golden diagnostics.  Prints TAP.
#
# For each tests/errors/NAME.leash, run 'leash check NAME.leash' from
# inside tests/errors (so diagnostics show bare file names) and compare its
# stderr byte for byte with NAME.expected.  The exit status must be 1, or N
# when the first line of NAME.leash is '#=EXIT N'.  stdout is not compared.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)
#   LEASH_REGEN=1   rewrite every NAME.expected from the current output
#                   (developers: review the diff before committing)
#   LEASH_ERRORS    run only these names (space separated, without .leash)
#
# 'include <x>' in an error test finds the shipped profiles through
# '-I ../../profiles', the same relative path in every build; the source
# tree's profiles/, which the build tree's leash also searches, reads
# @PROFILES@ in the expected text.

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
LEASH=${LEASH:-$(pwd)/leash}
case $LEASH in
/*) ;;
*) LEASH=$(pwd)/$LEASH ;;
esac
dir=$srcdir/tests/errors

if [ ! -x "$LEASH" ]; then
	echo "Bail out! leash binary '$LEASH' not built"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leash-errors.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

profiles=$(cd "$srcdir/profiles" && pwd -P) || exit 1
cd "$dir" || exit 1
if [ -n "$LEASH_ERRORS" ]; then
	set --
	for n in $LEASH_ERRORS; do
		set -- "$@" "$n.leash"
	done
else
	set -- *.leash
fi
if [ "$1" = "*.leash" ]; then
	echo "1..0 # SKIP no tests/errors/*.leash"
	exit 0
fi

echo "1..$#"
n=0
failed=0
for f in "$@"; do
	n=$((n + 1))
	name=${f%.leash}
	want_rc=1
	first=$(head -n 1 "$f" | tr -d '\r')
	case $first in
	'#=EXIT '*) want_rc=$(printf '%s' "${first#'#=EXIT '}" | tr -d ' \t') ;;
	esac

	"$LEASH" check -I ../../profiles "$f" >"$tmp/stdout" 2>"$tmp/raw" </dev/null
	rc=$?
	# The build tree's leash names the source tree's profiles/ by its
	# absolute path, which differs between checkouts.
	sed "s|$profiles|@PROFILES@|g" "$tmp/raw" >"$tmp/stderr"

	if [ "${LEASH_REGEN:-0}" = 1 ]; then
		if ! cmp -s "$tmp/stderr" "$name.expected" 2>/dev/null; then
			cp "$tmp/stderr" "$name.expected" || exit 1
			echo "# regenerated $name.expected"
		fi
	fi

	why=
	if [ ! -f "$name.expected" ]; then
		why="missing $name.expected (LEASH_REGEN=1 writes it)"
	elif [ "$rc" -ne "$want_rc" ]; then
		why="exit status $rc, expected $want_rc"
	elif ! cmp -s "$name.expected" "$tmp/stderr"; then
		why="stderr differs from $name.expected"
	fi

	if [ -z "$why" ]; then
		echo "ok $n - $name"
		continue
	fi
	failed=$((failed + 1))
	echo "not ok $n - $name: $why"
	if [ -f "$name.expected" ]; then
		diff -u "$name.expected" "$tmp/stderr" |
			sed -e "1s|.*|--- $name.expected|" -e "2s|.*|+++ actual stderr|" \
			    -e 's/^/# /' | head -n 200
	else
		sed -e 's/^/# /' "$tmp/stderr" | head -n 200
	fi
	if [ -s "$tmp/stdout" ]; then
		echo "# stdout:"
		sed -e 's/^/# /' "$tmp/stdout" | head -n 50
	fi
done
# The 'not ok' lines fail the test; a non-zero exit status would count
# once more as an ERROR in test-suite.log.
[ "$failed" -eq 0 ] || echo "# $failed of $n failed"
exit 0
