#!/bin/sh
# run-k8s.sh - the k8s target (NAME.spo.yaml, NAME.pod.yaml) and 'leash
# import' of a SeccompProfile.  Prints TAP.
#
#  1. Golden files: each tests/golden/k8s/NAME.leash is compiled with
#     '-t k8s' (and '--container X' when a line '#=CONTAINER X' says so)
#     from inside that directory; NAME.spo.yaml, NAME.pod.yaml and stderr
#     (the fidelity notes) must equal the golden files byte for byte.  A
#     second compile gives the same bytes.
#  2. Every policy of profiles/, tests/golden/k8s/, tests/live/,
#     tests/valid/ and tests/vectors/ is compiled with '-t k8s,json'; for
#     each one that compiles, tests/k8s-validate.py checks both objects
#     against SPO's CRD schemas (tests/data/spo/) and the Pod patch
#     against Kubernetes' strict schemas (tests/data/k8s/), and that the
#     SeccompProfile's spec, as SPO writes it on the node, is
#     NAME.seccomp.json field for field; then 'leash diff' runs that OCI
#     linux.seccomp against NAME.seccomp.json the way runc loads both
#     (libseccomp plus runc's stub), and the SeccompProfile YAML itself,
#     over every syscall of every arch: no difference.  Those that do
#     not compile must fail with one of the k8s target's refusals or one
#     the json target shares, and write nothing.
#  3. The validator can fail: a SeccompProfile with a field the CRD does
#     not have, a value of 2^63, or a rule fewer is refused.
#  4. Refusals by name, located: a default errno other than EPERM, errno
#     0, an argument value of 2^63 or more, names that are no Kubernetes
#     object or container name; --container without -t k8s is a usage
#     error; --strict turns each note into an error and writes nothing.
#  5. 'leash import' of NAME.spo.yaml (alone, and as the second document
#     of a stream) gives a policy with the same filter; a stream without
#     a SeccompProfile is refused.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)
#   LEASH_REGEN=1   rewrite the golden files from the current output

tap_name=k8s
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"
golden=$srcdir/tests/golden/k8s
data=$srcdir/tests/data

if ! python3 -c 'import jsonschema, yaml' 2>/dev/null; then
	echo "1..0 # SKIP python3-jsonschema or python3-yaml not installed"
	exit 0
fi

show() {
	sed -e 's/^/# /' "$1" | head -n "${2:-40}"
}

# ---- 1. golden files ------------------------------------------------------

for f in "$golden"/*.leash; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .leash)
	container=$(sed -n 's/^#=CONTAINER //p' "$f" | head -n 1)
	out=$tmp/golden-$name
	mkdir -p "$out" "$out.again"
	set -- compile -t k8s -I "$srcdir/profiles"
	[ -n "$container" ] && set -- "$@" --container "$container"
	(cd "$golden" && "$LEASH" "$@" -o "$out" "$name.leash") \
		>/dev/null 2>"$out.notes" </dev/null
	rc=$?
	(cd "$golden" && "$LEASH" "$@" -o "$out.again" "$name.leash") \
		>/dev/null 2>/dev/null </dev/null
	if [ "${LEASH_REGEN:-0}" = 1 ] && [ "$rc" -eq 0 ]; then
		cp "$out/$name.spo.yaml" "$out/$name.pod.yaml" "$golden/"
		cp "$out.notes" "$golden/$name.notes"
		echo "# regenerated $name"
	fi
	if [ "$rc" -ne 0 ]; then
		not_ok "golden $name: exit status $rc"
		show "$out.notes"
		continue
	fi
	for ext in spo.yaml pod.yaml; do
		if cmp -s "$out/$name.$ext" "$golden/$name.$ext"; then
			ok "golden $name.$ext"
		else
			not_ok "golden $name.$ext differs"
			diff -u "$golden/$name.$ext" "$out/$name.$ext" |
				sed 's/^/# /' | head -n 40
		fi
		if cmp -s "$out/$name.$ext" "$out.again/$name.$ext"; then
			ok "golden $name.$ext: the same bytes twice"
		else
			not_ok "golden $name.$ext: a second compile differs"
		fi
	done
	if cmp -s "$out.notes" "$golden/$name.notes"; then
		ok "golden $name: the fidelity notes"
	else
		not_ok "golden $name: the fidelity notes differ"
		diff -u "$golden/$name.notes" "$out.notes" | sed 's/^/# /' |
			head -n 40
	fi
done

# ---- 2. every policy ------------------------------------------------------

# The policies a file defines, one name a line (quoted or not).
policies() {
	sed -n 's/^[[:space:]]*policy[[:space:]]\{1,\}"\{0,1\}\([^"[:space:]{]*\)"\{0,1\}.*/\1/p' "$1"
}

