#!/bin/sh
# run-systemd.sh - the systemd target (-t systemd): NAME.service.d/
# zz-leash.conf.  Prints TAP.
#
#   goldens    tests/golden/systemd/*.leash and profiles/nginx.leash:
#              the drop-in and the notes on stderr, byte for byte
#              against *.conf.expected and *.notes.expected
#   verify     for every policy of profiles/ and of the goldens, a unit
#              (ExecStart=/bin/true) with the drop-in beside it, in a
#              temporary directory: `systemd-analyze verify` must exit 0
#              and print nothing (it exits 0 even on lines it ignores,
#              RUNTIMES.md); a drop-in with a bad line must be caught
#   @default   systemd_default[] of systemd-filter.c is what the
#              installed systemd always allows under an allow-list
#   security   `systemd-analyze security --offline=true` scores the unit
#              with a profile's drop-in at least 2 points lower than
#              without; every score is printed as a TAP comment
#   strict     --strict turns the notes into errors and writes nothing
#   tree       every other policy of the tree compiles (or fails with
#              exit 1) and systemd accepts each drop-in
#   writing    -t systemd only when asked; NAME.service.d existing as a
#              file is an error, and the file is left as it was
#
# systemd-analyze is systemd's (Debian package systemd); without it the
# verify and security tests are skipped.  LEASH_GOLDEN_UPDATE=1
# rewrites the expected files instead (review the diff).

tap_name=systemd
. "$(dirname "$0")/tap-lib.sh"

G=$srcdir/tests/golden/systemd
out=$tmp/out.d
mkdir -p "$out"

# same NAME GOT EXPECTED: compare (or update) one file.
same() {
	if [ -n "$LEASH_GOLDEN_UPDATE" ]; then
		cp "$2" "$3" && ok "$1 (updated)"
		return
	fi
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1" "$(diff -u "$3" "$2" | head -n 40)"
	fi
}

# ---- goldens ---------------------------------------------------------------

golden() {	# DIR FILE NAME: compile DIR/FILE (from DIR), compare
	if (cd "$1" && "$LEASH" compile -t systemd -o "$out" "$2") \
		>"$tmp/stdout" 2>"$tmp/$3.notes"; then
		ok "compile -t systemd $2"
	else
		not_ok "compile -t systemd $2" "$(cat "$tmp/$3.notes")"
	fi
	same "$3 drop-in" "$out/$3.service.d/zz-leash.conf" \
		"$G/$3.conf.expected"
	same "$3 notes" "$tmp/$3.notes" "$G/$3.notes.expected"
}
golden "$G" allowlist.leash allowlist
golden "$G" denylist.leash denylist
golden "$srcdir/profiles" nginx.leash nginx

# Each list directive the drop-in sets starts with an empty assignment.
f=$out/allowlist.service.d/zz-leash.conf
bad=
for k in SystemCallFilter SystemCallArchitectures CapabilityBoundingSet \
	AmbientCapabilities SupplementaryGroups ReadOnlyPaths ReadWritePaths \
	InaccessiblePaths NoExecPaths RestrictAddressFamilies; do
	first=$(grep "^$k=" "$f" | head -n 1)
	[ "$first" = "$k=" ] || bad="$bad $k"
done
[ -z "$bad" ] && ok "every list directive is reset first" ||
	not_ok "every list directive is reset first" "not reset:$bad"

# ---- --strict and how the drop-in is written ---------------------------------

mkdir -p "$tmp/strict"
if (cd "$G" && "$LEASH" compile --strict -t systemd -o "$tmp/strict" \
	allowlist.leash) >/dev/null 2>"$tmp/strict.err"; then
	not_ok "--strict: the notes are errors" "exit 0"
elif [ -e "$tmp/strict/allowlist.service.d" ]; then
	not_ok "--strict: nothing written" "$(ls -R "$tmp/strict")"
elif grep -q "allowlist.leash:14:3: error: .*clone3" "$tmp/strict.err" &&
	grep -q "allowlist.leash:13:3: error: .*socket is allowed whatever" \
		"$tmp/strict.err"; then
	ok "--strict: the notes are errors at their rules, nothing written"
