#!/bin/sh
# run-explain.sh - 'leash explain': a call by number is named, errno by
# name, the whole deciding rule, suggestions for a misspelt call or arch,
# argument errors located in the call, a binary file refused in one
# line.  Prints TAP.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)

tap_name=explain
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"
tap_logs="out err"

W=tests/explain/web.leash

# run EXPECTED-STATUS DESCRIPTION ARGS...: leash explain ARGS
run() {
	leash_run explain "$@"
}

# same DESCRIPTION FILE: $tmp/out is exactly FILE.
same() {
	if cmp -s "$2" "$tmp/out"; then
		ok "$1"
	else
		not_ok "$1" "$(diff -u "$2" "$tmp/out")"
	fi
}

run 0 "a call by name: the header as before" $W 'reboot' &&
	has "a call by name: the header as before" \
		"reboot on x86_64 (nr 169)"

run 0 "a call by number is named" $W '83(0)' &&
	has "a call by number is named" \
		"83(0) on x86_64 is mkdir (nr 83, arg0 0x0)" \
		"action: allow"

run 0 "a number no call has" $W '999' &&
	has "a number no call has" \
		"999 on x86_64 is no system call leash knows (nr 999)" \
		"  nr 999 is above the highest syscall leash knows on x86_64"

run 0 "errno by name: the default" $W 'socket(AF_INET6)' &&
	has "errno by name: the default" \
		"action: errno(EPERM)" \
		"  no rule matches: the default action" \
		"    default errno(EPERM);"

run 0 "errno by name: a rule" $W 'openat(0)' &&
	has "errno by name: a rule" "action: errno(EACCES)"

cat >"$tmp/multi" <<'EOF'
socket(WEB_FAMILY, SOCK_DGRAM) on x86_64 (nr 41, arg0 0x2, arg1 0x2)
action: allow
  decided by tests/explain/web.leash:12:9
    allow socket(domain, type)
        if domain == WEB_FAMILY
            && (type == SOCK_STREAM
                || type == SOCK_DGRAM);
EOF
run 0 "the whole multi-line rule, its indentation trimmed" $W \
	'socket(WEB_FAMILY, SOCK_DGRAM)' &&
	same "the whole multi-line rule, its indentation trimmed" "$tmp/multi"

run 0 "an arch the policy does not list" -a arm $W 'read(0)' &&
	has "an arch the policy does not list" \
		"action: kill_process" \
		"  arch arm is not in the policy: any other arch gets kill_process"

run 1 "a misspelt call: a suggestion" $W 'sokcet(AF_INET)' &&
	has_err "a misspelt call: a suggestion" \
		"leash explain: error: 'sokcet' is not a system call on arch x86_64 (did you mean 'socket'?)"

run 1 "a call of another arch: no suggestion" -a aarch64 $W 'open(0)' &&
	has_err "a call of another arch: no suggestion" \
		"leash explain: error: 'open' is not a system call on arch aarch64"

run 1 "a misspelt arch: a suggestion" -a x86-64 $W 'read(0)' &&
	has_err "a misspelt arch: a suggestion" \
		"leash explain: error: unknown arch 'x86-64' (did you mean 'x86_64'?)"

run 1 "an argument error points into the call" $W 'socket(AF_INTE, 1)' &&
	has_err "an argument error points into the call" \
		"<call>:1:8: error: unknown constant 'AF_INTE' (did you mean 'AF_INET'?)" \
		"    1 | socket(AF_INTE, 1)"

run 2 "a malformed call is a usage error" $W 'socket(1' &&
	has_err "a malformed call is a usage error" "'socket(1': missing ')'"

# A compiled filter given for its policy: one line, exit 1.
binary() {
	_what=$1
	run 1 "$_what" "$2" 'read(0)' || return
	if [ -s "$tmp/out" ] || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
		not_ok "$_what" "expected one line on stderr and nothing on stdout"
	else
		has_err "$_what" "$2: error: not a leash policy (binary data); explain reads the policy, e.g. web.leash"
	fi
}
if (cd "$srcdir" && "$LEASH" compile -t bpf -o "$tmp" $W) \
	>"$tmp/out" 2>"$tmp/err"; then
	binary "a .bpf file is refused in one line" "$tmp/web.bpf"
else
	not_ok "a .bpf file is refused in one line" "leash compile failed"
fi
printf 'policy latin1 { seccomp { allow read; } }  # caf\351\n' \
	>"$tmp/latin1.leash"
binary "invalid UTF-8 is refused in one line" "$tmp/latin1.leash"