# What may keep a policy from the k8s target: the k8s target's own
# refusals, and the json target's (whose profile it carries).
refusal='k8s target: \(the default errno\|.* cannot carry\|policy name\|apparmor profile name\|.* calls .* after it loads the filter\)\|json target: \|cannot be a file name'

n_built=0
n_refused=0
for f in "$srcdir"/profiles/*.leash "$golden"/*.leash \
	"$srcdir"/tests/live/*.leash "$srcdir"/tests/valid/*.leash \
	"$srcdir"/tests/vectors/*.leash; do
	[ -f "$f" ] || continue
	for p in $(policies "$f"); do
		d=$tmp/all/$(basename "$f" .leash)-$p
		mkdir -p "$d"
		(cd "$(dirname "$f")" && "$LEASH" compile -t k8s,json \
			-I "$srcdir/profiles" -p "$p" -o "$d" \
			"$(basename "$f")") >/dev/null 2>"$d.err" </dev/null
		rc=$?
		what="$(basename "$f"):$p"
		if [ "$rc" -ne 0 ]; then
			if grep -q "error: .*\($refusal\)" "$d.err" &&
				[ ! -e "$d/$p.spo.yaml" ] &&
				[ ! -e "$d/$p.pod.yaml" ]; then
				n_refused=$((n_refused + 1))
			else
				not_ok "$what: refused for no known reason, or wrote files"
				show "$d.err"
			fi
			continue
		fi
		n_built=$((n_built + 1))
		if python3 "$srcdir/tests/k8s-validate.py" "$data" \
			"$d/$p.spo.yaml" "$d/$p.pod.yaml" \
			"$d/$p.seccomp.json" "$d/$p.oci-seccomp.json" \
			>"$d.val" 2>&1; then
			ok "$what: SeccompProfile, AppArmorProfile and Pod patch valid; spec is NAME.seccomp.json"
		else
			not_ok "$what: not valid"
			show "$d.val"
			continue
		fi
		for b in "$d/$p.oci-seccomp.json" "$d/$p.spo.yaml"; do
			"$LEASH" diff "$d/$p.seccomp.json" "$b" >"$d.diff" \
				2>&1 </dev/null
			rc=$?
			if [ "$rc" -eq 0 ] && grep -q '^no difference' "$d.diff"; then
				ok "$what: $(basename "$b") loads as NAME.seccomp.json (leash diff, as runc)"
			else
				not_ok "$what: $(basename "$b") differs from NAME.seccomp.json"
				show "$d.diff"
			fi
		done
	done
done
# profiles/ (5 policies) and the golden one build: a target that built
# nothing would pass the loop above.
if [ "$n_built" -ge 6 ]; then
	ok "$n_built policies built for k8s, $n_refused refused by name"
else
	not_ok "only $n_built policies built for k8s"
fi

# ---- 3. the validator can fail ---------------------------------------------

web=$tmp/golden-web
tamper() {	# DESCRIPTION PYTHON (on d, the list of documents)
	python3 -c '
import sys, yaml
d = list(yaml.safe_load_all(open(sys.argv[1])))
exec(sys.argv[2])
yaml.safe_dump_all(d, open(sys.argv[3], "w"))' \
		"$web/web.spo.yaml" "$2" "$tmp/bad.spo.yaml" ||
		{ not_ok "validator: cannot make $1"; return; }
	if python3 "$srcdir/tests/k8s-validate.py" "$data" \
		"$tmp/bad.spo.yaml" "$web/web.pod.yaml" \
		"$tmp/all/web-web/web.seccomp.json" "$tmp/bad.json" \
		>"$tmp/val" 2>&1; then
		not_ok "validator: $1 passes"
	else
		ok "validator: $1 is refused"
	fi
}
if [ -f "$web/web.spo.yaml" ] && [ -f "$tmp/all/web-web/web.seccomp.json" ]; then
	# The untouched documents, through the same round trip, pass.
	python3 -c '
import sys, yaml
yaml.safe_dump_all(list(yaml.safe_load_all(open(sys.argv[1]))),
                   open(sys.argv[2], "w"))' \
		"$web/web.spo.yaml" "$tmp/same.spo.yaml"
	if python3 "$srcdir/tests/k8s-validate.py" "$data" \
		"$tmp/same.spo.yaml" "$web/web.pod.yaml" \
		"$tmp/all/web-web/web.seccomp.json" "$tmp/bad.json" \
		>"$tmp/val" 2>&1; then
		ok "validator: the golden documents pass"
	else
		not_ok "validator: the golden documents fail"
		show "$tmp/val"
	fi
	tamper "a defaultErrnoRet (the API server would prune it)" \
		'd[0]["spec"]["defaultErrnoRet"] = 13'
	tamper "a value of 2^63" \
		'[a.__setitem__("value", 2**63) for c in d[0]["spec"]["syscalls"] for a in c.get("args", [])]'
	tamper "a syscall rule less" 'del d[0]["spec"]["syscalls"][0]'
	tamper "an errnoRet changed" \
		'd[0]["spec"]["syscalls"][0]["errnoRet"] = 2'
	tamper "a readWritePath as a string" \
		'd[1]["spec"]["abstract"]["filesystem"]["readWritePaths"] = "x"'
	tamper "a namespace on a cluster-scoped object" \
		'd[0]["metadata"]["namespace"] = "default"'
else
	not_ok "validator: no web golden output to tamper with"
fi

# ---- 4. refusals -------------------------------------------------------------

# refuse DESCRIPTION TEXT MESSAGE [ARGS...]: compile -t k8s of the policy
# TEXT fails
# with MESSAGE on stderr, located (FILE:LINE:COL:), and writes nothing.
refuse() {
	_what=$1
	_file=$2
	_msg=$3
	shift 3
	rm -rf "$tmp/r" && mkdir -p "$tmp/r"
	printf '%s\n' "$_file" >"$tmp/r/in.leash"
	"$LEASH" compile -t k8s -I "$srcdir/profiles" -o "$tmp/r" "$@" \
		"$tmp/r/in.leash" >/dev/null 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" -ne 1 ]; then
		not_ok "$_what: exit status $rc, expected 1"
		show "$tmp/err"
	elif ! grep -q "in.leash:[0-9]*:[0-9]*: error: .*$_msg" "$tmp/err"; then
		not_ok "$_what: no located error '$_msg'"
		show "$tmp/err"
	elif ls "$tmp/r" | grep -q yaml; then
		not_ok "$_what: files written"
	else
		ok "$_what"
	fi
}

pol() {	# NAME SECCOMP-BODY [MORE-SECTIONS]
	printf 'leash 1;\ninclude <groups.leash>;\npolicy %s {\n seccomp {\n  allow @runtime-nnp;\n%s\n }\n%s\n}\n' \
		"$1" "$2" "$3"
}

refuse "default errno(EACCES) is refused (no defaultErrnoRet in v1)" \
	"$(pol p 'default errno(EACCES); allow @default, @basic-io;')" \
	"the default errno 13 cannot be carried"
refuse "errno 0 is refused (SPO drops errnoRet 0)" \
	"$(pol p 'default errno(EPERM); allow @default, @basic-io; errno(0) sync;')" \
	"'sync' gets SCMP_ACT_ERRNO with errno 0"
refuse "an argument value of 2^63 or more is refused" \
	"$(pol p 'default errno(EPERM); errno(EINVAL) lseek(fd, off) if off >= 0x8000000000000001; allow @default, @basic-io;')" \
	"a rule for 'lseek' compares an argument with"
refuse "a policy name with '_' is no SeccompProfile name" \
	"$(pol my_app 'default errno(EPERM); allow @default, @basic-io;')" \
	"policy name 'my_app' cannot name a SeccompProfile"
refuse "an apparmor name with a space is no AppArmorProfile name" \
	"$(pol p 'default errno(EPERM); allow @default, @basic-io;' 'apparmor { name "my profile"; }')" \
	"apparmor profile name 'my profile' cannot name an AppArmorProfile"
refuse "a policy name of 64 characters is no container name" \
	"$(pol a123456789a123456789a123456789a123456789a123456789a123456789abcd 'default errno(EPERM); allow @default, @basic-io;')" \
	"cannot name the container: it is longer than 63"

# --container: a bad name is a usage error, and the option needs the
# target.
"$LEASH" compile -t k8s -I "$srcdir/profiles" --container Bad_Name \
	-o "$tmp/r" "$srcdir/profiles/nginx.leash" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "leash compile: --container 'Bad_Name' " "$tmp/err" &&
	! ls "$tmp/r" | grep -q yaml; then
	ok "--container Bad_Name is a usage error"
else
	not_ok "--container Bad_Name: exit status $rc"
	show "$tmp/err"
fi
"$LEASH" compile --container app -o "$tmp/r" "$srcdir/profiles/nginx.leash" \
	>/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q -- "--container needs -t k8s" "$tmp/err"; then
	ok "--container without -t k8s is a usage error"
else
	not_ok "--container without -t k8s: exit status $rc"
	show "$tmp/err"
fi

# --strict: every note of the golden policy is an error; nothing written.
rm -rf "$tmp/r" && mkdir -p "$tmp/r"
(cd "$golden" && "$LEASH" compile -t k8s --strict -I "$srcdir/profiles" \
	-o "$tmp/r" web.leash) >/dev/null 2>"$tmp/err" </dev/null
rc=$?
if [ "$rc" -eq 1 ] &&
	grep -q "web.leash:36:20: error: .*'allow rw \"/tmp/\*\*\"' is left out" "$tmp/err" &&
	grep -q "error: .*'pids' is left out" "$tmp/err" &&
	! ls "$tmp/r" | grep -q yaml; then
	ok "--strict: the notes are errors, nothing written"
else
	not_ok "--strict: exit status $rc"
	show "$tmp/err"
fi

# ---- 5. import ----------------------------------------------------------------

for p in nginx redis; do
	d=$tmp/all/$p-$p
	if [ ! -f "$d/$p.spo.yaml" ]; then
		not_ok "import $p.spo.yaml: not built"
		continue
	fi
	if "$LEASH" import -o "$tmp/imp-$p.leash" "$d/$p.spo.yaml" \
		>/dev/null 2>"$tmp/err" &&
		"$LEASH" diff "$d/$p.seccomp.json" "$tmp/imp-$p.leash" \
			>"$tmp/out" 2>&1 && grep -q '^no difference' "$tmp/out"; then
		ok "import $p.spo.yaml: the policy has NAME.seccomp.json's filter"
	else
		not_ok "import $p.spo.yaml"
		show "$tmp/err"
		show "$tmp/out"
	fi
	# The SeccompProfile as the second document of a stream.
	{ cat "$d/$p.pod.yaml"; cat "$d/$p.spo.yaml"; } >"$tmp/stream.yaml"
	if "$LEASH" import -o "$tmp/imp2-$p.leash" "$tmp/stream.yaml" \
		>/dev/null 2>"$tmp/err" &&
		"$LEASH" diff "$d/$p.seccomp.json" "$tmp/imp2-$p.leash" \
			>"$tmp/out" 2>&1 && grep -q '^no difference' "$tmp/out"; then
		ok "import: the first SeccompProfile of a stream"
	else
		not_ok "import: the first SeccompProfile of a stream"
		show "$tmp/err"
		show "$tmp/out"
	fi
done
{ cat "$tmp/all/nginx-nginx/nginx.pod.yaml"; cat "$tmp/all/nginx-nginx/nginx.pod.yaml"; } \
	>"$tmp/nosp.yaml"
"$LEASH" import -o "$tmp/none.leash" "$tmp/nosp.yaml" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "nosp.yaml:[0-9]*:1: error: a second YAML document, and no SeccompProfile among the 2" "$tmp/err" &&
	[ ! -e "$tmp/none.leash" ]; then
	ok "import: a stream without a SeccompProfile is refused"
else
	not_ok "import: a stream without a SeccompProfile: exit status $rc"
	show "$tmp/err"
fi
sed 's|security-profiles-operator.x-k8s.io/v1|example.com/v1|' \
	"$tmp/all/nginx-nginx/nginx.spo.yaml" >"$tmp/other.yaml"
"$LEASH" import -o "$tmp/other.leash" "$tmp/other.yaml" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "other.yaml:2:13: error: a SeccompProfile of apiVersion" "$tmp/err"; then
	ok "import: a SeccompProfile of another API group is refused, located"
else
	not_ok "import: another API group: exit status $rc"
	show "$tmp/err"
fi

tap_done
