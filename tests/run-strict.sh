#!/bin/sh
# run-strict.sh - docs/language.md section 9: --strict, 'check -t', the
# counts and signs in 'limits', and the cap on repeated warnings.
# Prints TAP.
#
#  1. --strict (check, compile, run): a fidelity note about a requested
#     target is an error, counted, and compile writes nothing; notes of
#     targets not asked for do not count; without --strict the same
#     policy compiles, with the note.
#  2. 'check -t LIST' checks only those targets: a policy whose rules
#     differ per arch (which the JSON target refuses) checks clean with
#     '-t bpf' and not without it.
#  3. limits: a negative number is an error, and so is a count (pids,
#     nofile, nproc) of 0; compile writes nothing.  (The exact texts are
#     goldens: tests/errors/limits-*.leash.)
#  4. A warning text is printed at most 10 times; every one is counted.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)

tap_name=strict
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"
tap_logs="err"

# lr EXPECTED-STATUS DESCRIPTION ARGS...: leash ARGS inside $tmp.
lr() {
	leash_at "$tmp" "$@"
}

# empty_dir DESCRIPTION DIR: DIR holds no file at all (no temporary
# file left behind either).
empty_dir() {
	if [ -n "$(ls -A "$2")" ]; then
		not_ok "$1" "files written: $(ls -A "$2" | tr '\n' ' ')"
	else
		ok "$1"
	fi
}

fresh() {	# an empty output directory $tmp/o
	rm -rf "$tmp/o"
	mkdir "$tmp/o"
}

# ---- 1. --strict ------------------------------------------------------------

# The AppArmor target has no port rules; the bundle's mount over a
# 'deny' path needs the path to exist.  The seccomp filter itself
# (bpf, pfc) loses nothing.
cat >"$tmp/ports.leash" <<'EOF'
policy ports {
    process { user 1000; }
    seccomp { default allow; }
    filesystem { allow r "/usr"; deny r "/usr/secret"; }
    network { allow connect tcp 5432; }
}
EOF
port_note="policy 'ports': apparmor target: AppArmor 3.0 has no port rules"

fresh
if lr 0 "compile -t apparmor without --strict" \
	compile -t apparmor -o o ports.leash; then
	if [ -s "$tmp/o/ports.apparmor" ]; then
		has_err "without --strict: written, with a note" \
			"ports.leash:5:15: note: $port_note"
	else
		not_ok "without --strict: written, with a note" \
			"no o/ports.apparmor"
	fi
fi

fresh
if lr 1 "compile --strict -t apparmor" \
	compile --strict -t apparmor -o o ports.leash; then
	has_err "--strict: the note is a located error" \
		"ports.leash:5:15: error: $port_note" \
		"    5 |     network { allow connect tcp 5432; }" \
		"2 errors generated."
	if grep -q ": note: " "$tmp/err"; then
		not_ok "--strict: no note is left as a note"
	else
		ok "--strict: no note is left as a note"
	fi
	empty_dir "--strict: compile writes nothing" "$tmp/o"
fi

fresh
if lr 0 "compile --strict -t bpf,pfc: other targets' notes do not count" \
	compile --strict -t bpf,pfc -o o ports.leash; then
	if [ -s "$tmp/o/ports.bpf" ] && [ -s "$tmp/o/ports.pfc" ] &&
	   [ ! -s "$tmp/err" ]; then
		ok "--strict -t bpf,pfc writes both, says nothing"
	else
		not_ok "--strict -t bpf,pfc writes both, says nothing"
	fi
fi

# All or nothing: the BPF filter is fine, but the set is not written.
fresh
lr 1 "compile --strict (every target)" compile --strict -o o ports.leash &&
	empty_dir "--strict: no artifact of the set is written" "$tmp/o"

# check: the notes are counted as errors, one for one.
if lr 0 "check -v -t apparmor" check -v -t apparmor ports.leash; then
	notes=$(grep -c ": note: " "$tmp/err")
	if lr 1 "check --strict -t apparmor" \
		check --strict -t apparmor ports.leash; then
		has_err "check --strict: as many errors as notes ($notes)" \
			"$notes errors generated."
	fi
fi
lr 0 "check without --strict" check ports.leash &&
	ok "check without --strict: notes are not errors"
lr 1 "check --strict" check --strict ports.leash &&
	has_err "check --strict: every target's notes" \
		"error: $port_note" \
		"error: policy 'ports': bundle target:"
if lr 0 "check --strict -t bpf" check --strict -t bpf ports.leash; then
	if [ -s "$tmp/err" ]; then
		not_ok "check --strict -t bpf says nothing"
	else
		ok "check --strict -t bpf says nothing"
	fi
fi

# run builds the bundle only: its note stops the run before leash-exec.
lr 1 "run --strict" run --strict ports.leash -- /bin/true &&
	has_err "run --strict: the bundle's note is an error" \
		"error: policy 'ports': bundle target:"

# A note of the seccomp lowering (x86's socketcall() skips argument
# checks) concerns every seccomp target, and no AppArmor profile.
cat >"$tmp/mux.leash" <<'EOF'
policy mux {
    process { user 1000; }
    seccomp {
        arch x86_64, x86;
        default allow;
        allow socket(domain) if domain == AF_UNIX;
    }
}
EOF
lr 1 "check --strict -t bpf: the socketcall note" \
	check --strict -t bpf mux.leash &&
	has_err "check --strict -t bpf: the socketcall note is an error" \
		"mux.leash:6:9: error: on arch x86, socketcall() reaches 'socket'"
fresh
lr 0 "compile --strict -t apparmor: no seccomp note" \
	compile --strict -t apparmor -o o mux.leash &&
	ok "compile --strict -t apparmor: the filter's notes do not count"