else
	not_ok "--strict: the notes are errors at their rules" \
		"$(head -n 20 "$tmp/strict.err")"
fi

mkdir -p "$tmp/bad"
(cd "$G" && "$LEASH" compile -t systemd -o "$tmp/bad" badpath.leash) \
	>/dev/null 2>"$tmp/bad.err"
rc=$?
if [ $rc -eq 1 ] && [ -z "$(ls -A "$tmp/bad")" ] &&
	grep -q "badpath.leash:10:12: error: .*cannot write the path '/srv/a b'" \
		"$tmp/bad.err" &&
	grep -q "badpath.leash:11:8: error: .*cannot write the path '/srv/100%'" \
		"$tmp/bad.err"; then
	ok "a path systemd would split or expand: an error at it, nothing written"
else
	not_ok "a path systemd would split or expand: an error at it" \
		"exit $rc; $(cat "$tmp/bad.err")"
fi

mkdir -p "$tmp/plain"
(cd "$G" && "$LEASH" compile -o "$tmp/plain" denylist.leash) \
	>/dev/null 2>&1
if [ -e "$tmp/plain/denylist.bundle" ] &&
	[ ! -e "$tmp/plain/denylist.service.d" ]; then
	ok "systemd is opt-in: not written without -t systemd"
else
	not_ok "systemd is opt-in" "$(ls "$tmp/plain")"
fi

mkdir -p "$tmp/file"
echo keep >"$tmp/file/allowlist.service.d"
if (cd "$G" && "$LEASH" compile -t systemd -o "$tmp/file" \
	allowlist.leash) >/dev/null 2>"$tmp/file.err"; then
	not_ok "NAME.service.d as a file: an error" "exit 0"
elif grep -q "allowlist.service.d exists and is not a directory" \
	"$tmp/file.err" && [ "$(cat "$tmp/file/allowlist.service.d")" = keep ]
then
	ok "NAME.service.d as a file: an error, the file left as it was"
else
	not_ok "NAME.service.d as a file: an error" "$(cat "$tmp/file.err")"
fi

# A second compile replaces the drop-in in the existing directory.
(cd "$G" && "$LEASH" compile -t systemd -o "$out" allowlist.leash) \
	>/dev/null 2>&1
if [ "$(ls -A "$out/allowlist.service.d")" = zz-leash.conf ]; then
	ok "recompiling replaces the drop-in, leaves no temporary file"
else
	not_ok "recompiling replaces the drop-in" \
		"$(ls -A "$out/allowlist.service.d")"
fi

# ---- systemd-analyze ---------------------------------------------------------

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "ok $((n + 1)) # SKIP systemd-analyze not installed"
	n=$((n + 1))
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit
fi

units=$tmp/units
mkdir -p "$units"

# unit NAME: a bare service, ExecStart= a binary that exists.
unit() {
	cat >"$units/leash-sd-$1.service" <<EOF
[Unit]
Description=leash systemd target test ($1)

[Service]
ExecStart=/bin/true
EOF
}

# verify_unit NAME: systemd-analyze verify by path; it finds the drop-in
# directory beside the unit.  0 when it exits 0 and prints nothing.
verify_unit() {
	(cd "$units" && systemd-analyze verify \
		"$units/leash-sd-$1.service") >"$tmp/verify.out" 2>&1 &&
		[ ! -s "$tmp/verify.out" ]
}

# score NAME: the overall exposure systemd-analyze security gives.
score() {
	systemd-analyze security --offline=true \
		"$units/leash-sd-$1.service" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}

# leash's copy of systemd's @default set (the calls an allow-list always
# allows) is the installed systemd's.
sed -n '/systemd_default\[\] = {/,/^};/p' \
	"$srcdir/compiler/targets/systemd-filter.c" |
	grep -o '"[a-z0-9_]*"' | tr -d '"' | sort >"$tmp/ours"
