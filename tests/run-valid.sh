#!/bin/sh
# run-valid.sh - every valid policy must pass 'leash check'.  Prints TAP.
#
# Checks tests/valid/*.leash and profiles/*.leash, each from its own
# directory: exit status 0, and nothing on stderr.  A file with a line
# starting '#=WARNINGS' may print warnings, but never an 'error:'.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)

tap_name=valid
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"

set --
for f in "$srcdir"/tests/valid/*.leash "$srcdir"/profiles/*.leash; do
	[ -f "$f" ] && set -- "$@" "$f"
done
if [ $# -eq 0 ]; then
	echo "1..0 # SKIP no tests/valid/*.leash or profiles/*.leash"
	exit 0
fi

echo "1..$#"
for f in "$@"; do
	d=${f%/*}
	base=${f##*/}
	name=${d##*/}/$base
	# No -I: the build tree's leash finds include <groups.leash> in
	# the source tree by itself (main.c), as a user running it does.
	(cd "$d" && "$LEASH" check "$base") \
		>"$tmp/stdout" 2>"$tmp/stderr" </dev/null
	rc=$?

	why=
	if [ "$rc" -ne 0 ]; then
		why="exit status $rc"
	elif grep -q 'error:' "$tmp/stderr"; then
		why="error reported"
	elif [ -s "$tmp/stderr" ] && ! grep -q '^#=WARNINGS' "$f"; then
		why="unexpected diagnostics (add a '#=WARNINGS' line if intended)"
	fi

	if [ -z "$why" ]; then
		ok "$name"
		continue
	fi
	not_ok "$name: $why"
	sed -e 's/^/# /' "$tmp/stderr" | head -n 200
done
# The 'not ok' lines fail the test; a non-zero exit status would count
# once more as an ERROR in test-suite.log.
[ "$failed" -eq 0 ] || echo "# $failed of $n failed"
exit 0
