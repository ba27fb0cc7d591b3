#!/bin/sh
# run-import.sh - 'leash import' on real and hand-written seccomp
# profiles.  Prints TAP.
#
# Docker's and podman's default profiles and tests/import/formats.json
# (every format feature and operator) must import, and the import must
# compile; the filter-level comparison with the original profile is
# tests/unit/test-import.  Broken profiles must fail with a located
# error and leave nothing behind.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)

tap_name=import
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"

echo "1..16"

# import NAME JSON ARGS...: import into $tmp/NAME.leash.
import() {
	_name=$1
	_json=$2
	shift 2
	"$LEASH" import --kernel 6.12 --host amd64 "$@" -o "$tmp/$_name.leash" \
		"$_json" >"$tmp/$_name.out" 2>"$tmp/$_name.err" </dev/null
}

for p in docker podman; do
	if import $p "$srcdir/tests/data/$p-default.json" &&
	   [ -s "$tmp/$p.leash" ]; then
		ok "$p-default.json imports"
	else
		not_ok "$p-default.json imports" "$(cat "$tmp/$p.err")"
	fi
done
if import formats "$srcdir/tests/import/formats.json" --caps none &&
   [ -s "$tmp/formats.leash" ]; then
	ok "formats.json imports"
else
	not_ok "formats.json imports" "$(cat "$tmp/formats.err")"
fi

# The JSON target refuses a `:64` rule on x32 (libseccomp compares the
# low half there), which Docker's import and formats.json have: those
# are compiled to BPF; podman's is checked whole.
for p in podman; do
	if "$LEASH" check "$tmp/$p.leash" >"$tmp/chk.out" 2>"$tmp/chk.err"; then
		ok "leash check accepts the import of $p"
	else
		not_ok "leash check accepts the import of $p" \
			"$(cat "$tmp/chk.err")"
	fi
done
for p in docker:docker-default formats:formats; do
	if "$LEASH" compile -t bpf -o "$tmp" "$tmp/${p%%:*}.leash" \
		>"$tmp/c.out" 2>"$tmp/c.err" && [ -s "$tmp/${p#*:}.bpf" ]; then
		ok "the import of ${p%%:*} compiles to BPF"
	else
		not_ok "the import of ${p%%:*} compiles to BPF" \
			"$(cat "$tmp/c.err")"
	fi
done

# has FILE PATTERN DESCRIPTION
want() {
	if grep -q -e "$2" "$1"; then
		ok "$3"
	else
		not_ok "$3" "no '$2' in $1"
	fi
}
want "$tmp/docker.leash" 'allow socket(family:64)' \
	"Docker's 64-bit socket rule is imported as family:64"
want "$tmp/docker.err" 'warning: socket compares 32-bit argument .*bypassable' \
	"and a warning says it is bypassable"
want "$tmp/docker.leash" 'when cap SYS_ADMIN' "includes.caps become when cap"
want "$tmp/docker.leash" 'base docker;' "--caps docker sets base docker"
want "$tmp/podman.leash" 'default errno(ENOSYS);' \
	"podman's defaultErrnoRet becomes the default"
want "$tmp/formats.leash" '# unknown to leash: no_such_call' \
	"an unknown name is kept as a comment"
want "$tmp/formats.err" "formats.json:6:[0-9]*: warning: unknown syscall 'no_such_call'" \
	"and a located warning"

# Broken profiles: exit 1, file:line:col, nothing written.
for b in action:3:33 op:4:44 json:3:22; do
	f=${b%%:*}
	loc=${b#*:}
	rm -f "$tmp/bad.leash"
	"$LEASH" import -o "$tmp/bad.leash" "$srcdir/tests/import/bad-$f.json" \
		>"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	if [ $rc -eq 1 ] && [ ! -e "$tmp/bad.leash" ] &&
	   grep -q "bad-$f.json:$loc: error: " "$tmp/bad.err"; then
		ok "bad-$f.json: located error, exit 1, nothing written"
	else
		not_ok "bad-$f.json: located error, exit 1, nothing written" \
			"exit $rc: $(cat "$tmp/bad.err")"
	fi
done

[ "$failed" -eq 0 ]
