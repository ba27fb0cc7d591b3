#!/bin/sh
# run-diff.sh - 'leash diff': equal spellings, one change of each kind,
# every setting of a policy, an OCI config and 'docker inspect' with
# where each side says it, a raw .bpf, Docker's own profile, --json and
# the exit statuses.
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

# lacks DESCRIPTION REGEX: no output line matches
lacks() {
	if grep -qE -- "$2" "$tmp/out"; then
		not_ok "$1" "unexpected: $(grep -E -- "$2" "$tmp/out" | head -3)"
	else
		ok "$1"
	fi
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
		"  socket: argument rule widened: socket(0x100000002, 0x1, 0x0): errno(EPERM) -> allow  [A: default, B: tests/diff/changed.leash:8]" \
		"  clone3: errno(ENOSYS) -> errno(EPERM)" \
		"  openat2: errno(EPERM) -> allow" \
		"capabilities: added: SYS_ADMIN  [A: tests/diff/base.leash:2, B: tests/diff/changed.leash:13]" \
		'filesystem: added: allow rw "/tmp/**";  [B: tests/diff/changed.leash:17]' \
		"network: removed: allow inet;  [A: tests/diff/base.leash:18]" \
		"network: added: allow inet stream;" \
		"9 differences"

run 1 "--json: one change of each kind" --json $D/base.leash $D/changed.leash &&
	json "--json: one change of each kind" \
		'not d["equal"] and len(d["syscalls"]) == 5 and len(d["other"]) == 4 and any(s["syscall"] == "socket" and s["change"] == "widened" and s["args"][0] == "0x100000002" for s in d["syscalls"])'

run 0 "--json: equal" --json $D/base.leash $D/respelled.leash &&
	json "--json: equal" 'd["equal"] and d["syscalls"] == [] and d["other"] == []'

# Every section, each setting with where A and B say it.
run 1 "every setting of a policy" $D/settings-a.leash $D/settings-b.leash &&
	has "every setting of a policy" \
		'filesystem: removed: allow r "/etc/**";  [A: tests/diff/settings-a.leash:10]' \
		'filesystem: added: allow rw "/etc/**";  [B: tests/diff/settings-b.leash:9]' \
		"network: removed: allow inet stream;  [A: tests/diff/settings-a.leash:13]" \
		"process: changed: user: 0:0 -> 1000:1000  [A: tests/diff/settings-a.leash:20, B: tests/diff/settings-b.leash:19]" \
		"process: removed: groups 27, 1000  [A: tests/diff/settings-a.leash:21]" \
		"process: changed: no_new_privileges: on -> off  [B: tests/diff/settings-b.leash:18]" \
		"process: added: unscoped signal  [B: tests/diff/settings-b.leash:21]" \
		"process: added: namespace user  [A: tests/diff/settings-a.leash:22, B: tests/diff/settings-b.leash:20]" \
		"process: removed: namespace ipc  [A: tests/diff/settings-a.leash:22, B: tests/diff/settings-b.leash:20]" \
		"process: added: namespace net  [A: tests/diff/settings-a.leash:22, B: tests/diff/settings-b.leash:20]" \
		"apparmor: changed: flags: attach_disconnected -> attach_disconnected, mediate_deleted  [A: tests/diff/settings-a.leash:16, B: tests/diff/settings-b.leash:15]" \
		'apparmor: removed: raw "signal (receive) peer=unconfined,";  [A: tests/diff/settings-a.leash:17]' \
		"limits: changed: memory: 1G -> 2G  [A: tests/diff/settings-a.leash:25, B: tests/diff/settings-b.leash:24]" \
		"limits: removed: cpus 1.5  [A: tests/diff/settings-a.leash:26]" \
		"limits: changed: pids: 10 -> 10000  [A: tests/diff/settings-a.leash:27, B: tests/diff/settings-b.leash:25]" \
		"limits: added: core 0  [B: tests/diff/settings-b.leash:27]" \
		"limits: changed: nofile: 1024:4096 -> 1024  [A: tests/diff/settings-a.leash:28, B: tests/diff/settings-b.leash:26]" \
		"  socket: argument rule changed: socket(0x2, 0x0, 0x0): errno(EPERM) -> errno(EAFNOSUPPORT)  [A: tests/diff/settings-a.leash:13, B: tests/diff/settings-b.leash:12]" \
		"19 differences"

run 1 "--json: every setting, both places" --json $D/settings-a.leash \
	$D/settings-b.leash &&
	json "--json: every setting, both places" \
		'len(d["other"]) == 17 and any(o["section"] == "limits" and o.get("setting") == "pids" and o["change"] == "changed" and o["a"] == "10" and o["b"] == "10000" and o["where_a"] == "tests/diff/settings-a.leash:27" and o["where_b"] == "tests/diff/settings-b.leash:25" for o in d["other"]) and any(o.get("setting") == "namespace ipc" and o["change"] == "removed" and o["b"] is None for o in d["other"])'

run 0 "settings in other words" $D/settings-a.leash $D/settings-respelled.leash &&
	has "settings in other words" "no difference"

run 1 "two OCI configs: user, namespaces, limits, rlimits" \
	$D/config-a.json $D/config-b.json &&
	has "two OCI configs: user, namespaces, limits, rlimits" \
		"process: changed: user: 0:0 -> 1000:1000  [A: tests/diff/config-a.json:4, B: tests/diff/config-b.json:4]" \
		"process: added: groups 27  [B: tests/diff/config-b.json:7]" \
		"process: added: namespace user maps uid 0 to host uid 0  [A: tests/diff/config-a.json:31, B: tests/diff/config-b.json:52]" \
		"process: removed: namespace pid  [A: tests/diff/config-a.json:33, B: tests/diff/config-b.json:41]" \
		"process: added: namespace net  [A: tests/diff/config-a.json:31, B: tests/diff/config-b.json:49]" \
		"limits: changed: memory: 1G -> 2G  [A: tests/diff/config-a.json:25, B: tests/diff/config-b.json:31]" \
		"limits: added: cpus 1.5  [B: tests/diff/config-b.json:36]" \
		"limits: changed: pids: 10 -> 10000  [A: tests/diff/config-a.json:28, B: tests/diff/config-b.json:34]" \
		"limits: added: core 0  [B: tests/diff/config-b.json:13]" \
		"limits: changed: nofile: 1024 -> 1024:4096  [A: tests/diff/config-a.json:12, B: tests/diff/config-b.json:18]" \
		"10 differences"

run 1 "a policy against a config: the same settings compared" \
	$D/settings-b.leash $D/config-b.json &&
	has "a policy against a config: the same settings compared" \
		"process: changed: namespace user: new -> maps uid 0 to host uid 0" \
		"process: added: namespace ipc  [A: tests/diff/settings-b.leash:20, B: tests/diff/config-b.json:43]" \
		"limits: changed: nofile: 1024 -> 1024:4096" &&
	lacks "a policy against a config: equal users are equal" \
		"process: .*: user|limits: .*: (memory|pids|core)"

# What 'docker inspect' hides is unknown, never "not set" nor equal.
run 1 "docker inspect: unknown is not 'not set'" -I profiles \
	$D/settings-b.leash $D/inspect-web.json &&
	has "docker inspect: unknown is not 'not set'" \
		"process: unknown: namespace user: A: new; B: unknown (docker inspect does not show dockerd's --userns-remap)  [A: tests/diff/settings-b.leash:20, B: tests/diff/inspect-web.json:27]" \
		"limits: changed: nofile: 1024 -> 1024:4096  [A: tests/diff/settings-b.leash:26, B: tests/diff/inspect-web.json:54]" \
		"limits: unknown: core: A: 0; B: unknown (docker inspect does not show dockerd's --default-ulimit)  [A: tests/diff/settings-b.leash:27]" \
		"limits: unknown: cpu, data, fsize, locks, memlock, msgqueue, nice: A: not set; B: unknown (docker inspect does not show dockerd's --default-ulimit)"
run 0 "docker inspect against itself" $D/inspect-web.json $D/inspect-web.json &&
	has "docker inspect against itself" "no difference"

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
