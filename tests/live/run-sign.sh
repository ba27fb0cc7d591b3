#!/bin/sh
# run-sign.sh - signed bundles, with the real minisign (0.11): 'leash
# sign' and leash-exec --trust, and the system trust directory.  Prints
# TAP.
#
# The program run is 'touch MARKER': a refusal must exit 125 with a
# message naming the reason, and leave no marker (the program never
# ran).  Every leash-exec case runs as root and as nobody (setpriv).
#   - minisign -V verifies what 'leash sign' writes (and -H: prehashed);
#   - leash-exec --trust runs bundles signed by 'leash sign', 'minisign
#     -S' (ED, the default) and 'minisign -S -l' (legacy Ed), with
#     -t "leash-policy=NAME";
#   - refused: no .minisig, a tampered bundle (its digest recomputed, so
#     only the signature can tell), a tampered trusted comment, another
#     key, a comment naming no policy or another policy, another
#     policy's signature or signed bundle copied into place, garbage,
#     a --trust key others may write;
#   - 'leash sign' refuses an encrypted key and a file that is no bundle.
# The system trust directory (leash-exec --help names it) is tested in a
# private mount namespace only ('unshare -m', a tmpfs over its parent
# directory, or an overlay over the grandparent when the parent does not
# exist): other tests run leash-exec at the same time, and the real
# directory would make signatures mandatory for all of them.  There:
# signed bundles run without --trust; unsigned ones and 'leash run' are
# refused; a key not in the directory, a directory or key file others
# may write, a key that is a symbolic link or not a key, all refuse.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

SHIM=${LEASH_EXEC:-$builddir/leash-exec}
[ -x "$SHIM" ] || bail "leash-exec '$SHIM' not built"
[ -x "$LEASH" ] || bail "leash binary '$LEASH' not built"

