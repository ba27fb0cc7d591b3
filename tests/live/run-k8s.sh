#!/bin/sh
# run-k8s.sh - runc and crun load the SeccompProfile of NAME.spo.yaml
# (leash compile -t k8s) exactly as they load NAME.seccomp.json.  Prints
# TAP.
#
# What a node runs of a SeccompProfile is its spec, which SPO writes as
# <kubelet seccomp root>/operator/NAME.json (Go encoding/json) and the
# kubelet hands to the runtime as the OCI config's linux.seccomp.  Here
# the spec, turned into that file field for field by
# tests/k8s-validate.py (which also checks it against SPO's CRD), is put
# in a bundle's linux.seccomp; a second bundle gets NAME.seccomp.json.
# For each policy and runtime both containers run 'sleep', and the filter
# each one has loaded is read back from the kernel
# (PTRACE_SECCOMP_GET_FILTER, tests/live/seccomp-dump -o): 'leash diff' of
# the two must find no difference over every syscall of every arch
# (whether they are also the same bytes is shown: runc's layout of one
# profile can change from run to run).  Then the probe
# (/try-syscall) runs under the SeccompProfile for a call the policy
# refuses and one it allows, as a check that the filter is the policy's.
#
# runc and crun keep their state under the temp dir (--root); crun runs
# in a private mount namespace where the hybrid cgroup v2 controller
# list reads empty (RUNTIMES.md).

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

GETF=$builddir/tests/live/seccomp-dump

require_x86_64
require_tools
[ -x "$GETF" ] || bail "tests/live/seccomp-dump not built (make check builds it)"
have_runc=false
have_crun=false
command -v runc >/dev/null 2>&1 && have_runc=true
command -v crun >/dev/null 2>&1 && have_crun=true
$have_runc || $have_crun ||
	skip_all "neither runc nor crun installed (Debian packages runc, crun)"
[ "$(id -u)" -eq 0 ] || skip_all "runc, crun and reading a filter back need root here"
command -v busybox >/dev/null 2>&1 || skip_all "busybox not installed (Debian package busybox-static)"
python3 -c 'import jsonschema, yaml' 2>/dev/null ||
	skip_all "python3-jsonschema or python3-yaml not installed"

runtime_sandbox leash-k8s

# The policies: profiles/ ones whose filters let runc, crun and sleep
# run, and the k8s golden policy.
set -- "$srcdir/profiles/docker-default.leash:docker-default" \
	"$srcdir/profiles/nginx.leash:nginx" \
	"$srcdir/profiles/redis.leash:redis" \
	"$srcdir/tests/golden/k8s/web.leash:web"
for pp in "$@"; do
	f=${pp%:*}
	p=${pp##*:}
	if "$LEASH" compile -t k8s,json -I "$srcdir/profiles" -p "$p" -o "$T" \
		"$f" >/dev/null 2>"$T/err" </dev/null &&
		python3 "$srcdir/tests/k8s-validate.py" "$srcdir/tests/data" \
			"$T/$p.spo.yaml" "$T/$p.pod.yaml" "$T/$p.seccomp.json" \
			"$T/$p.spo.json" >"$T/val" 2>&1; then
		ok "$p: compiled for k8s; the SeccompProfile spec as SPO writes it on the node"
	else
		not_ok "$p: compile -t k8s,json or the schema check failed"
		diag_file "$T/err"
		diag_file "$T/val"
		bail "cannot compile"
	fi
done

bundle=$T/bundle
make_rootfs "$bundle/rootfs" 2>"$T/err" || { diag_file "$T/err"; bail "cannot build the rootfs"; }
if $have_runc; then
	(cd "$bundle" && runc spec) || bail "runc spec failed"
else
	(cd "$bundle" && crun spec) || bail "crun spec failed"
fi
mv "$bundle/config.json" "$T/base.json" || bail "no config.json"

# config PROFILE ARGS...: the bundle's config.json with PROFILE as its
# linux.seccomp and ARGS as the process.
config() {
	python3 - "$T/base.json" "$1" "$bundle/config.json" "$@" <<'EOF'
import json, sys
base, prof, out = sys.argv[1:4]
with open(base) as f:
    cfg = json.load(f)
with open(prof) as f:
    cfg["linux"]["seccomp"] = json.load(f)
cfg["process"]["terminal"] = False
cfg["process"]["args"] = sys.argv[5:]
cfg["process"].pop("apparmorProfile", None)
with open(out, "w") as f:
    json.dump(cfg, f)
EOF
}

# start RUNTIME ID: run the bundle detached, its pid in $T/ID.pid.
start() {
	case $1 in
	runc)
		limit 60 runc --root "$T/runc-state" run -d \
			--pid-file "$T/$2.pid" -b "$bundle" "$2"
		;;
	crun)
		if [ -e /sys/fs/cgroup/unified/cgroup.controllers ]; then
			limit 60 unshare -m --propagation private sh -c \
				'mount --bind /dev/null /sys/fs/cgroup/unified/cgroup.controllers && exec "$@"' \
				sh crun --root "$T/crun-state" run -d \
				--pid-file "$T/$2.pid" -b "$bundle" "$2"
		else
			limit 60 crun --root "$T/crun-state" run -d \
				--pid-file "$T/$2.pid" -b "$bundle" "$2"
		fi
		;;
	esac
}