# UTF-8 cut by the end of the first KiB is text all the same.
{
	printf '#'
	i=0
	while [ $i -lt 1022 ]; do printf x; i=$((i + 1)); done
	printf '\303\251\n'
	printf 'policy cut { seccomp { allow read; } process { user 1000; } }\n'
} >"$tmp/cut.leash"
run 0 "a character across the first KiB is text" "$tmp/cut.leash" \
	'read(0)' && has "a character across the first KiB is text" \
		"action: allow"

# ---- --log: the kernel's seccomp audit records ------------------------

L=tests/explain/log.leash
run 0 "--log: dmesg, journalctl -k and auditd records explained" \
	$L --log tests/explain/seccomp.audit &&
	same "--log: each record's call, arch, action and deciding rules" \
		"$srcdir/tests/explain/seccomp.expected"
# leash_run reads /dev/null: standard input by hand.
(cd "$srcdir" && "$LEASH" explain $L --log - <tests/explain/seccomp.audit) \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
sed 's|^tests/explain/seccomp.audit:|<stdin>:|' \
	"$srcdir/tests/explain/seccomp.expected" >"$tmp/stdin.expected"
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ]; then
	same "--log -: the records on standard input" "$tmp/stdin.expected"
else
	not_ok "--log -: the records on standard input"
fi
run 1 "--log: records from another filter" $L \
	--log tests/explain/foreign.audit &&
	has_err "--log: a call the policy never gives that action" \
		"tests/explain/foreign.audit:2:102: error: uselib on x86_64 got kill_process, which policy 'logged' never gives it: the record comes from another filter" &&
	has_err "--log: a record cut short" \
		"tests/explain/foreign.audit:3:1: error: a seccomp record without 'arch='" &&
	has "--log: an arch the policy lacks gets the bad-arch action" \
		"arch aarch64 is not in the policy: the action for any other arch"
# Cut and malformed records (under ASan in CI): each an error at its
# line, none a crash; a field at the very end of the line, an unclosed
# quote, numbers out of range, a line of 100 KB, a NUL byte past the
# first KiB.
{
	i=0
	while [ $i -lt 1100 ]; do printf '#'; i=$((i + 1)); done
	printf '\n'
	printf 'audit: type=1326 audit(1.2:3): comm="unclosed arch=c000003e syscall=\n'
	printf 'audit: type=1326 audit(1.2:3): arch=c000003e syscall=99999999999999999999 code=0x0\n'
	printf 'audit: type=1326 audit(1.2:3): arch=1c000003e syscall=1 code=0x0\n'
	printf 'audit: type=1326 audit(1.2:3): arch=c000003e syscall=-1 code=0x0\n'
	printf 'audit: type=1326 audit(1.2:3): arch=c000003e syscall=1 code=0x\n'
	printf 'audit: type=1326 audit(1.2:3): arch=c000003e syscall=1 code=\000x\n'
	printf 'audit: type=1326 audit(1.2:3): arch=c000003e syscall=1 code=0x7fff0000 pid='
	i=0
	while [ $i -lt 1000 ]; do
		printf 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
		i=$((i + 1))
	done
	printf '\n'
} >"$tmp/cut.audit"
run 1 "--log: cut and malformed records are errors" $L \
	--log "$tmp/cut.audit" &&
	has_err "--log: a record ending in 'syscall='" \
		"cut.audit:2:1: error: a seccomp record without 'syscall='" &&
	has_err "--log: a syscall number out of range" \
		"cut.audit:3:1: error: a seccomp record without 'syscall='" &&
	has_err "--log: an arch beyond 32 bits" \
		"cut.audit:4:1: error: a seccomp record without 'arch='" &&
	has_err "--log: a negative syscall number" \
		"cut.audit:5:1: error: a seccomp record without 'syscall='" &&
	has_err "--log: 'code=0x' with no digits" \
		"cut.audit:6:1: error: a seccomp record without 'code='" &&
	has_err "--log: a NUL byte in a value" \
		"cut.audit:7:1: error: a seccomp record without 'code='"
run 1 "--log: a file with no record" $L --log /dev/null &&
	has_err "--log: no record is an error" \
		"/dev/null: error: no seccomp audit record"
run 2 "--log with a call too: a usage error" $L 'read(0)' --log /dev/null &&
	has_err "--log with a call: says so" "with --log, only the policy"
run 2 "neither a call nor --log: a usage error" $L &&
	has_err "neither: says so" "a policy and a call, or --log"

tap_done
