#!/bin/sh
# run-oci-golden.sh - golden tests of the oci and docker targets and of
# 'leash oci-merge'.  Prints TAP.
#
#   web.leash, badflag.leash   compiled with -t oci,docker: NAME.oci.json,
#                              NAME.docker (the output directory written
#                              as @OUT@) and the notes/errors on stderr,
#                              byte for byte against *.expected
#   runc-spec.json             `runc spec` (runc 1.1.5): oci-merge with
#                              web.oci.json must give merged.expected, and
#                              say on stderr what it did with the
#                              namespaces (merged.notes.expected)
#   merged-*-spec.json,        more configs and fragments for oci-merge:
#   merged-*-frag.json         merged-NAME.expected and its notes
#   bad-*.json                 inputs oci-merge refuses, with the located
#                              message in bad-*.expected and exit 1
#   web.leash -t podman        NAME.podman (NAME.docker's flags and the
#                              annotation run.oci.seccomp_bpf_data) and
#                              its notes
#   perarch.leash              a policy the JSON format refuses: -t
#                              oci,podman writes a fragment, flags and a
#                              NAME.seccomp.json that fail closed for
#                              runc, with notes; --strict and the default
#                              targets refuse it and write nothing
#
# LEASH_GOLDEN_UPDATE=1 rewrites the expected files instead (review the
# diff before committing it).

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
LEASH=${LEASH:-$(pwd)/leash}
G=$srcdir/tests/golden/oci
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

