#!/bin/sh
# run-diff.sh - 'leash diff': equal spellings, one change of each kind,
# a raw .bpf, Docker's own profile, --json and the exit statuses.
# Prints TAP.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)

tap_name=diff
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"
tap_logs="out err"

# run EXPECTED-STATUS DESCRIPTION ARGS...: leash diff ARGS
run() {
	leash_run diff "$@"
}

D=tests/diff
run 0 "a policy against itself" $D/base.leash $D/base.leash &&
	has "a policy against itself" "no difference"

run 0 "two spellings of one policy" $D/base.leash $D/respelled.leash &&
	has "two spellings of one policy" "no difference"

run 1 "one change of each kind" $D/base.leash $D/changed.leash &&
	has "one change of each kind" \
		"arch x86_64:" \
		"  write: allow -> errno(EPERM)" \
		"  ioctl: argument rule narrowed: ioctl(0x0, 0x0, 0x0): allow -> errno(EPERM)" \
		"  socket: argument rule widened: socket(0x2, 0x0, 0x0): errno(EPERM) -> allow" \
		"  clone3: errno(ENOSYS) -> errno(EPERM)" \
		"  openat2: errno(EPERM) -> allow" \
		"capabilities: added: SYS_ADMIN" \
		'filesystem: added: allow rw "/tmp/**";  [tests/diff/changed.leash:17]' \
		"network: removed: allow unix;  [tests/diff/base.leash:18]" \
		"network: added: allow inet stream;" \
		"9 differences"

run 1 "--json: one change of each kind" --json $D/base.leash $D/changed.leash &&
	json "--json: one change of each kind" \
		'not d["equal"] and len(d["syscalls"]) == 5 and len(d["other"]) == 4 and any(s["syscall"] == "socket" and s["change"] == "widened" and s["args"][0] == "0x2" for s in d["syscalls"])'

run 0 "--json: equal" --json $D/base.leash $D/respelled.leash &&
	json "--json: equal" 'd["equal"] and d["syscalls"] == [] and d["other"] == []'

# A raw filter: what 'leash compile -t bpf' writes, read back.
if (cd "$srcdir" && "$LEASH" compile -t bpf -o "$tmp" $D/base.leash) \
	>"$tmp/out" 2>"$tmp/err"; then
	run 0 ".bpf against the policy it came from" "$tmp/base.bpf" \
		$D/respelled.leash && ok ".bpf against the policy it came from"
	run 1 ".bpf against a changed policy" "$tmp/base.bpf" \
		$D/changed.leash &&
		has ".bpf against a changed policy" \
			"  write: allow -> errno(EPERM)" \
			"  openat2: errno(EPERM) -> allow"
else
	not_ok ".bpf against the policy it came from" "leash compile failed"
	not_ok ".bpf against a changed policy" "leash compile failed"
fi

# How far leash's docker-default is from Docker's own: the 64-bit socket
# and personality comparisons, and nothing else when the profile is read
# as written.  As this host's runtime loads it (dockerd, runc, libseccomp
# 2.5.4), runc's ENOSYS stub and the names libseccomp lacks show too.
run 1 "docker-default.leash vs Docker's JSON" \
	profiles/docker-default.leash tests/data/docker-default.json &&
	has "docker-default.leash vs Docker's JSON" \
		"  socket: argument rule widened: socket(0x1000000" \
		"  personality: argument rule narrowed: personality(0x100000000): allow -> errno(EPERM)" \
		"names syscalls libseccomp 2.5.4 lacks (getxattrat, listmount" \
		"2 differences"

run 1 "--as runtime: runc's stub and libseccomp's missing names" \
	--as runtime profiles/docker-default.leash \
	tests/data/docker-default.json &&
	has "--as runtime: runc's stub and libseccomp's missing names" \
		"  socket: argument rule widened: socket(0x1000000" \
		"  lsm_get_self_attr: errno(EPERM) -> errno(ENOSYS)" \
		"  mseal: allow -> errno(ENOSYS)" \
		"the runtimes on this host ignore the rules for syscalls their libseccomp 2.5.4 lacks"

# What 'leash import' makes of Docker's and podman's profiles is the
# profile: no difference at all.
for p in docker podman; do
	if (cd "$srcdir" && "$LEASH" import tests/data/$p-default.json \
		-o "$tmp/$p.leash") 2>"$tmp/err"; then
		run 0 "the import of $p-default.json against the original" \
			"$tmp/$p.leash" tests/data/$p-default.json &&
			has "the import of $p-default.json against the original" \
				"no difference"
	else
		not_ok "the import of $p-default.json against the original" \
			"import failed: $(head -3 "$tmp/err")"
	fi
