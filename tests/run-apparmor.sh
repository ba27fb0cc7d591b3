#!/bin/sh
# run-apparmor.sh - the AppArmor target (NAME.apparmor).  Prints TAP.
#
#  1. Golden profiles: each tests/golden/apparmor/NAME.leash is compiled
#     with '-t apparmor -p POLICY' from inside that directory; the
#     profile must equal NAME.apparmor byte for byte, and stderr (the
#     fidelity notes) NAME.notes.  POLICY is NAME, or what a line
#     '#=POLICY name' in NAME.leash says.
#  2. Every policy of tests/valid/*.leash, profiles/*.leash,
#     tests/live/*.leash and tests/golden/apparmor/*.leash is compiled
#     with '-t apparmor' and each profile must pass
#       apparmor_parser -Q -K -q --kernel-features FEATURES PROFILE
#     (one TAP line per profile; the kernel here has no AppArmor, so the
#     parser compiles against a saved feature set and loads nothing).
#  3. Quoting: a path and a profile name with a space, a path with '@'.
#  4. Refusals: what cannot be written into a profile is a located
#     error, exit status 1, and no file is written.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)
#   LEASH_REGEN=1   rewrite every golden NAME.apparmor and NAME.notes
#                   from the current output (review the diff!)
#   APPARMOR_FEATURES  the feature file (default: the one the apparmor
#                   package of Debian 12 installs)

tap_name=apparmor
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"
features=${APPARMOR_FEATURES:-/usr/share/apparmor-features/features}
golden=$srcdir/tests/golden/apparmor

# CI installs the apparmor package (tools/quickstart.sh); without it
# nothing here can be checked.
if ! command -v apparmor_parser >/dev/null 2>&1; then
	echo "1..0 # SKIP apparmor_parser not installed (package apparmor)"
	exit 0
fi
if [ ! -f "$features" ]; then
	echo "1..0 # SKIP no AppArmor feature file $features (package apparmor)"
	exit 0
fi

# Print a file as TAP comments.
show() {
	sed -e 's/^/# /' "$1" | head -n "${2:-100}"
}

validate() {	# FILE: 0 when apparmor_parser accepts it
	apparmor_parser -Q -K -q --kernel-features "$features" "$1" \
		>"$tmp/parser.out" 2>&1
}

# ---- 1. golden profiles --------------------------------------------------

for f in "$golden"/*.leash; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .leash)
	policy=$(sed -n 's/^#=POLICY //p' "$f" | head -n 1)
	policy=${policy:-$name}
	out=$tmp/golden-$name
	mkdir -p "$out"
	(cd "$golden" && "$LEASH" compile -t apparmor -I "$srcdir/profiles" \
		-p "$policy" -o "$out" "$name.leash") \
		>"$tmp/stdout" 2>"$out.stderr" </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -f "$out/$policy.apparmor" ]; then
		echo "# no $policy.apparmor written" >>"$out.stderr"
		rc=99
	fi
	if [ "${LEASH_REGEN:-0}" = 1 ] && [ "$rc" -eq 0 ]; then
		cmp -s "$out/$policy.apparmor" "$golden/$name.apparmor" ||
			{ cp "$out/$policy.apparmor" "$golden/$name.apparmor" &&
			  echo "# regenerated $name.apparmor"; }
		cmp -s "$out.stderr" "$golden/$name.notes" ||
			{ cp "$out.stderr" "$golden/$name.notes" &&
			  echo "# regenerated $name.notes"; }
	fi
	if [ "$rc" -ne 0 ]; then
		not_ok "golden $name: exit status $rc"
		show "$out.stderr"
	elif [ ! -f "$golden/$name.apparmor" ]; then
		not_ok "golden $name: missing $name.apparmor (LEASH_REGEN=1 writes it)"
	elif ! cmp -s "$golden/$name.apparmor" "$out/$policy.apparmor"; then
		not_ok "golden $name: profile differs from $name.apparmor"
		diff -u "$golden/$name.apparmor" "$out/$policy.apparmor" |
			sed -e 's/^/# /' | head -n 200
	else
		ok "golden $name: profile"
	fi
	if [ "$rc" -ne 0 ]; then
		:
	elif [ ! -f "$golden/$name.notes" ]; then
		not_ok "golden $name: missing $name.notes (LEASH_REGEN=1 writes it)"
	elif ! cmp -s "$golden/$name.notes" "$out.stderr"; then
		not_ok "golden $name: notes differ from $name.notes"
		diff -u "$golden/$name.notes" "$out.stderr" |
			sed -e 's/^/# /' | head -n 100
	else
		ok "golden $name: notes"
	fi
done

# ---- 2. every profile the tests compile passes apparmor_parser ----------

for f in "$srcdir"/tests/valid/*.leash "$srcdir"/profiles/*.leash \
	 "$srcdir"/tests/live/*.leash "$golden"/*.leash; do
	[ -f "$f" ] || continue
	# A file of groups only has no policy, so no profile.
	grep -q '^[[:space:]]*policy[[:space:]]' "$f" || continue
	d=${f%/*}
	base=${f##*/}
	label=${d##*/}/$base
	out=$tmp/all/$label
	mkdir -p "$out"
	(cd "$d" && "$LEASH" compile -t apparmor -I "$srcdir/profiles" \
		-o "$out" "$base") >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
	rc=$?
	if [ "$rc" -ne 0 ]; then
		not_ok "$label: leash compile -t apparmor: exit status $rc"
		show "$tmp/stderr"
		continue
	fi
	found=0
	for p in "$out"/*.apparmor; do
		[ -f "$p" ] || continue
		found=1
		if validate "$p"; then
			ok "$label: ${p##*/} passes apparmor_parser"
		else
			not_ok "$label: ${p##*/} fails apparmor_parser"
			show "$tmp/parser.out" 20
			show "$p" 200
		fi
	done
	[ "$found" = 1 ] || not_ok "$label: no profile written"