# ---- inside the private mount namespace (run by the outer part) --------
if [ "${1:-}" = --inner ]; then
	tmp=$2
	td=$3
	. "$tmp/cases.sh"
	mount --make-rprivate / || { not_ok "mount --make-rprivate /"; exit 0; }
	parent=${td%/*}
	if [ -d "$parent" ]; then
		mount -t tmpfs -o mode=755 leash-sign "$parent" ||
			{ not_ok "tmpfs over $parent"; exit 0; }
	else
		grand=${parent%/*}
		[ -n "$grand" ] || grand=/
		mkdir -p "$tmp/ovl" &&
			mount -t tmpfs -o mode=755 leash-sign "$tmp/ovl" &&
			mkdir "$tmp/ovl/u" "$tmp/ovl/w" &&
			mount -t overlay leash-sign -o "lowerdir=$grand,upperdir=$tmp/ovl/u,workdir=$tmp/ovl/w" "$grand" ||
			{ not_ok "an overlay over $grand"; exit 0; }
		mkdir -m 755 "$parent" || { not_ok "mkdir $parent"; exit 0; }
	fi
	runs "no trust directory: an unsigned bundle runs" root unsigned \
		"$tmp/u/sign_alpha.bundle"
	mkdir -m 755 "$td" && cp "$tmp/k/k.pub" "$td/k.pub" &&
		chmod 644 "$td/k.pub" || { not_ok "make $td"; exit 0; }
	for who in $whos; do
		runs "trust dir: signed by one of its keys, no --trust" \
			"$who" td-ok "$tmp/b/sign_alpha.bundle"
		refused "trust dir: an unsigned bundle" "$who" td-unsigned \
			"not signed.*trust directory $td exists" \
			"$tmp/u/sign_alpha.bundle"
		rm -f "$tmp/m/run-$who"
		as "$who" "$LEASH" run -I "$srcdir/profiles" -p sign_alpha \
			"$tmp/sign.leash" -- "$touch" "$tmp/m/run-$who" \
			>"$tmp/out" 2>"$tmp/err"
		judge_refused "trust dir: 'leash run' (an unsigned bundle in a memfd)" \
			"$who" $? "run-$who" "signatures are mandatory"
		# leash-exec itself refuses the descriptor 'leash run'
		# would hand it.
		rm -f "$tmp/m/fd-$who"
		as "$who" sh -c 'exec "$1" /proc/self/fd/3 -- "$2" "$3" 3<"$4"' \
			sh "$SHIM" "$touch" "$tmp/m/fd-$who" \
			"$tmp/u/sign_alpha.bundle" >"$tmp/out" 2>"$tmp/err"
		judge_refused "trust dir: an unsigned bundle as a descriptor" \
			"$who" $? "fd-$who" "has no signature, and one is required"
		refused "trust dir: signed by a key not in it" "$who" td-k2 \
			"not one of the 1 key" "$tmp/c-k2/sign_alpha.bundle"
		refused "trust dir: --trust of a key not in it" "$who" td-k2t \
			"not one of the 1 key" --trust "$tmp/k/k2.pub" \
			"$tmp/c-k2/sign_alpha.bundle"
		runs "trust dir and --trust of its key: both hold" "$who" \
			td-both --trust "$tmp/k/k.pub" "$tmp/b/sign_alpha.bundle"
	done
	echo "not a key" >"$td/README"
	runs "trust dir: a file not named *.pub is ignored" root td-readme \
		"$tmp/b/sign_alpha.bundle"
	chmod 775 "$td"
	refused "trust dir writable by its group" root td-g775 \
		"writable by group or others" "$tmp/b/sign_alpha.bundle"
	chmod 1777 "$td"
	refused "trust dir writable by others, even sticky" nobody td-o1777 \
		"writable by group or others" "$tmp/b/sign_alpha.bundle"
	chmod 755 "$td"
	chown 65534 "$td/k.pub"
	refused "trust dir: a key file not root's" root td-owner \
		"owned by uid 65534" "$tmp/b/sign_alpha.bundle"
	chown 0 "$td/k.pub"
	chmod 664 "$td/k.pub"
	refused "trust dir: a key file its group may write" nobody td-k664 \
		"writable by group or others" "$tmp/b/sign_alpha.bundle"
	chmod 644 "$td/k.pub"
	ln -s "$tmp/k/k2.pub" "$td/link.pub"
	refused "trust dir: a key that is a symbolic link" root td-link \
		"link.pub" "$tmp/b/sign_alpha.bundle"
	rm -f "$td/link.pub"
	echo garbage >"$td/bad.pub"
	refused "trust dir: a .pub that is not a key" root td-bad \
		"not a minisign public key" "$tmp/b/sign_alpha.bundle"
	rm -f "$td/bad.pub"
	chmod 700 "$td"
	refused "trust dir unreadable by the caller: fail closed" nobody \
		td-700 "trust directory $td" "$tmp/b/sign_alpha.bundle"
	chmod 755 "$td"
	runs "trust dir put right again: signed bundles run" nobody td-again \
		"$tmp/b/sign_alpha.bundle"
	exit 0
fi

command -v minisign >/dev/null 2>&1 ||
	skip_all "minisign not installed (Debian package minisign)"
touch=$(command -v touch) || bail "no touch"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leash-sign.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

whos=root
if [ "$(id -u)" -ne 0 ]; then
	diag "not root: every run is unprivileged"
	whos=user
elif command -v setpriv >/dev/null 2>&1; then
	whos="root nobody"
else
	skip "the unprivileged runs need setpriv (Debian package util-linux)"
fi

# The helpers, also for the inner part (a new shell).
cat >"$tmp/cases.sh" <<EOF
touch='$touch'
whos='$whos'
SHIM='$SHIM'
LEASH='$LEASH'
srcdir='$srcdir'
EOF
cat >>"$tmp/cases.sh" <<'EOF'
# The inner part's TAP lines carry no number: the outer part counts.
if [ -n "${SIGN_INNER:-}" ]; then
	ok() { echo "ok - $*"; }
	not_ok() { echo "not ok - $*"; }
fi

# runs DESC WHO MARK ARGS...: leash-exec ARGS -- touch MARK must run.
runs() {
	_d=$1 _w=$2 _m=$3-$2
	shift 3
	rm -f "$tmp/m/$_m"
	as "$_w" "$SHIM" "$@" -- "$touch" "$tmp/m/$_m" >"$tmp/out" 2>"$tmp/err"
	_rc=$?
	if [ $_rc -eq 0 ] && [ -e "$tmp/m/$_m" ]; then
		ok "$_w: $_d"
	else
		not_ok "$_w: $_d: exit $_rc"
		diag_file "$tmp/err"
	fi
}

# judge_refused DESC WHO RC MARK PATTERN: exit 125, PATTERN (grep -E)
# in the message, and no marker.
judge_refused() {
	if [ "$3" -eq 125 ] && [ ! -e "$tmp/m/$4" ] &&
		grep -Eq -- "$5" "$tmp/err"; then
		ok "$2: $1: 125, $(head -n 1 "$tmp/err" | cut -c1-150)"
	else
		not_ok "$2: $1: exit $3, marker $(test -e "$tmp/m/$4" &&
			echo made || echo absent), want 125 and /$5/"
		diag_file "$tmp/err"
	fi
}

# refused DESC WHO MARK PATTERN ARGS...: leash-exec ARGS -- touch MARK
# exits 125 saying PATTERN, and touch never ran.
refused() {
	_d=$1 _w=$2 _m=$3-$2 _p=$4
	shift 4
	rm -f "$tmp/m/$_m"
	as "$_w" "$SHIM" "$@" -- "$touch" "$tmp/m/$_m" >"$tmp/out" 2>"$tmp/err"
	judge_refused "$_d" "$_w" $? "$_m" "$_p"
}
EOF
. "$tmp/cases.sh"

# ---- keys, bundles, signatures -----------------------------------------
mkdir -p "$tmp/k" "$tmp/b" "$tmp/u" "$tmp/m" || bail "mkdir failed"
chmod 755 "$tmp" "$tmp/k" "$tmp/b" "$tmp/u"
chmod 1777 "$tmp/m"
for k in k k2; do
	minisign -G -W -p "$tmp/k/$k.pub" -s "$tmp/k/$k.sec" \
		>/dev/null 2>"$tmp/err" </dev/null ||
		{ diag_file "$tmp/err"; bail "minisign -G -W failed"; }
done
# An encrypted key: minisign reads the password twice from stdin.
printf 'secret\nsecret\n' | minisign -G -p "$tmp/k/e.pub" \
	-s "$tmp/k/e.sec" >/dev/null 2>&1 || bail "minisign -G failed"
chmod 644 "$tmp"/k/*.pub
cp "$srcdir/tests/live/sign.leash" "$tmp/sign.leash" || bail "cp failed"
"$LEASH" compile -t bundle -o "$tmp/b" "$tmp/sign.leash" \
	>/dev/null 2>"$tmp/err" </dev/null ||
	{ diag_file "$tmp/err"; bail "cannot compile sign.leash"; }
cp "$tmp/b/sign_alpha.bundle" "$tmp/u/" || bail "cp failed"

if "$LEASH" sign -s "$tmp/k/k.sec" "$tmp/b/sign_alpha.bundle" \
	>"$tmp/out" 2>"$tmp/err" &&
	"$LEASH" sign -s "$tmp/k/k.sec" "$tmp/b/sign_beta.bundle" \
	>>"$tmp/out" 2>>"$tmp/err"; then
	ok "leash sign -s k.sec: $(sed -n 3p "$tmp/b/sign_alpha.bundle.minisig")"
else
	not_ok "leash sign -s k.sec"
	diag_file "$tmp/err"
fi
chmod 644 "$tmp"/b/*
if minisign -V -p "$tmp/k/k.pub" -m "$tmp/b/sign_alpha.bundle" \
	>"$tmp/out" 2>&1 && grep -q 'leash-policy=sign_alpha' "$tmp/out"; then
	ok "minisign -V verifies leash sign's signature: $(head -n 1 "$tmp/out")"
else
	not_ok "minisign -V on leash sign's signature"
	diag_file "$tmp/out"
fi
if minisign -V -H -p "$tmp/k/k.pub" -m "$tmp/b/sign_beta.bundle" \
	>"$tmp/out" 2>&1; then
	ok "minisign -V -H (prehashed only) verifies it too"
else
	not_ok "minisign -V -H on leash sign's signature"
	diag_file "$tmp/out"
fi
if ! minisign -V -p "$tmp/k/k2.pub" -m "$tmp/b/sign_alpha.bundle" \
	>/dev/null 2>&1; then
	ok "minisign -V with another key refuses it"
else
	not_ok "minisign -V with another key accepts leash sign's signature"
fi

"$LEASH" sign -s "$tmp/k/e.sec" "$tmp/u/sign_alpha.bundle" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'encrypted with a password' "$tmp/err" &&
	[ ! -e "$tmp/u/sign_alpha.bundle.minisig" ]; then
	ok "leash sign: an encrypted key is refused: $(head -n 1 "$tmp/err" | cut -c1-120)"
else
	not_ok "leash sign with an encrypted key: exit $rc"
	diag_file "$tmp/err"
fi
"$LEASH" sign -s "$tmp/k/k.sec" "$tmp/sign.leash" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'not a leash bundle' "$tmp/err" &&
	[ ! -e "$tmp/sign.leash.minisig" ]; then
	ok "leash sign: a file that is no bundle is refused"
else
	not_ok "leash sign on a policy file: exit $rc"
	diag_file "$tmp/err"
fi

# case DIR: a directory with a copy of the unsigned alpha bundle.
case_dir() {
	mkdir -p "$tmp/$1" && chmod 755 "$tmp/$1" &&
		cp "$tmp/u/sign_alpha.bundle" "$tmp/$1/" ||
		bail "cannot make $tmp/$1"
}
# ms DIR ARGS...: minisign -S ARGS of DIR's bundle.
ms() {
	_dir=$1
	shift
	minisign -S -s "$tmp/k/k.sec" -m "$tmp/$_dir/sign_alpha.bundle" "$@" \
		>/dev/null 2>"$tmp/err" </dev/null ||
		{ diag_file "$tmp/err"; bail "minisign -S $* failed"; }
	chmod 644 "$tmp/$_dir/sign_alpha.bundle.minisig"
}
# alg DIR: the signature algorithm of DIR's bundle's .minisig.
alg() {
	sed -n 2p "$tmp/$1/sign_alpha.bundle.minisig" | base64 -d 2>/dev/null |
		head -c 2
}

case_dir c-ed
ms c-ed -t "leash-policy=sign_alpha"
case_dir c-legacy
ms c-legacy -l -t "leash-policy=sign_alpha"
[ "$(alg c-ed)" = ED ] && [ "$(alg c-legacy)" = Ed ] ||
	not_ok "minisign -S / -S -l did not write ED / Ed: $(alg c-ed) $(alg c-legacy)"
case_dir c-nopolicy
ms c-nopolicy
case_dir c-other
ms c-other -t "leash-policy=sign_beta"
case_dir c-k2
minisign -S -s "$tmp/k/k2.sec" -m "$tmp/c-k2/sign_alpha.bundle" \
	-t "leash-policy=sign_alpha" >/dev/null 2>&1 </dev/null ||
	bail "minisign -S with k2 failed"
chmod 644 "$tmp/c-k2/sign_alpha.bundle.minisig"
# Tampered: one byte of the body changed and the digest recomputed, so
# the bundle reader alone would take it.
case_dir c-tamper
cp "$tmp/b/sign_alpha.bundle.minisig" "$tmp/c-tamper/"
python3 - "$tmp/c-tamper/sign_alpha.bundle" <<'EOF' || bail "python3 failed"
import hashlib, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[-8] ^= 1
b[32:64] = hashlib.sha256(bytes(b[64:])).digest()
open(p, "wb").write(bytes(b))
EOF
case_dir c-comment
sed '3s/timestamp:/timestamp:9/' "$tmp/b/sign_alpha.bundle.minisig" \
	>"$tmp/c-comment/sign_alpha.bundle.minisig"
# beta's signature next to alpha's bundle; beta's signed bundle and its
# signature copied over alpha's.
case_dir c-betasig
cp "$tmp/b/sign_beta.bundle.minisig" "$tmp/c-betasig/sign_alpha.bundle.minisig"
mkdir -p "$tmp/c-betabundle" && chmod 755 "$tmp/c-betabundle"
cp "$tmp/b/sign_beta.bundle" "$tmp/c-betabundle/sign_alpha.bundle"
cp "$tmp/b/sign_beta.bundle.minisig" \
	"$tmp/c-betabundle/sign_alpha.bundle.minisig"
case_dir c-garbage
printf 'untrusted comment: x\nnot base64 at all\n' \
	>"$tmp/c-garbage/sign_alpha.bundle.minisig"
cp "$tmp/k/k.pub" "$tmp/k/open.pub"
chmod 666 "$tmp/k/open.pub"
chmod 644 "$tmp"/c-*/*

for who in $whos; do
	runs "no --trust: an unsigned bundle runs" "$who" plain \
		"$tmp/u/sign_alpha.bundle"
	runs "--trust: leash sign's signature" "$who" leash \
		--trust "$tmp/k/k.pub" "$tmp/b/sign_alpha.bundle"
	runs "--trust=: minisign -S (ED) -t leash-policy=sign_alpha" "$who" \
		ed --trust="$tmp/k/k.pub" "$tmp/c-ed/sign_alpha.bundle"
	runs "--trust: minisign -S -l (legacy Ed)" "$who" legacy \
		--trust "$tmp/k/k.pub" "$tmp/c-legacy/sign_alpha.bundle"
	refused "no .minisig" "$who" missing "not signed.*--trust" \
		--trust "$tmp/k/k.pub" "$tmp/u/sign_alpha.bundle"
	refused "tampered bundle, digest recomputed" "$who" tamper \
		"signature does not match" \
		--trust "$tmp/k/k.pub" "$tmp/c-tamper/sign_alpha.bundle"
	refused "tampered trusted comment" "$who" comment \
		"trusted comment's signature does not match" \
		--trust "$tmp/k/k.pub" "$tmp/c-comment/sign_alpha.bundle"
	refused "signed with another key" "$who" k2 \
		"made with key [0-9A-F]{16}, not with the trusted key" \
		--trust "$tmp/k/k.pub" "$tmp/c-k2/sign_alpha.bundle"
	refused "a trusted comment naming no policy" "$who" nopolicy \
		"names no policy" \
		--trust "$tmp/k/k.pub" "$tmp/c-nopolicy/sign_alpha.bundle"
	refused "a trusted comment naming another policy" "$who" other \
		"signature is for policy 'sign_beta'" \
		--trust "$tmp/k/k.pub" "$tmp/c-other/sign_alpha.bundle"
	refused "another policy's signature renamed into place" "$who" \
		betasig "signature does not match" \
		--trust "$tmp/k/k.pub" "$tmp/c-betasig/sign_alpha.bundle"
	refused "another policy's signed bundle and signature copied into place" \
		"$who" betabundle "holds policy 'sign_beta'" \
		--trust "$tmp/k/k.pub" "$tmp/c-betabundle/sign_alpha.bundle"
	refused "a .minisig that is not one" "$who" garbage \
		"not a minisign signature" \
		--trust "$tmp/k/k.pub" "$tmp/c-garbage/sign_alpha.bundle"
	refused "a --trust key others may write" "$who" openkey \
		"writable by group or others" \
		--trust "$tmp/k/open.pub" "$tmp/b/sign_alpha.bundle"
	refused "a --trust key that is not a key" "$who" notkey \
		"not a minisign public key" \
		--trust "$tmp/sign.leash" "$tmp/b/sign_alpha.bundle"
done

# ---- the system trust directory, in a private mount namespace ----------
td=$("$SHIM" --help | sed -n 's/^System trust directory.*: //p')
if [ -z "$td" ]; then
	not_ok "leash-exec --help names no trust directory"
elif [ "$(id -u)" -ne 0 ]; then
	skip "the trust directory tests need root (a private mount namespace)"
elif ! command -v unshare >/dev/null 2>&1; then
	skip "the trust directory tests need unshare (util-linux)"
elif [ -e "$td" ]; then
	skip "$td exists on this machine: signatures are mandatory here"
else
	SIGN_INNER=1 limit 300 unshare -m sh "$0" --inner "$tmp" "$td" \
		>"$tmp/inner" 2>"$tmp/inner.err"
	rc=$?
	n=0
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }"; n=$((n + 1)) ;;
		"not ok - "*) not_ok "${line#not ok - }"; n=$((n + 1)) ;;
		*) echo "$line" ;;
		esac
	done <"$tmp/inner"
	if [ $rc -ne 0 ] || [ $n -lt 20 ]; then
		not_ok "the trust directory part: exit $rc, $n results"
		diag_file "$tmp/inner.err"
	fi
	# Nothing may leak out of the namespace.
	if [ -e "$td" ]; then
		not_ok "$td exists outside the test's namespace"
	else
		ok "$td was never created on the machine"
	fi
fi

tap_end