systemd-analyze syscall-filter @default 2>/dev/null |
	sed -n 's/^    \([a-z0-9_]*\)$/\1/p' | sort >"$tmp/theirs"
if [ -s "$tmp/theirs" ] && cmp -s "$tmp/ours" "$tmp/theirs"; then
	ok "systemd_default[] is systemd-analyze syscall-filter @default"
else
	not_ok "systemd_default[] is systemd-analyze syscall-filter @default" \
		"$(diff "$tmp/ours" "$tmp/theirs")"
fi

# The test can fail: a line systemd ignores is caught.
unit control
mkdir -p "$units/leash-sd-control.service.d"
printf '[Service]\nSystemCallFilter=read not_a_syscall\n' \
	>"$units/leash-sd-control.service.d/zz-leash.conf"
if verify_unit control; then
	not_ok "systemd-analyze verify catches a line it ignores"
else
	ok "systemd-analyze verify catches a line it ignores"
fi

mkdir -p "$tmp/all"
for p in "$srcdir"/profiles/*.leash "$G"/*.leash; do
	case $p in */groups.leash | */badpath.leash) continue ;; esac
	(cd "$(dirname "$p")" && "$LEASH" compile -t systemd -o "$tmp/all" \
		"$(basename "$p")") >/dev/null 2>"$tmp/compile.err" || {
		not_ok "compile -t systemd $(basename "$p")" \
			"$(cat "$tmp/compile.err")"
		continue
	}
done
for d in "$tmp"/all/*.service.d; do
	name=$(basename "$d" .service.d)
	unit "$name"
	bare=$(score "$name")
	cp -r "$d" "$units/leash-sd-$name.service.d"
	if verify_unit "$name"; then
		ok "systemd-analyze verify accepts $name's drop-in"
	else
		not_ok "systemd-analyze verify accepts $name's drop-in" \
			"$(cat "$tmp/verify.out")"
	fi
	with=$(score "$name")
	echo "# $name: exposure $bare bare, $with with zz-leash.conf"
	# The goldens show what maps, not a hardened service (denylist
	# runs as root with no_new_privileges off): scores only.
	[ -e "$srcdir/profiles/$name.leash" ] || continue
	if [ -n "$bare" ] && [ -n "$with" ] &&
		awk -v b="$bare" -v w="$with" 'BEGIN { exit !(b - w >= 2) }'
	then
		ok "$name: the drop-in lowers the exposure by 2 or more ($bare -> $with)"
	else
		not_ok "$name: the drop-in lowers the exposure by 2 or more" \
			"bare '$bare', with the drop-in '$with'"
	fi
done

# Every other policy of the tree: -t systemd exits 0 or 1 (a located
# error), never crashes, and what it writes systemd accepts.
mkdir -p "$tmp/more"
bad=
for p in "$srcdir"/tests/valid/*.leash "$srcdir"/tests/vectors/*.leash \
	"$srcdir"/tests/live/*.leash "$srcdir"/tests/golden/*/*.leash; do
	rm -rf "$tmp/more"/*
	(cd "$(dirname "$p")" && "$LEASH" compile -t systemd -o "$tmp/more" \
		"$(basename "$p")") >/dev/null 2>"$tmp/more.err"
	rc=$?
	if [ $rc -gt 1 ] || grep -q "Sanitizer" "$tmp/more.err"; then
		bad="$bad $(basename "$p"):exit-$rc"
		continue
	fi
	for d in "$tmp"/more/*.service.d; do
		[ -d "$d" ] || continue
		name=more-$(basename "$d" .service.d | tr -c 'A-Za-z0-9_\n-' _)
		unit "$name"
		cp -r "$d" "$units/leash-sd-$name.service.d"
		verify_unit "$name" || bad="$bad $(basename "$p"):verify"
	done
done
[ -z "$bad" ] && ok "every policy of the tree: exit 0 or 1, drop-ins verified" ||
	not_ok "every policy of the tree: exit 0 or 1, drop-ins verified" "$bad"

echo "1..$n"
[ "$failed" -eq 0 ]