done

# ---- 3. quoting ------------------------------------------------------------

mkdir -p "$tmp/q"
cat >"$tmp/q/quote.leash" <<'EOF'
leash 1;
policy "two words" {
    filesystem { allow rw "/srv/my data/**", "/var/@{HOME}/x"; }
}
EOF
if (cd "$tmp/q" && "$LEASH" compile -t apparmor -o . quote.leash) \
	>"$tmp/stdout" 2>"$tmp/stderr" </dev/null; then
	p="$tmp/q/two words.apparmor"
	if ! grep -qx 'profile "leash-two words" flags=(attach_disconnected,mediate_deleted) {' "$p"; then
		not_ok "quoting: profile name with a space is not quoted"
		show "$p"
	elif ! grep -qx '  signal (send,receive) peer="leash-two words",' "$p"; then
		not_ok "quoting: peer with a space is not quoted"
		show "$p"
	elif ! grep -qxF '  "/srv/my data/**" rw,' "$p"; then
		not_ok "quoting: path with a space is not quoted"
		show "$p"
	elif ! grep -qxF '  /var/\@HOME/x rw,' "$p"; then
		# '{HOME}' is a set of one member (apparmor_parser refuses
		# it), and '@{' would start an AppArmor variable.
		not_ok "quoting: '@{HOME}' in a path is not written as '\\@HOME'"
		show "$p"
	elif ! validate "$p"; then
		not_ok "quoting: apparmor_parser refuses the quoted profile"
		show "$tmp/parser.out"
	else
		ok "quoting: names and paths with a space, '@{HOME}' as a literal"
	fi
else
	not_ok "quoting: leash compile failed"
	show "$tmp/stderr"
fi

# ---- 4. refusals -----------------------------------------------------------

# refuse NAME 'ERROR LINE' POLICY-TEXT: compiling must exit 1, print the
# located error line exactly, and write no file.
refuse() {
	d=$tmp/refuse-$1
	mkdir -p "$d/out"
	printf '%s\n' "$3" >"$d/bad.leash"
	(cd "$d" && "$LEASH" compile -t apparmor -o out bad.leash) \
		>"$tmp/stdout" 2>"$tmp/stderr" </dev/null
	rc=$?
	if [ "$rc" -ne 1 ]; then
		not_ok "refuse $1: exit status $rc, expected 1"
		show "$tmp/stderr"
	elif ! grep -qxF "$2" "$tmp/stderr"; then
		not_ok "refuse $1: expected error line not printed"
		echo "# expected: $2"
		show "$tmp/stderr"
	elif [ -n "$(ls -A "$d/out")" ]; then
		not_ok "refuse $1: files written: $(ls -A "$d/out" | tr '\n' ' ')"
	else
		ok "refuse $1: located error, exit 1, nothing written"
	fi
}

refuse path-quote \
	"bad.leash:2:40: error: policy 'p': apparmor target: path '/a\"b' contains a double quote, which an AppArmor profile cannot quote" \
	'leash 1;
policy p { filesystem { allow r "/ok", "/a\"b"; } }'

refuse raw-close \
	"bad.leash:2:27: error: policy 'p': apparmor target: raw apparmor rule has a '}' without its '{', which would close the profile" \
	'leash 1;
policy p { apparmor { raw "} profile evil { capability, }"; } }'

refuse raw-open-quote \
	"bad.leash:2:27: error: policy 'p': apparmor target: raw apparmor rule has an unterminated '\"'" \
	'leash 1;
policy p { apparmor { raw "file \"/a,"; } }'

refuse raw-open-brace \
	"bad.leash:2:27: error: policy 'p': apparmor target: raw apparmor rule leaves a '{' open, which would swallow the end of the profile" \
	'leash 1;
policy p { apparmor { raw "profile x {"; } }'

refuse raw-escaped-brace \
	"bad.leash:2:27: error: policy 'p': apparmor target: raw apparmor rule has a '}' without its '{', which would close the profile" \
	'leash 1;
policy p { apparmor { raw "deny /a r, \\}"; } }'

refuse raw-newline \
	"bad.leash:2:27: error: raw apparmor rule contains a newline or control character; write one rule per 'raw'" \
	'leash 1;
policy p { apparmor { raw "file,\n}"; } }'

refuse flag \
	"bad.leash:2:50: error: policy 'p': apparmor target: apparmor flag 'prompt' is unknown to AppArmor 3.0 (apparmor_parser 3.0 refuses the profile)" \
	'leash 1;
policy p { apparmor { flags attach_disconnected, prompt; } }'

refuse name-glob \
	"bad.leash:2:28: error: policy 'p': apparmor target: apparmor profile name 'leash-*' contains a glob character, which AppArmor reads as a pattern in the peer rules" \
	'leash 1;
policy p { apparmor { name "leash-*"; } }'

refuse name-namespace \
	"bad.leash:2:28: error: policy 'p': apparmor target: apparmor profile name ':ns:p' starts with ':', which AppArmor reads as a policy namespace" \
	'leash 1;
policy p { apparmor { name ":ns:p"; } }'

refuse name-quote \
	"bad.leash:2:8: error: policy 'a\"b': apparmor target: apparmor profile name 'leash-a\"b' contains a double quote, which AppArmor cannot quote" \
	'leash 1;
policy "a\"b" { }'

tap_done
