#!/bin/sh
# run-audit.sh - 'leash audit' on Docker's and podman's profiles with and
# without --cap-add SYS_ADMIN, a --privileged-like and a hardened OCI
# config, 'docker inspect' output, docker-default.leash, the program
# profiles, a tight policy and what leash's own targets enforce
# (tests/audit/what-leash-enforces.leash); --json and the exit statuses.
# Prints TAP.
#
# Exit statuses under test: 0 nothing above info, 3 worst finding low,
# 4 medium, 5 high; 1 input error, 2 usage error.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)

tap_name=audit
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"
tap_logs="out err"

# run EXPECTED-STATUS DESCRIPTION ARGS...: leash audit ARGS
run() {
	leash_run audit "$@"
}

# lacks DESCRIPTION REGEX: no output line matches
lacks() {
	if grep -qE -- "$2" "$tmp/out"; then
		not_ok "$1" "unexpected: $(grep -E -- "$2" "$tmp/out" | head -3)"
	else
		ok "$1"
	fi
}

A=tests/audit
DJ=tests/data/docker-default.json

# ---- Docker's default profile ---------------------------------------------
run 5 "Docker's JSON --cap-add SYS_ADMIN" --cap-add SYS_ADMIN $DJ &&
	has "Docker's JSON --cap-add SYS_ADMIN" \
		"  high   capability: CAP_SYS_ADMIN:" \
		"  high   syscall-allowed: mount allowed:" \
		"  high   syscall-allowed: unshare allowed:" \
		"  high   syscall-allowed: setns allowed:" \
		"  high   syscall-allowed: bpf allowed:" \
		"  high   arg32-bypass: x86_64: socket argument 0 is 32-bit but compared on 64 bits: socket(0x1000000" \
		"  medium bypass-pair: x86: socket is restricted but socketcall is allowed" \
		"  low    arg32-garbage: x86_64: personality argument 0"

# An allow-list's argument rule that a twin walks around is a finding,
# whatever else the filter does.
run 5 "podman's JSON" tests/data/podman-default.json &&
	has "podman's JSON" \
		"  high   syscall-allowed: unshare allowed:" \
		"  high   syscall-allowed: keyctl allowed:" \
		"  high   clone-namespaces: clone allowed with CLONE_NEWUSER|CLONE_NEWNS" \
		"  medium syscall-allowed: ptrace allowed:" \
		"  low    syscall-allowed: mount allowed:" \
		"  low    arg32-garbage: x86_64: personality argument 0"

run 5 "Docker's JSON as is" $DJ &&
	has "Docker's JSON as is" \
		"  high   arg32-bypass: x86_64: socket argument 0" \
		"  medium syscall-allowed: ptrace allowed:" \
		"  medium bypass-pair: x86: socket is restricted but socketcall is allowed" \
		"  info   seccomp-only:" \
		"  info   libseccomp-lacks: tests/data/docker-default.json names syscalls libseccomp 2.5.4 lacks (getxattrat, listmount, listxattrat, mseal, "
lacks "Docker's JSON as is: mount and SYS_ADMIN stay out" \
	"mount allowed|CAP_SYS_ADMIN|unshare allowed"

run 5 "--json: Docker's JSON --cap-add SYS_ADMIN" --json --cap-add SYS_ADMIN $DJ &&
	json "--json: Docker's JSON --cap-add SYS_ADMIN" \
		'd["worst"] == "high" and any(f["id"] == "syscall-allowed" and f["message"].startswith("mount ") and f["where"].startswith("tests/data/docker-default.json:") for f in d["targets"][0]["findings"])'

# ---- OCI configs ------------------------------------------------------------
run 5 "privileged-like OCI config" $A/privileged-config.json &&
	has "privileged-like OCI config" \
		"  high   no-seccomp:" \
		"  high   all-capabilities:" \
		"  high   capability: CAP_SYS_ADMIN:" \
		"  high   capability: CAP_SYS_MODULE:" \
		"  high   capability: CAP_DAC_READ_SEARCH: reads any file; with open_by_handle_at allowed" \
		"  high   no-apparmor: neither seccomp nor AppArmor" \
		"  high   runtime-socket: /var/run/docker.sock is mounted" \
		"  medium no-new-privileges:" \
		"  medium host-network:" \
		"  medium host-pid:" \
		"  low    writable-root:" \
		"  low    no-memory-limit:" \
		"  low    no-pids-limit:" \
		"  low    no-userns:"

