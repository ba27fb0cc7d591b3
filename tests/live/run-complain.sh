#!/bin/sh
# run-complain.sh - what 'leash record' and 'leash run' build on the
# recorder beyond a plain recording.  Prints TAP.
#
#   record --for TARGETS: the recorded policy of 'busybox echo' passes
#     'leash check -t oci' (without --for it does not: runc's calls are
#     denied), and runc and crun start it as a container that prints
#     its answer; a bad target name is a usage error.  With --base
#     and no_new_privileges off, @runtime's calls are added.
#   run --complain POLICY: a workload (tests/live/complain-prog.c) that
#     makes calls the policy denies (mkdir, socket(AF_INET6)), writes a
#     file outside its filesystem allow-list and connects to a TCP port
#     its network section does not allow, as root and as nobody: it
#     prints what it prints bare, exit 0, and each denial is said by
#     name, arch, arguments and the policy's file:line, nothing else;
#     the same policy without --complain denies each.  A policy with
#     errors runs nothing; a command not found is 127.
#   record --base POLICY: the same workload, as root and as nobody,
#     runs as bare; the output is POLICY's text with, first in its
#     body, a recorded block allowing the call (with its argument
#     condition), the path and the port; 'leash check' takes it, and
#     compiled to a bundle it runs the workload under leash-exec as
#     bare.  --base with --merge, and a base with errors, are refused.
#   record --verify: as root, a workload that needs FOWNER (chmod of
#     nobody's file) and SYS_NICE (nice -n -5), which the recorder
#     cannot infer: the verify run under leash-exec says both calls,
#     EPERM and EACCES; a workload its policy passes (as root and as
#     nobody) gets nothing said.  --verify with --base is refused.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

require_x86_64
[ -x "$LEASH" ] || bail "leash binary '$LEASH' not built"
SHIM=${LEASH_EXEC:-$builddir/leash-exec}
[ -x "$SHIM" ] || bail "leash-exec '$SHIM' not built"
grep -q '^Seccomp:' /proc/self/status || skip_all "no seccomp"

runtime_sandbox leash-complain
chmod 755 "$T"

# ---- record --for -----------------------------------------------------------

BB=$(command -v busybox)
if [ -z "$BB" ] || ! is_static "$BB"; then
	skip "record --for: busybox is not static (Debian package busybox-static)"