done

run 0 "Docker's JSON against itself" tests/data/docker-default.json \
	tests/data/docker-default.json && ok "Docker's JSON against itself"

# --cap-add decides what dockerd keeps of Docker's includes.caps entries;
# a policy says its own capabilities.
run 1 "--cap-add SYS_ADMIN: the JSON's SYS_ADMIN rules" \
	--cap-add SYS_ADMIN profiles/docker-default.leash \
	tests/data/docker-default.json &&
	has "--cap-add SYS_ADMIN: the JSON's SYS_ADMIN rules" \
		"  mount: errno(EPERM) -> allow" \
		"  unshare: errno(EPERM) -> allow" \
		"  clone: argument rule widened: clone(0x"

run 1 "--cap-add SYS_ADMIN against a policy with SYS_ADMIN" -I profiles \
	--cap-add SYS_ADMIN $D/sysadmin.leash tests/data/docker-default.json &&
	if grep -qE "^  (mount|unshare|setns|clone):" "$tmp/out"; then
		not_ok "--cap-add SYS_ADMIN against a policy with SYS_ADMIN" \
			"the SYS_ADMIN rules differ"
	else
		has "--cap-add SYS_ADMIN against a policy with SYS_ADMIN" \
			"  socket: argument rule widened"
	fi

run 1 "a profile against a config without seccomp" --json \
	tests/data/docker-default.json tests/audit/privileged-config.json &&
	json "a profile against a config without seccomp" \
		'any(o["section"] == "seccomp" and o["change"] == "removed" for o in d["other"])'

run 3 "a missing file is an input error (3)" $D/base.leash $D/nope.leash &&
	if grep -q "nope.leash: error: cannot read" "$tmp/err"; then
		ok "a missing file is an input error (3)"
	else
		not_ok "a missing file is an input error (3)" "no message"
	fi

printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [' >"$tmp/bad.json"
run 3 "broken JSON: located error" "$tmp/bad.json" $D/base.leash &&
	if grep -qE "bad.json:[0-9]+:[0-9]+: error: " "$tmp/err"; then
		ok "broken JSON: located error"
	else
		not_ok "broken JSON: located error" "no 'FILE: error: LINE:' message"
	fi

printf 'policy p { seccomp { allow sokcet; } }\n' >"$tmp/bad.leash"
run 3 "a policy with errors" "$tmp/bad.leash" $D/base.leash &&
	if grep -q "bad.leash:1:.*error: .*sokcet" "$tmp/err"; then
		ok "a policy with errors"
	else
		not_ok "a policy with errors" "no located diagnostic"
	fi

printf 'policy a { seccomp { allow read; } }\npolicy b { seccomp { allow read, write; } }\n' \
	>"$tmp/two.leash"
run 1 "FILE:POLICY picks one of several" "$tmp/two.leash:a" "$tmp/two.leash:b" &&
	has "FILE:POLICY picks one of several" "  write: errno(EPERM) -> allow"
run 3 "several policies and no name: an error" "$tmp/two.leash" \
	"$tmp/two.leash:b" &&
	if grep -q "defines 2 policies: name one as" "$tmp/err"; then
		ok "several policies and no name: an error"
	else
		not_ok "several policies and no name: an error" "no message"
	fi

# Field names match as in Go (runc, dockerd): any case, and the long s
# and Kelvin sign fold to s and k.  A field the runtime would merge from
# two objects is refused, never half read.
run 0 "field names fold as in Go" $D/keys-plain.json $D/keys-folded.json &&
	has "field names fold as in Go" "no difference"
printf '{"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW"},
 "Seccomp": {"defaultAction": "SCMP_ACT_ERRNO"}}}\n' >"$tmp/dup.json"
run 3 "linux.seccomp given twice: located error" "$tmp/dup.json" \
	"$tmp/dup.json" &&
	if grep -q "dup.json:2:2: error: 'seccomp' is given twice" "$tmp/err"
	then
		ok "linux.seccomp given twice: located error"
	else
		not_ok "linux.seccomp given twice: located error" \
			"$(cat "$tmp/err")"
	fi

run 2 "one input is a usage error (2)" $D/base.leash &&
	ok "one input is a usage error (2)"

tap_done