# Its default is EPERM: runc's ENOSYS stub saves libc's fallbacks, other
# runtimes do not, so only the profile as written gets the finding.
run 0 "hardened OCI config as runc loads it: nothing above info" \
	--as runtime $A/hardened-config.json &&
	lacks "hardened OCI config as runc loads it: nothing above info" \
		"^  (high|medium|low) "
run 3 "hardened OCI config as written: EPERM for new syscalls" \
	$A/hardened-config.json &&
	has "hardened OCI config as written: EPERM for new syscalls" \
		"  low    errno-new-syscalls: syscalls newer than the profile get errno(EPERM): libc falls back to an older call only on ENOSYS; runc alone adds an ENOSYS stub"
lacks "hardened OCI config as written: nothing else above info" \
	"^  (high|medium) |^  low    [^e]"
run 2 "--as with an unknown model is a usage error" --as crun $DJ
# A null "syscalls" at the top of a config is not its profile: runc reads
# linux.seccomp.
run 4 "a config with a null top-level syscalls" \
	tests/diff/config-null-syscalls.json &&
	lacks "a config with a null top-level syscalls" "no-seccomp"

# ---- docker inspect ----------------------------------------------------------
run 5 "docker inspect: three containers" $A/inspect.json &&
	has "docker inspect: three containers" \
		"tests/audit/inspect.json[/priv]:" \
		"  high   privileged:" \
		"tests/audit/inspect.json[/netadmin]:" \
		"  medium capability: CAP_NET_ADMIN:" \
		"  high   capability: CAP_SYS_PTRACE:" \
		"tests/audit/inspect.json[/web]:" \
		"  info   userns-unknown:"
sed -n '/^tests\/audit\/inspect.json\[\/web\]:/,$p' "$tmp/out" >"$tmp/web"
if grep -qE "^  (high|medium) " "$tmp/web"; then
	not_ok "docker inspect: the hardened container has nothing above low" \
		"$(cat "$tmp/web")"
else
	ok "docker inspect: the hardened container has nothing above low"
fi
sed -n '/^tests\/audit\/inspect.json\[\/netadmin\]:/,/^tests/p' "$tmp/out" \
	>"$tmp/netadmin"
if grep -q "  high   no-seccomp:" "$tmp/netadmin"; then
	ok "docker inspect: seccomp=unconfined is no seccomp"
else
	not_ok "docker inspect: seccomp=unconfined is no seccomp"
fi

run 5 "--json: docker inspect" --json $A/inspect.json &&
	json "--json: docker inspect" \
		'[t["worst"] for t in d["targets"]] == ["high", "high", "info"]'

# ---- policies: nothing high --------------------------------------------------
run 4 "docker-default.leash: no high finding" profiles/docker-default.leash &&
	lacks "docker-default.leash: no high finding" "^  high "

run 5 "docker-default.leash plus SYS_ADMIN" -I profiles \
	tests/diff/sysadmin.leash &&
	has "docker-default.leash plus SYS_ADMIN" \
		"  high   capability: CAP_SYS_ADMIN: mount, namespaces, bpf and more: the usual way out of a container  [tests/diff/sysadmin.leash:8]" \
		"  high   syscall-allowed: mount allowed:"

run 0 "a tight policy: nothing above info" $A/tight.leash &&
	lacks "a tight policy: nothing above info" "^  (high|medium|low) "

# The program profiles are allow-lists with a filesystem allow-list and
# limits: none is writable-root, pid-unlimited or walked around.
for p in "$srcdir"/profiles/*.leash; do
	base=${p##*/}
	grep -q '^policy' "$p" || continue
	[ "$base" = docker-default.leash ] && continue
	(cd "$srcdir" && "$LEASH" audit -I profiles "profiles/$base") \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] || [ "$rc" -eq 5 ]; then
		not_ok "profiles/$base: no high finding" "exit status $rc"
	else
		lacks "profiles/$base: no high finding" "^  high "
	fi
	lacks "profiles/$base: no false positive" \
		"^  [a-z]+ +(writable-root|no-pids-limit|bypass-pair):"
done