else
	cp "$BB" "$T/busybox"
	limit 60 "$LEASH" record --for oci -o "$T/for.leash" -- \
		"$T/busybox" echo for-ok >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 0 ] && grep -qx for-ok "$T/out" &&
		grep -q 'allow @runtime-nnp;' "$T/for.leash" &&
		ok "record --for oci: the workload ran; @runtime-nnp allowed" ||
		{ not_ok "record --for oci (rc $rc)"; diag_file "$T/err"; }
	limit 60 "$LEASH" record -o "$T/nofor.leash" -- \
		"$T/busybox" echo for-ok >/dev/null 2>"$T/err"
	if "$LEASH" check -t oci "$T/for.leash" >"$T/err" 2>&1 &&
		! grep -q 'runc calls' "$T/err"; then
		ok "record --for oci: 'leash check -t oci' takes it, no runtime call denied"
	else
		not_ok "record --for oci: 'leash check -t oci'"
		diag_file "$T/err"
	fi
	"$LEASH" check -t oci "$T/nofor.leash" >"$T/err" 2>&1
	rc=$?
	[ $rc -ne 0 ] && grep -q 'runc calls .* allow @runtime-nnp' "$T/err" &&
		ok "record without --for: 'leash check -t oci' says runc's calls are denied" ||
		{ not_ok "record without --for: check -t oci (rc $rc)"; diag_file "$T/err"; }
	limit 60 "$LEASH" record --for k8s,docker -o "$T/for2.leash" -- \
		"$T/busybox" echo for-ok >/dev/null 2>"$T/err" &&
		"$LEASH" check -t k8s,docker "$T/for2.leash" >"$T/err" 2>&1 &&
		grep -q '@runtime-nnp;  # --for k8s,docker' "$T/for2.leash" &&
		ok "record --for k8s,docker: 'leash check -t k8s,docker' takes it" ||
		{ not_ok "record --for k8s,docker"; diag_file "$T/err"; }
	limit 60 "$LEASH" record --for bpf -o "$T/for3.leash" -- \
		"$T/busybox" echo for-ok >/dev/null 2>"$T/err" &&
		! grep -q '@runtime' "$T/for3.leash" &&
		ok "record --for bpf: no runtime, no @runtime-nnp" ||
		{ not_ok "record --for bpf"; diag_file "$T/err"; }
	# --for with --base: the runtime's calls after the base's
	# no_new_privileges (off here: @runtime, spelled out).
	sed 's/^policy "nofor" {/policy "nofor" {\
	process { no_new_privileges off; }/' "$T/nofor.leash" >"$T/nnpoff.leash"
	limit 60 "$LEASH" record --for oci --base "$T/nnpoff.leash" \
		-o "$T/nnpoff-for.leash" -- "$T/busybox" echo for-ok \
		>"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -eq 0 ] && grep -qx for-ok "$T/out" &&
		grep -q '# @runtime (--for oci): what runc' "$T/nnpoff-for.leash" &&
		! "$LEASH" check -t oci "$T/nnpoff.leash" >/dev/null 2>&1 &&
		"$LEASH" check -t oci "$T/nnpoff-for.leash" >"$T/err" 2>&1; then
		ok "record --for oci --base (no_new_privileges off): @runtime's calls added, 'check -t oci' takes it"
	else
		not_ok "record --for oci --base (rc $rc)"
		diag_file "$T/err"
	fi
	limit 60 "$LEASH" record --for ocj -o "$T/bad.leash" -- true \
		>/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 2 ] && [ ! -e "$T/bad.leash" ] &&
		grep -q -e "--for takes a list" "$T/err" &&
		ok "record --for ocj: a usage error, nothing run or written" ||
		{ not_ok "record --for ocj (rc $rc)"; diag_file "$T/err"; }

	# The container itself, under runc and crun.
	if [ "$(id -u)" -ne 0 ]; then
		skip "record --for oci under runc/crun: needs root"
	elif ! "$LEASH" compile -t oci -o "$T" "$T/for.leash" >/dev/null 2>"$T/err"; then
		not_ok "record --for oci: compile -t oci"
		diag_file "$T/err"
	else
		R=$T/root
		mkdir -p "$R/bin" "$R/etc" "$R/dev" "$R/proc" "$R/sys" "$R/tmp"
		cp "$BB" "$R/bin/busybox"
		ln -s busybox "$R/bin/echo"
		printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
		printf 'root:x:0:\n' >"$R/etc/group"
		for rt in runc crun; do
			if ! command -v $rt >/dev/null 2>&1; then
				skip "record --for oci under $rt: not installed"
				continue
			fi
			mkdir -p "$T/b-$rt"
			(cd "$T/b-$rt" && $rt spec) &&
			printf '{ "process": { "terminal": false, "args": ["/bin/busybox", "echo", "for-ok"] }, "root": { "path": "%s", "readonly": false } }\n' \
				"$R" >"$T/run.json" &&
			"$LEASH" oci-merge -o "$T/b-$rt/config.json" \
				"$T/b-$rt/config.json" "$T/for.oci.json" \
				"$T/run.json" 2>"$T/err" ||
				{ not_ok "oci-merge for $rt"; diag_file "$T/err"; continue; }
			fails=0
			for i in 1 2 3 4 5; do
				oci_run $rt "$T/$rt-state" "$T/b-$rt" \
					"leash-complain-$$-$rt-$i" \
					>"$T/out" 2>"$T/err" </dev/null
				rc=$?
				[ $rc -eq 0 ] && grep -qx for-ok "$T/out" && continue
				fails=$((fails + 1))
				[ $fails -eq 1 ] && { diag "$rt run $i: exit $rc"; diag_file "$T/err"; }
			done
			[ $fails -eq 0 ] &&
				ok "record --for oci: $rt starts the recorded policy's container, 5 of 5" ||
				not_ok "record --for oci: $rt failed $fails of 5 runs"
		done
	fi
fi

# ---- run --complain ---------------------------------------------------------

PORT_OK=47601
PORT_NO=47602
have_prog=false
if ! command -v cc >/dev/null 2>&1; then
	skip "run --complain: no C compiler for the workload"