[ -x "$LEASH" ] || { echo "Bail out! leash binary '$LEASH' not built"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/leash-ocig.XXXXXX") || { echo "Bail out! mktemp"; exit 1; }
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
out=$(cd "$T" && pwd -P)

# same NAME GOT EXPECTED: compare (or update) one file.
same() {
	if [ -n "$LEASH_GOLDEN_UPDATE" ]; then
		cp "$2" "$3" && ok "$1 (updated)"
		return
	fi
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diff -u "$3" "$2" | head -n 40 | sed 's/^/# /'
	fi
}

# Compile from the golden directory, so notes name 'web.leash'.
(cd "$G" && "$LEASH" compile -t oci,docker -o "$out" web.leash) \
	>"$T/stdout" 2>"$T/web.notes"
rc=$?
[ $rc -eq 0 ] && ok "compile web.leash" || not_ok "compile web.leash (exit $rc)"
for f in web.oci.json minimal.oci.json; do
	same "$f" "$T/$f" "$G/$f.expected"
done
for f in web.docker minimal.docker; do
	sed "s|$out/|@OUT@/|g" "$T/$f" >"$T/$f.sub"
	same "$f" "$T/$f.sub" "$G/$f.expected"
done
same "web.leash notes" "$T/web.notes" "$G/web.notes.expected"

# Every line of NAME.docker is one shell word.
if ! grep -q '[[:space:]*?"'"'"']' "$T/web.docker" && [ -s "$T/web.docker" ]; then
	ok "web.docker: one flag per line, nothing the shell splits or globs"
else
	not_ok "web.docker: one flag per line, nothing the shell splits or globs"
fi

# A flag the shell would split is a located error, and nothing is written.
(cd "$G" && "$LEASH" compile -t oci,docker -o "$out" badflag.leash) \
	>"$T/stdout" 2>"$T/badflag.err"
rc=$?
if [ $rc -eq 1 ] && [ ! -e "$T/spaced.docker" ] && [ ! -e "$T/spaced.oci.json" ]; then
	ok "badflag.leash: exit 1, no artifact written"
else
	not_ok "badflag.leash: exit $rc (want 1), artifacts: $(ls "$T" | grep spaced)"
fi
same "badflag.leash error" "$T/badflag.err" "$G/badflag.expected"

# oci-merge: runc spec + the fragment, to stdout and through -o.  The
# config's namespaces the policy does not name stay (runc spec's uts and
# network: web.leash asks for pid, ipc and cgroup and 'network { none; }'),
# and so does its hostname with its uts namespace; stderr says so.
(cd "$G" && "$LEASH" oci-merge runc-spec.json "$out/web.oci.json") \
	>"$T/merged" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok "oci-merge runc-spec.json web.oci.json" ||
	{ not_ok "oci-merge runc-spec.json web.oci.json (exit $rc)"; sed 's/^/# /' "$T/err"; }
same "merged config" "$T/merged" "$G/merged.expected"
sed "s|$out/|@OUT@/|g" "$T/err" >"$T/merged.notes"
same "merged config: the notes" "$T/merged.notes" "$G/merged.notes.expected"
"$LEASH" oci-merge -o "$T/config.json" "$G/runc-spec.json" "$out/web.oci.json" \
	2>/dev/null
rc=$?
if [ $rc -eq 0 ] && cmp -s "$T/config.json" "$T/merged"; then
	ok "oci-merge -o writes the same config"
else
	not_ok "oci-merge -o writes the same config (exit $rc)"
fi
# Merging the result again changes nothing (objects merge, arrays replace,
# namespaces merge by type): the notes say only what stays.
"$LEASH" oci-merge "$T/merged" "$out/web.oci.json" >"$T/again" 2>"$T/again.err"
if cmp -s "$T/again" "$T/merged"; then
	ok "oci-merge is idempotent"
else
	not_ok "oci-merge is idempotent"
fi
if grep -q "note: linux.namespaces: 'uts' kept from" "$T/again.err" &&
	! grep -qE "replaced|added by|removes" "$T/again.err"; then
	ok "oci-merge again: nothing added nor replaced"
else
	not_ok "oci-merge again: nothing added nor replaced"
	sed 's/^/# /' "$T/again.err"
fi

# merge NAME CONFIG FRAGMENT...: oci-merge from the golden directory;
# stdout against merged-NAME.expected, stderr against its notes.
merge() {
	name=$1
	shift
	(cd "$G" && "$LEASH" oci-merge "$@") >"$T/merged-$name" \
		2>"$T/merged-$name.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		not_ok "oci-merge $*: exit $rc"
		sed 's/^/# /' "$T/merged-$name.err"
		return
	fi
	sed "s|$out/|@OUT@/|g" "$T/merged-$name.err" >"$T/merged-$name.notes"
	same "oci-merge $name" "$T/merged-$name" "$G/merged-$name.expected"
	same "oci-merge $name: the notes" "$T/merged-$name.notes" \
		"$G/merged-$name.notes.expected"
}

# `runc spec --rootless`: its user namespace and mappings stay, with
# uts; the policy's network namespace is added.
merge rootless merged-rootless-spec.json "$out/web.oci.json"
# A fragment's entry replaces the config's of its type (a path here).
merge netns runc-spec.json merged-netns-frag.json
# Two fragments, left to right: the second lands on the first's result.
merge two runc-spec.json merged-netns-frag.json "$out/web.oci.json"
# null removes the list, as any merge patch does; stderr says what goes.
merge null runc-spec.json merged-null-frag.json

for f in "$G"/bad-*.json; do
	b=${f##*/}
	b=${b%.json}
	rm -f "$T/never.json"
	(cd "$G" && "$LEASH" oci-merge -o "$T/never.json" runc-spec.json "$b.json") \
		>"$T/stdout" 2>"$T/$b.err"
	rc=$?
	if [ $rc -eq 1 ] && [ ! -e "$T/never.json" ]; then
		ok "oci-merge $b.json: exit 1, nothing written"
	else
		not_ok "oci-merge $b.json: exit $rc (want 1)"
	fi
	same "oci-merge $b.json message" "$T/$b.err" "$G/$b.expected"
done

# NAME.podman: the docker flags (podman's notes) and the annotation.
(cd "$G" && "$LEASH" compile -t podman -o "$out" web.leash) \
	>"$T/stdout" 2>"$T/web.podman.notes"
rc=$?
[ $rc -eq 0 ] && ok "compile -t podman web.leash" ||
	not_ok "compile -t podman web.leash (exit $rc)"
sed "s|$out/|@OUT@/|g" "$T/web.podman" >"$T/web.podman.sub"
same "web.podman" "$T/web.podman.sub" "$G/web.podman.expected"
same "web.leash -t podman notes" "$T/web.podman.notes" \
	"$G/web.podman.notes.expected"
# Docker's flags stay as they were: no annotation.
if grep -q annotation "$T/web.docker"; then
	not_ok "web.docker has no --annotation"
else
	ok "web.docker has no --annotation"
fi

# A policy the JSON format refuses: oci and podman fail closed for runc.
(cd "$G" && "$LEASH" compile -t oci,podman -o "$out" perarch.leash) \
	>"$T/stdout" 2>"$T/perarch.notes"
rc=$?
[ $rc -eq 0 ] && ok "compile -t oci,podman perarch.leash" ||
	not_ok "compile -t oci,podman perarch.leash (exit $rc)"
same "perarch.oci.json" "$T/perarch.oci.json" "$G/perarch.oci.json.expected"
sed "s|$out/|@OUT@/|g" "$T/perarch.podman" >"$T/perarch.podman.sub"
same "perarch.podman" "$T/perarch.podman.sub" "$G/perarch.podman.expected"
same "perarch.seccomp.json (for NAME.podman)" "$T/perarch.seccomp.json" \
	"$G/perarch.seccomp.json.expected"
same "perarch.leash notes" "$T/perarch.notes" "$G/perarch.notes.expected"
# --strict: the notes are errors, nothing is written.
mkdir "$T/strict"
(cd "$G" && "$LEASH" compile --strict -t oci -o "$T/strict" perarch.leash) \
	>"$T/stdout" 2>"$T/perarch.strict"
rc=$?
if [ $rc -eq 1 ] && [ -z "$(ls "$T/strict")" ] &&
	grep -q "error: policy 'perarch': oci target: runc cannot take this filter" "$T/perarch.strict"; then
	ok "compile --strict -t oci perarch.leash: exit 1, nothing written"
else
	not_ok "compile --strict -t oci perarch.leash: exit $rc, wrote: $(ls "$T/strict")"
fi
# The default targets include json, which refuses it: nothing written.
(cd "$G" && "$LEASH" compile -o "$T/strict" perarch.leash) \
	>"$T/stdout" 2>"$T/perarch.default"
rc=$?
if [ $rc -eq 1 ] && [ -z "$(ls "$T/strict")" ] &&
	grep -q "error: policy 'perarch': json target: cannot express rules that differ by arch" "$T/perarch.default"; then
	ok "compile perarch.leash (json among the targets): exit 1, nothing written"
else
	not_ok "compile perarch.leash (json among the targets): exit $rc, wrote: $(ls "$T/strict")"
fi
# runc spec + the fragment: linux.seccomp is replaced whole where the
# config had rules of its own (arrays replace), the annotation added.
printf '{"annotations": {"other": "kept"}, "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}}}' \
	>"$T/with-rules.json"
"$LEASH" oci-merge "$T/with-rules.json" "$out/perarch.oci.json" \
	>"$T/perarch.merged" 2>/dev/null
tr -d ' \n' <"$T/perarch.merged" >"$T/flat"
if grep -q '"seccomp":{"defaultAction":"SCMP_ACT_KILL_PROCESS","syscalls":\[\],"architectures":\[\],"flags":\[\]}' "$T/flat" &&
	grep -q '"annotations":{"other":"kept","run.oci.seccomp_bpf_data":"' "$T/flat"; then
	ok "oci-merge perarch.oci.json: no rule of the config survives, its annotations stay"
else
	not_ok "oci-merge perarch.oci.json: no rule of the config survives, its annotations stay"
	sed 's/^/# /' "$T/perarch.merged" | head -n 30
fi

# The JSON budget (tests/errors/json-budget.leash: runc would build more
# than 4096 instructions) is one more refusal -t oci turns into a
# fragment for crun that fails closed for runc.
mkdir "$T/budget"
"$LEASH" compile -t oci -o "$T/budget" "$srcdir/tests/errors/json-budget.leash" \
	>/dev/null 2>"$T/budget.err"
rc=$?
tr -d ' \n' <"$T/budget/p.oci.json" >"$T/flat" 2>/dev/null
if [ $rc -eq 0 ] &&
	grep -q '"seccomp":{"defaultAction":"SCMP_ACT_KILL_PROCESS","architectures":\[\],"flags":\[\],"syscalls":\[\]}' "$T/flat" &&
	grep -q '"run.oci.seccomp_bpf_data":"' "$T/flat" &&
	grep -q "oci target: runc cannot take this filter: .*more than the kernel's 4096 BPF instructions" "$T/budget.err"; then
	ok "compile -t oci json-budget.leash: a fragment that fails closed for runc, with a note"
else
	not_ok "compile -t oci json-budget.leash (exit $rc)"
	sed 's/^/# /' "$T/budget.err"
fi

# leash audit reads linux.seccomp, as runc does: a config whose
# annotation hands crun another filter gets a warning at the annotation.
"$LEASH" audit "$T/perarch.merged" >/dev/null 2>"$T/audit.err"
if grep -q "warning: crun loads the raw filter in the annotation 'run.oci.seccomp_bpf_data' instead of linux.seccomp" "$T/audit.err"; then
	ok "audit of a config with run.oci.seccomp_bpf_data: a warning"
else
	not_ok "audit of a config with run.oci.seccomp_bpf_data: a warning"
	sed 's/^/# /' "$T/audit.err"
fi

# Usage errors exit 2.
"$LEASH" oci-merge "$G/runc-spec.json" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && ok "oci-merge with one file: exit 2" ||
	not_ok "oci-merge with one file: exit $rc (want 2)"

echo "1..$n"
[ $failed -eq 0 ]
