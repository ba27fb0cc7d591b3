#!/bin/sh
# tap-summary.sh - the closing line of a test run, from automake's logs.
#
# Usage: tests/tap-summary.sh [BUILDDIR]
#
# Reads BUILDDIR/test-suite.log, whose header automake writes from the
# ':test-result:' lines of every .trs file: with tap-driver.sh that is one
# line per TAP result (each libcheck test case, each golden file, ...),
# plus an ERROR for a script that crashed, bailed out or broke its plan.
# Prints, as its last line,
#
#   N passed, N failed[, N skipped]
#
# with passed = PASS + XFAIL and failed = FAIL + XPASS + ERROR, and exits
# non-zero when anything failed or when there is no test-suite.log (make
# check did not get as far as running the tests: counted as one failure).

b=${1:-.}
log=$b/test-suite.log

if [ ! -f "$log" ]; then
	echo "tap-summary: no $log: the build or 'make check' stopped before the tests ran" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

# The header of test-suite.log: '# PASS:  12' and so on.
count() {
	v=$(sed -n "s/^# $1: *\([0-9][0-9]*\)\$/\1/p" "$log" | head -n 1)
	echo "${v:-0}"
}
total=$(count TOTAL)
pass=$(count PASS)
skip=$(count SKIP)
xfail=$(count XFAIL)
fail=$(count FAIL)
xpass=$(count XPASS)
error=$(count ERROR)

passed=$((pass + xfail))
failed=$((fail + xpass + error))
if [ "$total" -ne $((passed + failed + skip)) ]; then
	echo "tap-summary: $log: totals do not add up ($total)" >&2
	failed=$((failed + 1))
fi
if [ "$total" -eq 0 ]; then
	echo "tap-summary: no test ran" >&2
	failed=$((failed + 1))
fi

if [ "$skip" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skip skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