elif ! cc -O2 -o "$T/prog" "$srcdir/tests/live/complain-prog.c" 2>"$T/err"; then
	not_ok "run --complain: the workload builds"
	diag_file "$T/err"
else
	have_prog=true
	mkdir -p "$T/bin" "$T/data" "$T/outside"
	mv "$T/prog" "$T/bin/prog"
	chmod 777 "$T/data" "$T/outside"
	cat >"$T/c.leash" <<EOF
leash 1;

policy "complain-test" {
	seccomp {
		default allow;
		errno(EPERM) mkdir, mkdirat;
		errno(EAFNOSUPPORT) socket(domain, type) if domain == AF_INET6;
	}
	filesystem {
		allow rx "/usr/**", "/lib/**", "/lib64/**", "/bin/**", "/etc/**";
		allow rx "$T/bin/**";
		allow rw "$T/data/**", "/dev/**";
	}
	network {
		allow connect tcp $PORT_OK;
	}
}
EOF
fi

# can_be WHO: whether this test can run things as WHO.
can_be() {
	[ "$(id -u)" -eq 0 ] || return 1
	[ "$1" = root ] || command -v setpriv >/dev/null 2>&1
}

# workload WHO [LEASH-ARGS...]: the workload in $T as WHO, bare or
# under leash with LEASH-ARGS; stdout to $T/out, stderr to $T/err.
workload() {
	_who=$1
	shift
	rm -rf "$T/data/new" "$T/outside/f"
	(cd "$T" && as $_who "$@" ./bin/prog "$T/data" "$T/outside/f" $PORT_NO) \
		>"$T/out" 2>"$T/err"
}

for who in root nobody; do
	$have_prog || break
	if ! can_be $who; then
		skip "run --complain as $who: needs root (and setpriv)"
		continue
	fi
	workload $who
	cp "$T/out" "$T/bare.out"
	workload $who "$LEASH" run --complain c.leash --
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$T/bare.out" "$T/out" &&
		grep -q 'mkdir: ok' "$T/out"; then
		ok "run --complain as $who: the workload runs as bare (same output, exit 0)"
	else
		not_ok "run --complain as $who: as bare (rc $rc)"
		diag_file "$T/bare.out"
		diag_file "$T/out"
		diag_file "$T/err"
	fi
	fails=
	grep -q -F "would deny mkdir(\"$T/data/new\", 493) on x86_64: errno(EPERM), by the rule at c.leash:6:3" "$T/err" ||
		fails="$fails mkdir"
	grep -q -F "would deny socket(10, 1, 0) on x86_64: errno(EAFNOSUPPORT), by the rule at c.leash:7:3" "$T/err" ||
		fails="$fails socket"
	grep -q -F "would deny openat of $T/outside/f: Landlock needs write_file,truncate on it and make_reg on its directory, which no filesystem rule of policy 'complain-test' (c.leash:10:3) grants" "$T/err" ||
		fails="$fails create"
	grep -q -F "would deny openat of $T/outside/f: Landlock needs read_file on it" "$T/err" ||
		fails="$fails read"
	grep -q -F "would deny TCP connect to port $PORT_NO: no network rule of policy 'complain-test' (c.leash:3:8)" "$T/err" ||
		fails="$fails connect"
	# Nothing the policy allows is said: the data tree, the program,
	# its libraries, the port it allows.
	grep 'would deny' "$T/err" | grep -v -e mkdir -e socket \
		-e "$T/outside/f" -e "port $PORT_NO" >"$T/extra"
	[ -s "$T/extra" ] && fails="$fails extra"
	grep -q -F 'run --complain: 6 denials allowed (5 distinct)' "$T/err" ||
		fails="$fails summary"
	if [ -z "$fails" ]; then
		ok "run --complain as $who: each denial said with name, arch, arguments and file:line"
	else
		not_ok "run --complain as $who: denials said (missing:$fails)"
		diag_file "$T/err"
	fi
	workload $who "$LEASH" run c.leash --
	if grep -q 'mkdir: Operation not permitted' "$T/out" &&
		grep -q 'socket inet6: Address family not supported' "$T/out" &&
		grep -q 'create outside: Permission denied' "$T/out" &&
		grep -q 'connect: Permission denied' "$T/out" &&
		[ ! -e "$T/outside/f" ]; then
		ok "run without --complain as $who: the same policy denies each"
	else
		not_ok "run without --complain as $who: denies each"
		diag_file "$T/out"
		diag_file "$T/err"
	fi