# ---- what leash's own targets enforce ----------------------------------------
W=$A/what-leash-enforces.leash
run 0 "an allow-list that writes one directory and cannot fork" $W:closed &&
	lacks "an allow-list that writes one directory and cannot fork" \
		"writable-root|no-pids-limit|bypass-pair"
run 3 "an allow-list that writes everywhere" $W:writes-root &&
	has "an allow-list that writes everywhere" \
		"  low    writable-root: the root filesystem is writable: an intruder can change the programs it runs  [tests/audit/what-leash-enforces.leash:33]"
run 3 "a filter that lets it fork: no pids limit" $W:forks &&
	has "a filter that lets it fork: no pids limit" \
		"  low    no-pids-limit: no pids limit: a fork bomb takes the host down  [tests/audit/what-leash-enforces.leash:40]"
run 0 "RLIMIT_NPROC bounds uid 1000" $W:forks-nproc &&
	lacks "RLIMIT_NPROC bounds uid 1000" "no-pids-limit"
run 3 "RLIMIT_NPROC does not bound host root" $W:forks-nproc-root &&
	has "RLIMIT_NPROC does not bound host root" "  low    no-pids-limit:"
run 5 "a deny list: openat blocked, openat2 allowed" $W:deny-list &&
	has "a deny list: openat blocked, openat2 allowed" \
		"  medium bypass-pair: x86_64: openat is blocked but openat2 is allowed: it opens the same files"

run 0 "--json: a tight policy" --json $A/tight.leash &&
	json "--json: a tight policy" \
		'all(f["severity"] == "info" for f in d["targets"][0]["findings"])'

# A raw filter holds a filter and nothing else.
if (cd "$srcdir" && "$LEASH" compile -t bpf -o "$tmp" $A/tight.leash) \
	>"$tmp/out" 2>"$tmp/err"; then
	run 0 ".bpf: the tight filter" "$tmp/tight.bpf" &&
		has ".bpf: the tight filter" "  info   seccomp-only: a raw filter"
else
	not_ok ".bpf: the tight filter" "leash compile failed"
fi

# A filter as costly to simulate as the kernel lets one be: an answer or
# a clear refusal, in bounded time, never a hang.
python3 "$srcdir/$A/hostile-bpf.py" >"$tmp/hostile.bpf"
start=$(date +%s)
(cd "$srcdir" && "$LEASH" audit "$tmp/hostile.bpf") >"$tmp/out" 2>"$tmp/err"
rc=$?
secs=$(($(date +%s) - start))
if { [ "$rc" -eq 1 ] && grep -q "too long to simulate" "$tmp/err"; } ||
	[ "$rc" -eq 0 ] || [ "$rc" -ge 3 ]; then
	if [ "$secs" -le 120 ]; then
		ok "a 4095-instruction filter: answered or refused (${secs}s)"
	else
		not_ok "a 4095-instruction filter: answered or refused" \
			"took ${secs}s"
	fi
else
	not_ok "a 4095-instruction filter: answered or refused" "exit status $rc"
fi

# ---- errors ------------------------------------------------------------------
run 1 "a missing file is an input error (1)" $A/nope.json &&
	ok "a missing file is an input error (1)"

printf '{"ociVersion": "1.0.2", "process": {"noNewPrivileges": "yes"}}\n' \
	>"$tmp/bad.json"
run 1 "a bad OCI config: located error" "$tmp/bad.json" &&
	if grep -qE "bad.json:1:[0-9]+: error: noNewPrivileges: expected true or false" "$tmp/err"; then
		ok "a bad OCI config: located error"
	else
		not_ok "a bad OCI config: located error" "no located message"
	fi

printf '{"foo": 1}\n' >"$tmp/what.json"
run 1 "JSON of no known kind" "$tmp/what.json" &&
	if grep -q "neither an OCI config.json nor 'docker inspect' output" "$tmp/err"; then
		ok "JSON of no known kind"
	else
		not_ok "JSON of no known kind" "no message"
	fi

run 2 "--cap-add on a policy is a usage error" --cap-add SYS_ADMIN \
	$A/tight.leash && ok "--cap-add on a policy is a usage error"

run 2 "--cap-add with an unknown name" --cap-add SYS_ADMNI $DJ &&
	ok "--cap-add with an unknown name"

run 2 "no input is a usage error" && ok "no input is a usage error"

tap_done
