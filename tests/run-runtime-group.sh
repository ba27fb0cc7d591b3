#!/bin/sh
# run-runtime-group.sh - the calls runc and crun make after loading a
# container's filter (docs/language.md section 4, "Calls no program can
# do without").  Prints TAP.
#
#  1. The compiler's lists (compiler/seccomp/vital.c) and the groups
#     @runtime and @runtime-nnp of profiles/groups.leash are the same
#     sets: a filter that denies exactly the group gets every call of the
#     compiler's list named, and nothing else; one that allows only the
#     group gets nothing named.  @runtime is checked on a policy with
#     'no_new_privileges off', @runtime-nnp on one with the default (on).
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

# members GROUP: the names GROUP lists, from 'group GROUP {' to '}',
# comments out, one a line; a nested group's names in its place.
members() {
	sed -n "/^group $1 {/,/^}/p" "$groups" | sed 's/#.*//' |
		sed '1d;$d' | tr ', \t' '\n\n\n' | sed '/^$/d' |
		while read -r m; do
			case $m in
			@*) members "$m" ;;
			*) echo "$m" ;;
			esac
		done
}
members @runtime | sort -u >"$tmp/group"
members @runtime-nnp | sort -u >"$tmp/group-nnp"
for g in group group-nnp; do
	if [ -s "$tmp/$g" ]; then
		ok "groups.leash has @runtime${g#group} ($(wc -l <"$tmp/$g") calls)"
	else
		not_ok "groups.leash has @runtime${g#group}"
	fi
done

# lc STATUS DESCRIPTION ARGS...: leash ARGS inside $tmp, the profiles
# on the include path where ARGS say -I.
lc() {
	leash_at "$tmp" "$@"
}

# named: the calls the diagnostics in $tmp/err name, one a line.
named() {
	sed -n 's/.* \(runc\|crun\) calls \(.*\) after it loads the filter.*/\2/p' \
		"$tmp/err" | tr ',' '\n' | tr -d ' ' | sed '/^$/d' | sort -u
}

# ---- 1. one list ------------------------------------------------------------

# same GROUP NNP: the calls a filter denying GROUP gets named, and none
# named for one allowing only GROUP, in a policy with NNP ("on" or
# "off") no_new_privileges; $tmp/GROUP-file is the group's list.
same() {
	_g=$1 _nnp=$2 _list=$3
	printf 'leash 1;\ninclude <groups.leash>;\npolicy all {\n    process { user 1000; no_new_privileges %s; }\n    seccomp { default allow; deny %s; }\n}\n' \
		"$_nnp" "$_g" >"$tmp/deny.leash"
	if lc 1 "a filter denying $_g (no_new_privileges $_nnp): an error under -t json" \
		check -I "$srcdir/profiles" -t json deny.leash; then
		named >"$tmp/named"
		if cmp -s "$tmp/named" "$_list"; then
			ok "no_new_privileges $_nnp: the compiler names every call of $_g, and no other"
		else
			not_ok "no_new_privileges $_nnp: the compiler names every call of $_g, and no other" \
				"$(diff "$_list" "$tmp/named" | sed -n "s/^</only in $_g:/p; s/^>/only in vital.c:/p")"
		fi
	fi
	printf 'leash 1;\ninclude <groups.leash>;\npolicy only {\n    process { user 1000; no_new_privileges %s; }\n    seccomp { default errno(EPERM); allow exit, exit_group, %s; }\n}\n' \
		"$_nnp" "$_g" >"$tmp/only.leash"
	if lc 0 "a filter allowing only $_g (no_new_privileges $_nnp) checks under -t json" \
		check -I "$srcdir/profiles" -t json only.leash; then
		if grep -q "after it loads the filter" "$tmp/err"; then
			not_ok "no_new_privileges $_nnp: the compiler's list holds nothing outside $_g" \
				"only in vital.c: $(named | tr '\n' ' ')"
		else
			ok "no_new_privileges $_nnp: the compiler's list holds nothing outside $_g"
		fi
	fi
}
same @runtime off "$tmp/group"
same @runtime-nnp on "$tmp/group-nnp"
# deny.leash is now the one with no_new_privileges on.
if lc 1 "the error with no_new_privileges names @runtime-nnp" \
		check -I "$srcdir/profiles" -t json deny.leash &&
	grep -q "after it loads the filter (with no_new_privileges on, as for this policy), which denies them: no container starts under runc (docker and podman run it too); allow @runtime-nnp of <groups.leash>" "$tmp/err"; then
	ok "with no_new_privileges the diagnostic says so and names @runtime-nnp"
else
	not_ok "with no_new_privileges the diagnostic says so and names @runtime-nnp"
fi

# ---- 2. warning, error --------------------------------------------------------

# Allows everything runc and crun need with no_new_privileges but
# fstatfs and rt_sigreturn (the issue's two failures), and crun's calls.
printf 'leash 1;\npolicy tight {\n    process { user 1000; no_new_privileges off; }\n    seccomp {\n        default errno(EPERM);\n        allow read, write, close, openat, getdents64, epoll_ctl, getpid,\n              futex, execve, exit, exit_group;\n    }\n}\n' \
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
