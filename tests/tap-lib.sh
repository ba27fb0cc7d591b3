# tap-lib.sh - sourced by tests/run-*.sh: where the sources and leash
# are, a scratch directory and the TAP counters.
#
# Set before sourcing:
#   tap_name   names the scratch directory ($TMPDIR/leash-NAME.XXXXXX)
# Gives $srcdir, $LEASH (an absolute path), $tmp (removed on exit),
# the counters $n and $failed, ok, not_ok and tap_done, and leash_run,
# has and json for the tests of one leash command.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: the script's ../)

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
LEASH=${LEASH:-$(pwd)/leash}
# The tests run leash from other directories.
case $LEASH in
/*) ;;
*) LEASH=$(pwd)/$LEASH ;;
esac

if [ ! -x "$LEASH" ]; then
	echo "Bail out! leash binary '$LEASH' not built"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leash-${tap_name:-test}.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0
failed=0
# Names of files in $tmp that not_ok shows, e.g. "out err": the output
# of the command that failed.
tap_logs=

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

# not_ok DESCRIPTION [DETAIL]
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -n "$2" ] && echo "$2" | sed 's/^/# /'
	for f in $tap_logs; do
		[ -s "$tmp/$f" ] && sed 's/^/# | /' "$tmp/$f" | head -40
	done
	return 0
}

# leash_run COMMAND EXPECTED-STATUS DESCRIPTION ARGS...: leash COMMAND
# ARGS from the source tree, its output in $tmp/out and $tmp/err, its
# exit status in $rc.  0 when that is EXPECTED-STATUS, else not_ok.
leash_run() {
	_cmd=$1
	_want=$2
	_what=$3
	shift 3
	leash_at "$srcdir" "$_want" "$_what" "$_cmd" "$@"
}

# leash_at DIR EXPECTED-STATUS DESCRIPTION ARGS...: leash ARGS run in
# DIR, its output in $tmp/out and $tmp/err, its exit status in $rc.  0
# when that is EXPECTED-STATUS, else not_ok.
leash_at() {
	_dir=$1
	_want=$2
	_what=$3
	shift 3
	(cd "$_dir" && "$LEASH" "$@") >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" -ne "$_want" ]; then
		not_ok "$_what" "exit status $rc, expected $_want"
		return 1
	fi
	return 0
}

# has_in FILE WHY DESCRIPTION LINE...: every LINE appears in FILE as is
# (part of a line); else not ok, "WHY: LINE".
has_in() {
	_file=$1
	_why=$2
	_what=$3
	shift 3
	for _l in "$@"; do
		if ! grep -qF -- "$_l" "$_file"; then
			not_ok "$_what" "$_why: $_l"
			return 1
		fi
	done
	ok "$_what"
}

# has DESCRIPTION LINE...: every LINE appears in $tmp/out.
has() {
	has_in "$tmp/out" "missing line" "$@"
}

# has_err DESCRIPTION LINE...: every LINE appears in $tmp/err.
has_err() {
	has_in "$tmp/err" "missing on stderr" "$@"
}

# json DESCRIPTION PYTHON-EXPR: $tmp/out parses as JSON and EXPR (on d)
# holds.
json() {
	if ! python3 -m json.tool "$tmp/out" >/dev/null 2>"$tmp/err"; then
		not_ok "$1" "--json output does not parse"
		return
	fi
	if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" \
		"$tmp/out" 2>>"$tmp/err"; then
		ok "$1"
	else
		not_ok "$1" "does not hold: $2"
	fi
}

# The plan comes last, after the results.  The 'not ok' lines fail the
# test; a non-zero exit status would count once more as an ERROR in
# test-suite.log.
tap_done() {
	echo "1..$n"
	[ "$failed" -eq 0 ] || echo "# $failed of $n failed"
	exit 0
}
