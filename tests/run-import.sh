#!/bin/sh
# run-import.sh - 'leash import' on real and hand-written seccomp
# profiles and OCI runtime configs.  Prints TAP.
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

echo "1..34"

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

# Docker's and podman's imports are checked whole (every target).  The
# JSON target refuses formats.json's `:64` rule on x32 (libseccomp
# compares the low half there): it is compiled to BPF.
for p in podman docker; do
	if "$LEASH" check "$tmp/$p.leash" >"$tmp/chk.out" 2>"$tmp/chk.err"; then
		ok "leash check accepts the import of $p"
	else
		not_ok "leash check accepts the import of $p" \
			"$(cat "$tmp/chk.err")"
	fi
done
# Docker's import, compiled back to a profile, is Docker's profile: the
# 64-bit socket rule comes out as SCMP_CMP_GE, not as ternary pieces
# that libseccomp would widen on x86.
rm -f "$tmp/docker-default.seccomp.json"
if "$LEASH" compile -t json -o "$tmp" "$tmp/docker.leash" >"$tmp/c.out" \
	2>"$tmp/c.err" &&
	"$LEASH" diff "$tmp/docker-default.seccomp.json" \
		"$srcdir/tests/data/docker-default.json" >"$tmp/d.out" \
		2>"$tmp/d.err"; then
	ok "Docker's import back to JSON: no difference from the original"
else
	not_ok "Docker's import back to JSON: no difference from the original" \
		"$(cat "$tmp/c.err" "$tmp/d.out" "$tmp/d.err" | head -20)"
fi
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

# OCI runtime configs: every setting leash has a form for must come back
# out of 'leash compile -t oci' as it went in.
cat >"$tmp/cmp.py" <<'EOF'
import json, sys
src = json.load(open(sys.argv[1]))
out = json.load(open(sys.argv[2]))
bad = []
def chk(what, a, b):
    if a != b:
        bad.append("%s: config %r, fragment %r" % (what, a, b))
sp, op = src.get("process", {}), out.get("process", {})
sc, oc = sp.get("capabilities", {}), op.get("capabilities", {})
# leash's inheritable set is its ambient set; another one is a warning
# (checked below).
sets = ["bounding", "effective", "permitted", "ambient"]
if sorted(sc.get("inheritable", [])) == sorted(sc.get("ambient", [])):
    sets.append("inheritable")
for k in sets:
    chk("capabilities." + k, sorted(sc.get(k, [])), sorted(oc.get(k, [])))
chk("noNewPrivileges", bool(sp.get("noNewPrivileges")),
    bool(op.get("noNewPrivileges")))
chk("user", {k: sp.get("user", {}).get(k, 0) for k in ("uid", "gid")},
    {k: op.get("user", {}).get(k, 0) for k in ("uid", "gid")})
rl = lambda p: {r["type"]: (r["soft"], r["hard"]) for r in p.get("rlimits", [])}
chk("rlimits", rl(sp), rl(op))
chk("root.readonly", bool(src.get("root", {}).get("readonly")),
    bool(out.get("root", {}).get("readonly")))
sl, ol = src.get("linux", {}), out.get("linux", {})
for k in ("maskedPaths", "readonlyPaths"):
    missing = set(sl.get(k, [])) - set(ol.get(k, []))
    if missing:
        bad.append("%s: %s missing" % (k, sorted(missing)))
# A user namespace needs host mappings: 'compile -t oci' leaves it out
# with a note.
ns = lambda l: sorted(n["type"] for n in l.get("namespaces", [])
                      if n["type"] != "user")
chk("namespaces", ns(sl), ns(ol))
res = lambda l: {k: v for k, v in l.get("resources", {}).items()
                 if k in ("memory", "pids", "cpu")}
chk("resources", res(sl), res(ol))
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
for c in import/config audit/hardened-config audit/privileged-config; do
	cn=$(basename "$c")
	cj=$srcdir/tests/$c.json
	if import "$cn" "$cj" -p "$cn" && [ -s "$tmp/$cn.leash" ]; then
		ok "$cn.json imports"
	else
		not_ok "$cn.json imports" "$(cat "$tmp/$cn.err")"
	fi
	if "$LEASH" check "$tmp/$cn.leash" >"$tmp/chk.out" 2>"$tmp/chk.err"
	then
		ok "leash check accepts the import of $cn"
	else
		not_ok "leash check accepts the import of $cn" \
			"$(cat "$tmp/chk.err")"
	fi
	rm -f "$tmp/$cn.oci.json"
	# Every target, not -t oci: the hardened config's own filter denies
	# calls runc makes after loading it (fstatfs, ...), a warning that
	# -t would make an error.
	if "$LEASH" compile -o "$tmp" "$tmp/$cn.leash" \
		>"$tmp/c.out" 2>"$tmp/c.err" && [ -s "$tmp/$cn.oci.json" ]; then
		ok "the import of $cn compiles to an OCI fragment"
	else
		not_ok "the import of $cn compiles to an OCI fragment" \
			"$(cat "$tmp/c.err")"
	fi
	what="$cn: caps, nnp, user, rlimits, root, paths, namespaces"
	what="$what and resources survive"
	if python3 "$tmp/cmp.py" "$cj" "$tmp/$cn.oci.json" \
		>"$tmp/cmp.out" 2>&1; then
		ok "$what"
	else
		not_ok "$what" "$(cat "$tmp/cmp.out")"
	fi
done

want "$tmp/privileged-config.err" \
	'privileged-config.json:[0-9]*:[0-9]*: warning: the inheritable set is not imported' \
	"an inheritable set other than the ambient one: located warning"

# What leash has no form for is said, never dropped silently: runc spec's
# device cgroup rules.
want "$tmp/config.err" \
	'config.json: warning: linux.resources.devices is not imported' \
	"device cgroup rules: a warning that they are not imported"

# leash has one capability set: a smaller effective set is said, located.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["process"]["capabilities"]["effective"] = ["CAP_KILL"]
json.dump(d, open(sys.argv[2], "w"), indent=2)
' "$srcdir/tests/import/config.json" "$tmp/eff.json"
import eff "$tmp/eff.json"
want "$tmp/eff.err" \
	'eff.json:[0-9]*:[0-9]*: warning: the effective set (KILL) differs from the bounding set' \
	"a config's effective set differing from bounding: located warning"

# Broken profiles: exit 1, file:line:col, nothing written.
for b in action:3:33 op:4:44 json:3:22 config:187:5; do
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
