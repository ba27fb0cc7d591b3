#!/bin/sh
# run-runtime-group.sh - the calls runc and crun make after loading a
# container's filter (docs/language.md section 4, "Calls no program can
# do without").  Prints TAP.
#
#  1. The compiler's list (compiler/seccomp/vital.c) and the group
#     @runtime of profiles/groups.leash are the same set: a filter that
#     denies exactly @runtime gets every call of the compiler's list
#     named, and nothing else; one that allows only @runtime gets
#     nothing named.
#  2. A policy that denies some: a warning naming the runtime and the
#     calls from check and compile (the artifacts are written); an error
#     under -t json, -t oci, -t docker and --strict, and compile -t json
#     writes nothing; no word of it with -t bpf, which no runtime loads.
#
# Environment:
#   LEASH           the leash binary (default: ./leash)
#   abs_top_srcdir  the source tree (default: this script's ../)

tap_name=runtime-group
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/tap-lib.sh"
tap_logs="err"

groups=$srcdir/profiles/groups.leash

# The names @runtime lists: from 'group @runtime {' to '}', comments out.
sed -n '/^group @runtime {/,/^}/p' "$groups" | sed 's/#.*//' |
	sed '1d;$d' | tr ', \t' '\n\n\n' | sed '/^$/d' | sort -u \
	>"$tmp/group"
if [ -s "$tmp/group" ]; then
	ok "groups.leash has @runtime ($(wc -l <"$tmp/group") calls)"
else
	not_ok "groups.leash has @runtime"
fi

# lc STATUS DESCRIPTION ARGS...: leash ARGS inside $tmp, the profiles
# on the include path; 0 when the exit status is STATUS.
lc() {
	_want=$1
	_what=$2
	shift 2
	(cd "$tmp" && "$LEASH" "$@") >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" -ne "$_want" ]; then
		not_ok "$_what" "exit status $rc, expected $_want"
		return 1
	fi
	return 0
}

# named: the calls the diagnostics in $tmp/err name, one a line.
named() {
	sed -n 's/.* \(runc\|crun\) calls \(.*\) after it loads the filter.*/\2/p' \
		"$tmp/err" | tr ',' '\n' | tr -d ' ' | sed '/^$/d' | sort -u
}

# ---- 1. one list ------------------------------------------------------------

printf 'leash 1;\ninclude <groups.leash>;\npolicy all {\n    process { user 1000; }\n    seccomp { default allow; deny @runtime; }\n}\n' \
	>"$tmp/deny.leash"
if lc 1 "a filter denying @runtime: an error under -t json" \
	check -I "$srcdir/profiles" -t json deny.leash; then
	named >"$tmp/named"
	if cmp -s "$tmp/named" "$tmp/group"; then
		ok "the compiler names every call of @runtime, and no other"
	else
		not_ok "the compiler names every call of @runtime, and no other" \
			"$(diff "$tmp/group" "$tmp/named" | sed -n 's/^</only in @runtime:/p; s/^>/only in vital.c:/p')"
	fi
fi

printf 'leash 1;\ninclude <groups.leash>;\npolicy only {\n    process { user 1000; }\n    seccomp { default errno(EPERM); allow exit, exit_group, @runtime; }\n}\n' \
	>"$tmp/only.leash"
if lc 0 "a filter allowing only @runtime checks under -t json" \
	check -I "$srcdir/profiles" -t json only.leash; then
	if grep -q "after it loads the filter" "$tmp/err"; then
		not_ok "the compiler's list holds nothing outside @runtime" \
			"only in vital.c: $(named | tr '\n' ' ')"
	else
		ok "the compiler's list holds nothing outside @runtime"
	fi
fi

# ---- 2. warning, error --------------------------------------------------------

# Allows everything runc and crun need with no_new_privileges but
# fstatfs and rt_sigreturn (the issue's two failures), and crun's calls.
printf 'leash 1;\npolicy tight {\n    process { user 1000; }\n    seccomp {\n        default errno(EPERM);\n        allow read, write, close, openat, getdents64, epoll_ctl, getpid,\n              futex, execve, exit, exit_group;\n    }\n}\n' \
	>"$tmp/tight.leash"
warning="tight.leash:2:8: warning: policy 'tight': oci target: runc calls"
if lc 0 "check: a warning, exit 0" check tight.leash; then
	has_in "$tmp/err" "missing" "check: the warning names runc and its calls" \
		"$warning" "fstatfs" "rt_sigreturn" \
		"no container starts under runc (docker and podman run it too); allow @runtime of <groups.leash>"
	has_in "$tmp/err" "missing" "check: the warning names crun and its calls" \
		"warning: policy 'tight': oci target: crun calls capset, prctl, setresgid, setresuid, rt_sigaction, rt_sigprocmask after it loads the filter, which denies them: no container starts under crun"
fi
mkdir "$tmp/o"
if lc 0 "compile: a warning, exit 0" compile -o o tight.leash &&
	has_in "$tmp/err" "missing" "compile: the warning" "$warning" &&
	[ -s "$tmp/o/tight.seccomp.json" ]; then
	ok "compile: the artifacts are written"
fi

for t in json oci docker; do
	lc 1 "check -t $t: an error" check -t $t tight.leash &&
		has_in "$tmp/err" "missing" "check -t $t: the error" \
			"tight.leash:2:8: error: policy 'tight': " \
			"target: runc calls" "target: crun calls"
done
lc 1 "check --strict: an error" check --strict tight.leash &&
	has_in "$tmp/err" "missing" "check --strict: the error" \
		"error: policy 'tight': oci target: runc calls"
mkdir "$tmp/j"
if lc 1 "compile -t json: an error" compile -t json -o j tight.leash; then
	if [ -z "$(ls -A "$tmp/j")" ]; then
		ok "compile -t json: nothing written"
	else
		not_ok "compile -t json: nothing written" "$(ls -A "$tmp/j")"
	fi
fi
if lc 0 "check -t bpf: exit 0" check -t bpf tight.leash; then
	if grep -q "after it loads the filter" "$tmp/err"; then
		not_ok "check -t bpf: no word of the runtimes"
	else
		ok "check -t bpf: no word of the runtimes"
	fi
fi

tap_done