stop() {	# RUNTIME ID
	"$1" --root "$T/$1-state" delete -f "$2" >/dev/null 2>&1
}

# loaded RUNTIME PROFILE OUT: the filter RUNTIME loads from PROFILE,
# read back from its container into OUT.
n_run=0
loaded() {
	n_run=$((n_run + 1))
	_id=leash-k8s-$$-$n_run
	config "$2" sleep 60 || return 1
	start "$1" "$_id" </dev/null >"$T/start.out" 2>&1 ||
		{ cat "$T/start.out" >&2; stop "$1" "$_id"; return 1; }
	"$GETF" -o "$3" "$(cat "$T/$_id.pid")"
	_rc=$?
	stop "$1" "$_id"
	return $_rc
}

# probe RUNTIME PROFILE ARGS...: the probe's answer under PROFILE.
probe() {
	_rt=$1
	_prof=$2
	shift 2
	config "$_prof" /try-syscall "$@" || return 125
	n_run=$((n_run + 1))
	oci_run "$_rt" "$T/$_rt-state" "$bundle" leash-k8s-$$-$n_run
}

for rt in runc crun; do
	if ! eval "\$have_$rt"; then
		skip "$rt not installed (Debian package $rt)"
		continue
	fi
	diag "$($rt --version 2>&1 | head -n 1)"
	for pp in "$@"; do
		p=${pp##*:}
		if ! loaded $rt "$T/$p.seccomp.json" "$T/$rt-$p.json.bpf" 2>"$T/err"; then
			not_ok "$rt: $p: no filter read back from NAME.seccomp.json's container"
			diag_file "$T/err"
			continue
		fi
		if ! loaded $rt "$T/$p.spo.json" "$T/$rt-$p.spo.bpf" 2>"$T/err"; then
			not_ok "$rt: $p: no filter read back from the SeccompProfile's container"
			diag_file "$T/err"
			continue
		fi
		insns=$(($(wc -c <"$T/$rt-$p.spo.bpf") / 8))
		# runc's program for the same profile can differ in layout
		# from one run to the next (seen with docker-default), so
		# "the same" is decided by running both: leash diff.
		same="layout differs"
		cmp -s "$T/$rt-$p.json.bpf" "$T/$rt-$p.spo.bpf" &&
			same="byte for byte"
		"$LEASH" diff "$T/$rt-$p.json.bpf" "$T/$rt-$p.spo.bpf" \
			>"$T/diff" 2>&1
		if [ $? -eq 0 ] && grep -q '^no difference' "$T/diff"; then
			ok "$rt: $p: the SeccompProfile loads the filter NAME.seccomp.json loads (read back, leash diff: no difference; $insns instructions, $same)"
		else
			not_ok "$rt: $p: the loaded filters differ"
			diag_file "$T/diff"
		fi
	done
	expect "$rt: docker-default SeccompProfile: socket(AF_VSOCK) refused" \
		EPERM probe $rt "$T/docker-default.spo.json" socket 40 1 0
	expect "$rt: docker-default SeccompProfile: socket(AF_UNIX) allowed" \
		ok probe $rt "$T/docker-default.spo.json" socket 1 1 0
	expect "$rt: web SeccompProfile: errno(EACCES) mkdir" \
		EACCES probe $rt "$T/web.spo.json" mkdir 0 0
	expect "$rt: web SeccompProfile: kill ptrace dies of SIGSYS" \
		SIGSYS probe $rt "$T/web.spo.json" ptrace 0 0 0 0
	expect "$rt: web SeccompProfile: getpid allowed" \
		ok probe $rt "$T/web.spo.json" getpid
done

tap_end