done

if $have_prog; then
	printf 'leash 1;\npolicy "bad" { seccomp { allow nosuchcall; } }\n' >"$T/bad.leash"
	limit 60 "$LEASH" run --complain "$T/bad.leash" -- true >/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] && grep -q nosuchcall "$T/err" &&
		ok "run --complain: a policy with errors runs nothing (exit 1)" ||
		{ not_ok "run --complain: a bad policy (rc $rc)"; diag_file "$T/err"; }
	limit 60 "$LEASH" run --complain "$T/c.leash" -- "$T/nonexistent" \
		>/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 127 ] &&
		ok "run --complain: a command not found is 127, as leash-exec says" ||
		{ not_ok "run --complain: command not found (rc $rc)"; diag_file "$T/err"; }
fi

# ---- record --base ----------------------------------------------------------

mkdir -p "$T/rec"
chmod 777 "$T/rec"
for who in root nobody; do
	$have_prog || break
	if ! can_be $who; then
		skip "record --base as $who: needs root (and setpriv)"
		continue
	fi
	out=rec/base-$who.leash
	workload $who
	cp "$T/out" "$T/bare.out"
	workload $who "$LEASH" record --base c.leash -o $out --
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$T/bare.out" "$T/out" &&
		grep -q -F "would deny mkdir(\"$T/data/new\", 493) on x86_64: errno(EPERM), by the rule at c.leash:6:3" "$T/err"; then
		ok "record --base as $who: the workload runs as bare, denials said"
	else
		not_ok "record --base as $who: as bare (rc $rc)"
		diag_file "$T/out"
		diag_file "$T/err"
	fi
	fails=
	grep -q '^	# >>> leash record: rules to add (--base)$' "$T/$out" || fails="$fails begin"
	grep -q '^	# <<< leash record: rules to add (--base)$' "$T/$out" || fails="$fails end"
	grep -q '^		allow mkdir;  # 2$' "$T/$out" || fails="$fails mkdir"
	grep -q '^		allow socket(family, type) if family in { AF_INET6 } && (type & 0xf) in { SOCK_STREAM };' "$T/$out" ||
		fails="$fails socket"
	grep -q -F "\"$T/outside/**\";" "$T/$out" || fails="$fails path"
	grep -q "^		allow connect tcp $PORT_NO;$" "$T/$out" || fails="$fails port"
	# Outside the block, the base's text as it was.
	awk '/# >>> leash record: rules to add/ { skip = 1; next }
	     /# <<< leash record: rules to add/ { skip = 0; gap = 1; next }
	     skip { next }
	     gap && $0 == "" { gap = 0; next }
	     { gap = 0; print }' "$T/$out" >"$T/rest.leash"
	cmp -s "$T/rest.leash" "$T/c.leash" || fails="$fails base-text"
	if [ -z "$fails" ]; then
		ok "record --base as $who: the base policy plus a recorded block of the calls, path and port to add"
	else
		not_ok "record --base as $who: the output (wrong:$fails)"
		diag_file "$T/$out"
	fi
	if "$LEASH" check "$T/$out" >"$T/err" 2>&1; then
		ok "record --base as $who: 'leash check' takes the output"
	else
		not_ok "record --base as $who: 'leash check' takes the output"
		diag_file "$T/err"
	fi
	rm -rf "$T/bb"
	mkdir -p "$T/bb"
	if "$LEASH" compile -t bundle -o "$T/bb" "$T/$out" >/dev/null 2>"$T/err"; then
		workload $who "$SHIM" "$T/bb/complain-test.bundle" --
		rc=$?
		[ $rc -eq 0 ] && cmp -s "$T/bare.out" "$T/out" &&
			ok "record --base as $who: under leash-exec with the output, the workload runs as bare" ||
			{ not_ok "record --base as $who: under leash-exec (rc $rc)";
			  diag_file "$T/out"; diag_file "$T/err"; }
	else
		not_ok "record --base as $who: compile -t bundle"
		diag_file "$T/err"
	fi