lr 2 "explain takes no --strict" explain --strict ports.leash read &&
	ok "explain --strict is a usage error"

# ---- 2. check -t ------------------------------------------------------------

cat >"$tmp/perarch.leash" <<'EOF'
policy perarch {
    process { user 1000; }
    seccomp {
        arch x86_64, aarch64;
        default kill;
        allow execve;
        when arch x86_64 { allow read; }
        allow write;
    }
}
EOF
lr 1 "check of a per-arch policy" check perarch.leash &&
	has_err "check: the JSON target refuses rules per arch" \
		"policy 'perarch': json target: cannot express rules that differ by arch for 'read'"
if lr 0 "check -t bpf of a per-arch policy" check -t bpf perarch.leash; then
	if [ -s "$tmp/err" ]; then
		not_ok "check -t bpf: clean"
	else
		ok "check -t bpf: clean"
	fi
fi
lr 0 "check -t bpf,pfc,apparmor,bundle" \
	check -t bpf,pfc,apparmor,bundle perarch.leash &&
	ok "check -t without json: clean"
lr 1 "check -t json" check -t json perarch.leash &&
	has_err "check -t json: refused" "json target: cannot express"
# -t oci alone writes leash's filter for crun and a linux.seccomp that
# fails closed for runc: a note, an error under --strict.
cat >"$tmp/perarch-rt.leash" <<'EOF'
policy perarch_rt {
    seccomp {
        arch x86_64, x86;
        default allow;
        when arch x86_64 { errno(EACCES) mkdir; }
        when arch x86 { errno(ENOENT) mkdir; }
    }
    filesystem { read_only_root; }
}
EOF
lr 0 "check -v -t oci of a per-arch policy" check -v -t oci perarch-rt.leash &&
	has_err "check -v -t oci: a note that runc cannot take it" \
		"note: policy 'perarch_rt': oci target: runc cannot take this filter"
lr 1 "check --strict -t oci of a per-arch policy" \
	check --strict -t oci perarch-rt.leash &&
	has_err "check --strict -t oci: the note is an error" \
		"error: policy 'perarch_rt': oci target: runc cannot take this filter"
lr 1 "check -t oci,json of a per-arch policy" check -t oci,json perarch-rt.leash &&
	has_err "check -t oci,json: the JSON target still refuses it" \
		"json target: cannot express"
# One errnoRet per JSON rule: ENOSYS is 38 on x86_64 and 89 on mips
# (docs/language.md section 2), so the JSON target refuses by name.
cat >"$tmp/errno-arch.leash" <<'EOF'
policy errno_arch {
    process { user 1000; }
    seccomp {
        arch x86_64, mips;
        default allow;
        errno(ENOSYS) read;
    }
}
EOF
lr 1 "check -t json, an errno whose number differs by arch" \
	check -t json errno-arch.leash &&
	has_err "check -t json: refuses read's errno(ENOSYS) on x86_64 and mips" \
		"cannot express rules that differ by arch for 'read' (x86_64 and mips differ, in their rules or in the value a constant has there)"
lr 0 "check -t bpf, the same policy" check -t bpf errno-arch.leash &&
	ok "check -t bpf: each arch gets its own ENOSYS"
lr 2 "check -t bogus" check -t bogus perarch.leash &&
	has_err "check -t bogus: usage error" "leash check: --target takes"
fresh
lr 0 "compile -t bpf agrees with check -t bpf" \
	compile -t bpf -o o perarch.leash && ok "compile -t bpf: written"

# ---- 3. limits --------------------------------------------------------------

for bad in "pids -1" "memory -1" "cpus -1" "nofile -5" "nofile 0" \
	"nproc 0" "nproc 0:8" "nofile 8:0" "core 0 - 1"; do
	printf 'policy lim {\n    process { user 1000; }\n    limits { %s; }\n}\n' \
		"$bad" >"$tmp/lim.leash"
	fresh
	if lr 1 "limits { $bad; } is an error" compile -o o lim.leash; then
		if grep -q "^lim.leash:3:[0-9]*: error: '" "$tmp/err"; then
			empty_dir "limits { $bad; }: located error, nothing written" \
				"$tmp/o"
		else
			not_ok "limits { $bad; }: located error, nothing written" \
				"no located error"
		fi
	fi
done
printf 'policy lim {\n    process { user 1000; }\n    limits { memory 1G; cpus 0.5; pids 1; nofile 1:4096; nproc unlimited; core 0; stack 8M; }\n}\n' \
	>"$tmp/lim.leash"
lr 0 "valid limits" check lim.leash && ok "valid limits check clean"

# ---- 4. repeated warnings ---------------------------------------------------

{
	printf 'policy rep {\n    process { user 1000; }\n    seccomp {\n'
	echo "        allow execve, exit, exit_group;"
	i=0
	while [ $i -lt 1000 ]; do
		echo "        allow read;"
		i=$((i + 1))
	done
	printf '    }\n}\n'
} >"$tmp/rep.leash"
# -t bpf: the 999 repeats are the only warnings (the json, oci and docker
# targets would add the runtime calls the filter denies).
if lr 0 "check of one rule 1000 times" check -t bpf rep.leash; then
	shown=$(grep -c "warning: rule for 'read' is shadowed" "$tmp/err")
	if [ "$shown" -eq 10 ]; then
		ok "a repeated warning is printed 10 times"
	else
		not_ok "a repeated warning is printed 10 times" "printed $shown"
	fi
	has_err "every repeat is counted" \
		"leash check: note: 989 more warnings not shown" \
		"999 warnings generated."
fi
lr 1 "--werror counts the warnings not shown" check --werror rep.leash &&
	ok "--werror fails on repeated warnings"

tap_done
