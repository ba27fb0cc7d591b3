#!/bin/sh
# run-test.sh - 'leash test POLICY VECTORS...': vectors that hold, a
# wrong expectation, malformed lines, @POLICY, and --json, which also
# runs each call through the JSON profile as runc loads it.  Prints TAP.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)

tap_name=test
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"
tap_logs="out err"

E=tests/explain

# run EXPECTED-STATUS DESCRIPTION ARGS...: leash test ARGS
run() {
	leash_run test "$@"
}

# quiet DESCRIPTION: nothing on stderr.
quiet() {
	if [ -s "$tmp/err" ]; then
		not_ok "$1" "unexpected output on stderr"
	else
		ok "$1"
	fi
}

run 0 "vectors that hold: exit 0" $E/web.leash $E/web.vectors &&
	has "vectors that hold: exit 0" \
		"$E/web.vectors: 10 of 10 vectors held" &&
	quiet "vectors that hold: nothing on stderr"

run 1 "a wrong expectation: exit 1" $E/web.leash $E/wrong.vectors &&
	has "a wrong expectation: exit 1" \
		"$E/wrong.vectors: 3 of 4 vectors held" &&
	has_err "a wrong expectation: located, with what the filter gave" \
		"$E/wrong.vectors:4:43: error: socket(AF_UNIX, SOCK_STREAM, 0) on x86_64: expected allow, the filter gives errno(EPERM)" \
		"$E/web.leash:9:9: note: no rule matches: decided by the default action" \
		"1 error generated."

run 1 "malformed lines: exit 1" $E/web.leash $E/bad.vectors &&
	has_err "malformed lines: each a located error" \
		"$E/bad.vectors:3:1: error: unknown arch 'x86-64' (did you mean 'x86_64'?)" \
		"$E/bad.vectors:4:8: error: 'sokcet' is not a system call on arch x86_64 (did you mean 'socket'?)" \
		"$E/bad.vectors:5:21: error: expected '=> ACTION' after the call" \
		"$E/bad.vectors:6:19: error: unknown action 'alow' (did you mean 'allow'?)" \
		"$E/bad.vectors:7:13: error: unknown constant 'AF_INTE' (did you mean 'AF_INET'?)" \
		"$E/bad.vectors:8:25: error: errno value 5000 is out of range 0..4095" \
		"$E/bad.vectors:9:1: error: no policy 'nosuch' in $E/web.leash" \
		"7 errors generated." &&
	has "malformed lines: the one good line still runs" \
		"$E/bad.vectors: 1 of 8 vectors held"

run 0 "@POLICY picks a policy of the file" $E/two.leash $E/two.vectors &&
	has "@POLICY picks a policy of the file" \
		"$E/two.vectors: 6 of 6 vectors held"

run 1 "no @POLICY in a file of two policies" $E/two.leash \
	$E/noname.vectors &&
	has_err "no @POLICY in a file of two policies" \
		"$E/noname.vectors:2:1: error: $E/two.leash defines 2 policies: name one with @POLICY (or -p)"

run 0 "-p: the policy of lines without @POLICY" -p lax $E/two.leash \
	$E/noname.vectors && ok "-p: the policy of lines without @POLICY"

run 1 "several files: each counted, any failure fails" $E/web.leash \
	$E/web.vectors $E/wrong.vectors &&
	has "several files: each counted, any failure fails" \
		"$E/web.vectors: 10 of 10 vectors held" \
		"$E/wrong.vectors: 3 of 4 vectors held"

run 0 "--json: the JSON profile agrees" --json $E/web.leash \
	$E/web.vectors &&
	has "--json: the JSON profile agrees" \
		"$E/web.vectors: 10 of 10 vectors held" &&
	quiet "--json: nothing on stderr"

run 0 "--json: @POLICY" --json $E/two.leash $E/two.vectors &&
	ok "--json: @POLICY"

# A foreign arch: the native filter kills the process, runc's
# libseccomp the thread.  The vector holds natively, not under --json.
run 0 "a foreign arch, native filter" $E/web.leash $E/arch.vectors &&
	ok "a foreign arch, native filter"
run 1 "--json: where runc differs" --json $E/web.leash $E/arch.vectors &&
	has_err "--json: where runc differs" \
		"$E/arch.vectors:4:16: error: read(0) on arm: expected kill_process, the JSON profile as runc loads it gives kill_thread"

if (cd "$srcdir" && "$LEASH" compile -t bpf -o "$tmp" $E/web.leash) \
	>"$tmp/out" 2>"$tmp/err"; then
	run 1 "a .bpf for the policy is refused" "$tmp/web.bpf" \
		$E/web.vectors &&
		has_err "a .bpf for the policy is refused" \
			"$tmp/web.bpf: error: not a leash policy (binary data); test reads the policy, e.g. web.leash"
else
	not_ok "a .bpf for the policy is refused" "leash compile failed"
fi

run 1 "a missing vectors file" $E/web.leash $E/nosuch.vectors &&
	has_err "a missing vectors file" \
		"$E/nosuch.vectors: error: No such file or directory"

# A file that tests nothing must not pass CI.
printf '# only a comment\n\n' >"$tmp/empty.vectors"
run 1 "a file with no vectors" $E/web.leash "$tmp/empty.vectors" &&
	has_err "a file with no vectors" \
		"$tmp/empty.vectors: error: no vectors: write lines such as 'x86_64 read(0) => allow'"

run 2 "one operand is a usage error (2)" $E/web.leash &&
	ok "one operand is a usage error (2)"

tap_done