done
if $have_prog; then
	limit 60 "$LEASH" record --base "$T/c.leash" --merge "$T/c.leash" \
		-o "$T/rec/x.leash" -- true >/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 2 ] && [ ! -e "$T/rec/x.leash" ] &&
		ok "record --base with --merge: a usage error" ||
		{ not_ok "record --base with --merge (rc $rc)"; diag_file "$T/err"; }
	limit 60 "$LEASH" record --base "$T/bad.leash" -o "$T/rec/y.leash" -- \
		true >/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] && [ ! -e "$T/rec/y.leash" ] &&
		grep -q nosuchcall "$T/err" &&
		ok "record --base of a policy with errors: exit 1, nothing run or written" ||
		{ not_ok "record --base of a bad policy (rc $rc)"; diag_file "$T/err"; }
fi

# ---- record --verify --------------------------------------------------------

# As root, the workload needs two capabilities the recorder cannot infer
# (system calls do not show capability checks): FOWNER to chmod a file
# of nobody's, SYS_NICE to lower its niceness.  The recorded policy
# drops them, so under leash-exec both calls fail; --verify says so.
if [ "$(id -u)" -ne 0 ]; then
	skip "record --verify of a workload needing capabilities: needs root"
else
	touch "$T/rec/owned"
	chown 65534:65534 "$T/rec/owned"
	limit 120 "$LEASH" record --verify -o "$T/rec/v.leash" -- sh -c \
		"chmod 600 '$T/rec/owned' && echo chmod-ok; nice -n -5 echo niced" \
		>"$T/out" 2>"$T/err"
	rc=$?
	fails=
	[ $rc -eq 0 ] || fails="$fails rc=$rc"
	# The recording ran as bare, then the verify run (which prints too).
	[ "$(head -n 2 "$T/out")" = "$(printf 'chmod-ok\nniced')" ] ||
		fails="$fails output"
	grep -q -F "fchmodat(-100, \"$T/rec/owned\", 384) on x86_64 failed with EPERM under the recorded policy, and succeeded while recording: its filter allows it" "$T/err" ||
		fails="$fails fchmodat"
	grep -q -F "setpriority(0, 0, -5) on x86_64 failed with EACCES under the recorded policy, and succeeded while recording" "$T/err" ||
		fails="$fails setpriority"
	grep -q -F "record --verify: 2 calls failed under $T/rec/v.leash that succeeded while recording (2 distinct)" "$T/err" ||
		fails="$fails summary"
	"$LEASH" check "$T/rec/v.leash" >/dev/null 2>&1 || fails="$fails check"
	if [ -z "$fails" ]; then
		ok "record --verify: the chmod and nice the capabilities it drops refuse are said"
	else
		not_ok "record --verify (wrong:$fails)"
		diag_file "$T/out"
		diag_file "$T/err"
	fi
fi
for who in root nobody; do
	if ! can_be $who; then
		skip "record --verify as $who of a workload its policy passes: needs root (and setpriv)"
		continue
	fi
	rm -f "$T/rec/w-$who.leash" "$T/rec/f-$who"
	(cd "$T/rec" && as $who "$LEASH" record --verify -o "w-$who.leash" -- \
		sh -c "echo hi >f-$who && cat f-$who") >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -eq 0 ] && [ "$(cat "$T/out")" = "$(printf 'hi\nhi')" ] &&
		grep -q -F "record --verify: under w-$who.leash, no call failed with EPERM or EACCES that succeeded while recording" "$T/err" &&
		! grep -q 'under the recorded policy' "$T/err"; then
		ok "record --verify as $who: a workload its policy passes, nothing said"
	else
		not_ok "record --verify as $who (rc $rc)"
		diag_file "$T/out"
		diag_file "$T/err"
	fi
done
limit 60 "$LEASH" record --verify --base "$T/nofor.leash" -o "$T/rec/z.leash" \
	-- true >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 2 ] && grep -q 'not built yet' "$T/err" && [ ! -e "$T/rec/z.leash" ] &&
	ok "record --verify with --base: refused, not built yet" ||
	{ not_ok "record --verify with --base (rc $rc)"; diag_file "$T/err"; }

tap_end
