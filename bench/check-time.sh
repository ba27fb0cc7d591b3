#!/bin/sh
# bench/check-time.sh - what 'leash check' costs per megabyte of policy,
# at 10 KB, 100 KB, 1 MB and 4 MB side by side.  A benchmark, not a
# test: it prints numbers.  docs/language.md section 9 promises
# diagnostics linear in the input ("a 1 MB policy of one repeated rule
# is checked in about a second, not minutes"): the seconds per MB should
# stay flat from one size to the next; a column that grows with the size
# is a quadratic pass.
#
#     bench/check-time.sh [BUILDDIR]
#
# BUILDDIR: a build tree with leash built (default: the current
# directory).  Each policy is one seccomp section of one rule repeated
# up to the size, for each of these rules:
#   allow read;                            every copy after the first is
#                                          shadowed: one warning each
#   allow socket if arg0 == 1;             a conditional rule
#   deny socket(domain) if domain == 1;    one whose action is not the
#                                          default: the JSON target's
#                                          disjoint rewrite sees each copy
# (some copies make a filter too big for the kernel: the check then ends
# with that error, which is part of the cost).  Each size is checked
# RUNS times (default 3) and the best time is kept: the machine is
# shared.  The diagnostics go to a file, as a user's terminal or a CI
# log would take them (minus the terminal's own cost).  Environment:
# RUNS, RULES (one rule per line, to time others).
set -eu

builddir=$(cd "${1:-.}" && pwd)
leash=$builddir/leash
runs=${RUNS:-3}
rules=${RULES:-"allow read;
allow socket if arg0 == 1;
deny socket(domain) if domain == 1;"}

if [ ! -x "$leash" ]; then
	echo "check-time.sh: no leash in $builddir (build it first)" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/leash-check-time.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# gen RULE BYTES: a policy of RULE repeated to about BYTES, on stdout.
gen() {
	awk -v rule="$1" -v bytes="$2" 'BEGIN {
		print "policy big {"
		print "    process { user 1000; }"
		print "    seccomp {"
		n = int(bytes / (length(rule) + 9)) + 1
		for (i = 0; i < n; i++)
			print "        " rule
		print "    }"
		print "}"
	}'
}

# now: seconds since the epoch, with nanoseconds.
now() {
	date +%s.%N
}

printf '%-38s %8s %9s %9s %8s\n' "rule" "size" "rules" "seconds" "s/MB"
echo "$rules" | while IFS= read -r rule; do
	[ -n "$rule" ] || continue
	for size in 10240 102400 1048576 4194304; do
		f=$tmp/p.leash
		gen "$rule" "$size" >"$f"
		bytes=$(wc -c <"$f")
		n=$(grep -c . "$f")
		best=
		i=0
		while [ "$i" -lt "$runs" ]; do
			t0=$(now)
			"$leash" check "$f" >/dev/null 2>"$tmp/err" || true
			t1=$(now)
			best=$(awk -v a="$t0" -v b="$t1" -v best="$best" \
				'BEGIN { d = b - a
					 if (best != "" && best < d) d = best
					 printf "%.3f", d }')
			i=$((i + 1))
		done
		case $size in
		10240) label="10 KB" ;;
		102400) label="100 KB" ;;
		1048576) label="1 MB" ;;
		*) label="4 MB" ;;
		esac
		awk -v r="$rule" -v l="$label" -v n="$((n - 5))" -v s="$best" \
			-v b="$bytes" 'BEGIN {
			printf "%-38s %8s %9d %9.3f %8.3f\n", r, l, n, s,
			       s / (b / 1048576) }'
	done
done
