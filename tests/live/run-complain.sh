#!/bin/sh
# run-complain.sh - what 'leash record' and 'leash run' build on the
# recorder beyond a plain recording.  Prints TAP.
#
#   record --for TARGETS: the recorded policy of 'busybox echo' passes
#     'leash check -t oci' (without --for it does not: runc's calls are
#     denied), and runc and crun start it as a container that prints
#     its answer; a bad target name is a usage error.

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

tap_end
