#!/bin/sh
# run-runtimes.sh - NAME.oci.json (through `leash oci-merge` over
# `runc spec`) under runc and crun, and NAME.docker (as
# `docker run $(cat NAME.docker)` / `podman run $(cat NAME.docker)`)
# under Docker and podman: the container gets what
# tests/live/runtimes.leash says.  Prints TAP.
#
# One container per runtime runs a busybox script that prints what it
# sees from inside: CapEff/CapBnd/CapAmb, NoNewPrivs, Seccomp, the errno
# of a refused call (the static probe), whether / is writable, a masked
# path, the nofile limits, the network devices, the memory and CPU
# cgroup limits, and how many processes a 60-fold fork loop got under
# the pids limit.  A second container per runtime tries to hold 200 MiB
# in a 64 MiB memory limit and must be killed.  A third runs the same
# policy as user 1000 (live-runtimes-user): ids, groups, and the
# capabilities a non-root process keeps (ambient only).
#
# Private state only: runc/crun keep theirs under the temp dir (--root),
# dockerd runs with its own socket, data and exec roots and cgroup
# parent, podman with its own --root/--runroot; the EXIT trap stops the
# daemon by its pid and removes every mount, cgroup and directory they
# made, even when a check fails.  crun runs in a private mount namespace
# where the hybrid cgroup v2 controller list reads empty (RUNTIMES.md).

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

require_x86_64
require_tools
[ "$(id -u)" -eq 0 ] || skip_all "the runtimes need root here"
command -v busybox >/dev/null 2>&1 ||
	skip_all "busybox not installed (Debian package busybox-static)"

runtime_sandbox leash-rt

P=live-runtimes
if "$LEASH" compile -t seccomp,oci,docker -o "$T" \
	"$srcdir/tests/live/runtimes.leash" >"$T/out" 2>"$T/notes"; then
	ok "leash compile -t seccomp,oci,docker runtimes.leash"
else
	not_ok "leash compile -t seccomp,oci,docker runtimes.leash"
	diag_file "$T/notes"
	bail "cannot compile"
fi
# What docker flags cannot say is a note, not silence.
if grep -q "docker target: no flag masks '/etc/secret'" "$T/notes" &&
	grep -q "docker target: no docker run flag sets ambient" "$T/notes" &&
	grep -q "docker target: podman makes every --cap-add capability ambient" "$T/notes"; then
	ok "compile notes: docker cannot mask /etc/secret nor set ambient caps; podman's ambient caps"
else
	not_ok "compile notes: docker cannot mask /etc/secret nor set ambient caps; podman's ambient caps"
	diag_file "$T/notes"
fi

make_rootfs "$T/root" 2>"$T/err" || { diag_file "$T/err"; bail "cannot build the rootfs"; }
echo topsecret >"$T/root/etc/secret"

# Docker's default capabilities without NET_RAW (13) and MKNOD (27);
# ambient NET_BIND_SERVICE (10).
CAPS=00000000a00405fb
AMB=0000000000000400

# The script inside; one "key=value" per line.  The fork loop comes
# last, in a subshell (ash exits when a fork fails); its sleeps are
# still there to count, with a builtin.
INSIDE='
grep -E "^(CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status | tr -d " \t" | tr : =
echo "mkdir=$(/try-syscall mkdir 0 0)"
if touch /rootfile 2>/dev/null; then echo root=rw; else echo root=ro; fi
echo "secret=$(cat /etc/secret 2>/dev/null)"
echo "kcore=$(head -c 16 /proc/kcore 2>/dev/null | wc -c)"
echo "nofile=$(ulimit -Sn):$(ulimit -Hn)"
echo "netdevs=$(grep -c : /proc/net/dev)"
for f in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
    if [ -r "$f" ]; then echo "memory=$(cat "$f")"; break; fi
done
for f in /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_quota_us; do
    if [ -r "$f" ]; then echo "cpu=$(cat "$f")"; break; fi
done
(i=0; while [ $i -lt 60 ]; do sleep 5 & i=$((i + 1)); done) 2>/dev/null
set -- /proc/[0-9]*
echo "procs=$#"
'
# The non-root run: who it is and what it holds.
USER_INSIDE='
echo "ids=$(id -u):$(id -g):$(id -G | tr " " ,)"
grep -E "^(CapEff|CapPrm|CapAmb|NoNewPrivs):" /proc/self/status | tr -d " \t" | tr : =
echo "procs=done"
'
# Holding 200 MiB in a shell variable under a 64 MiB limit (no swap
# here): the kernel's OOM killer ends it before "survived".
HOG='x=$(head -c 209715200 /dev/zero | tr "\0" a); echo survived ${#x}'

# value KEY: the value of KEY in $T/out.
value() {
	sed -n "s/^$1=//p" "$T/out" | head -n 1
}

# check RT KEY WANT: one TAP line.
check() {
	_v=$(value "$2")
	if [ "$_v" = "$3" ]; then
		ok "$1: $2 is $3"
	else
		not_ok "$1: $2 is '$_v', want '$3'"
	fi
}

# judge RT: every check on what $T/out says.
judge() {
	_rt=$1
	check "$_rt" CapEff $CAPS
	check "$_rt" CapBnd $CAPS
	case $_rt in
	runc|crun) check "$_rt" CapAmb $AMB ;;
	# No flag sets ambient capabilities (a compile note says so).
	*) check "$_rt" CapAmb 0000000000000000 ;;
	esac
	check "$_rt" NoNewPrivs 1
	check "$_rt" Seccomp 2
	check "$_rt" mkdir EACCES
	check "$_rt" root ro
	case $_rt in
	runc|crun) check "$_rt" secret "" ;;
	esac
	check "$_rt" kcore 0
	check "$_rt" nofile 512:1024
	check "$_rt" netdevs 1
	_m=$(value memory)
	case $_m in
	67108864) ok "$_rt: memory limit reads 64 MiB" ;;
	*) not_ok "$_rt: memory limit reads '$_m', want 67108864" ;;
	esac
	_c=$(value cpu)
	case $_c in
	50000|"50000 100000") ok "$_rt: CPU quota reads $_c (0.5 CPU)" ;;
	*) not_ok "$_rt: CPU quota reads '$_c', want 50000 per 100000" ;;
	esac
	_p=$(value procs)
	if [ -n "$_p" ] && [ "$_p" -ge 10 ] && [ "$_p" -le 30 ]; then
		ok "$_rt: 60 forks stop at the pids limit 30 ($_p processes)"
	else
		not_ok "$_rt: 60 forks under pids 30 gave '$_p' processes"
	fi
}

# run_inside RT CMD...: the inside script's output in $T/out, one TAP
# line for the run itself.
run_inside() {
	_rt=$1
	shift
	"$@" >"$T/out" 2>"$T/err" </dev/null
	_rc=$?
	if [ $_rc -eq 0 ] && grep -q '^procs=' "$T/out"; then
		ok "$_rt: the container ran"
		judge "$_rt"
	else
		not_ok "$_rt: the container ran (exit $_rc)"
		diag_file "$T/out"
		diag_file "$T/err"
	fi
}

# run_user RT CMD...: the non-root container.
run_user() {
	_rt=$1
	shift
	"$@" >"$T/out" 2>"$T/err" </dev/null
	_rc=$?
	if [ $_rc -ne 0 ] || ! grep -q '^procs=done' "$T/out"; then
		not_ok "$_rt: the non-root container ran (exit $_rc)"
		diag_file "$T/out"
		diag_file "$T/err"
		return
	fi
	ok "$_rt: the non-root container ran"
	check "$_rt as 1000" ids 1000:1000:1000,27
	case $_rt in
	runc|crun) _want=$AMB ;;
	docker) _want=0000000000000000 ;;
	# podman makes every --cap-add ambient for a non-root user: more
	# than the policy, as leash's compile note warns.
	podman) _want=$CAPS ;;
	esac
	check "$_rt as 1000" CapEff $_want
	check "$_rt as 1000" CapAmb $_want
	check "$_rt as 1000" NoNewPrivs 1
}

# run_hog RT CMD...: the memory hog must die of SIGKILL (status 137).
# From inside $T: podman's conmon drops a file named "oom" in its working
# directory when the kernel kills the container's process.
run_hog() {
	_rt=$1
	shift
	(cd "$T" && "$@") >"$T/out" 2>"$T/err" </dev/null
	_rc=$?
	if [ $_rc -eq 137 ] && ! grep -q survived "$T/out"; then
		ok "$_rt: 200 MiB in a 64 MiB limit is killed (exit $_rc)"
	else
		not_ok "$_rt: 200 MiB in a 64 MiB limit: exit $_rc"
		diag_file "$T/out"
		diag_file "$T/err"
	fi
}

# ---- runc and crun: runc spec + leash oci-merge ----------------------------

bundle=$T/bundle
have_oci=false
for rt in runc crun; do
	command -v $rt >/dev/null 2>&1 && have_oci=true
done
if $have_oci; then
	if command -v runc >/dev/null 2>&1; then
		(cd "$T" && runc spec) || bail "runc spec failed"
	else
		(cd "$T" && crun spec) || bail "crun spec failed"
	fi
	mv "$T/config.json" "$T/spec.json"
	# The run's own settings: what to run, no tty, the rootfs (the
	# scripts hold no tab, which JSON would want escaped).
	printf '{ "process": { "terminal": false, "args": ["/bin/sh", "-c", "%s"] }, "root": { "path": "%s" } }\n' \
		"$(printf '%s' "$INSIDE" | sed 's/\\/\\\\/g; s/"/\\"/g' | awk '{ printf "%s\\n", $0 }')" \
		"$T/root" >"$T/run.json"
	printf '{ "process": { "terminal": false, "args": ["/bin/sh", "-c", "%s"] }, "root": { "path": "%s" } }\n' \
		"$(printf '%s' "$HOG" | sed 's/\\/\\\\/g; s/"/\\"/g')" \
		"$T/root" >"$T/hog.json"
	printf '{ "process": { "terminal": false, "args": ["/bin/sh", "-c", "%s"] }, "root": { "path": "%s" } }\n' \
		"$(printf '%s' "$USER_INSIDE" | sed 's/\\/\\\\/g; s/"/\\"/g' | awk '{ printf "%s\\n", $0 }')" \
		"$T/root" >"$T/user.json"
fi

# oci_config RUNFRAG [POLICY]: the bundle's config.json.
oci_config() {
	mkdir -p "$bundle" &&
	"$LEASH" oci-merge -o "$bundle/config.json" "$T/spec.json" \
		"$T/${2:-$P}.oci.json" "$1"
}

n_run=0
in_oci() {
	_rt=$1
	shift
	oci_config "$1" "$2" || return 125
	n_run=$((n_run + 1))
	oci_run $_rt "$T/$_rt-state" "$bundle" leash-rt-$$-$n_run
}

if $have_oci; then
	if oci_config "$T/run.json" 2>"$T/err"; then
		ok "leash oci-merge spec.json $P.oci.json run.json"
	else
		not_ok "leash oci-merge spec.json $P.oci.json run.json"
		diag_file "$T/err"
	fi
fi
for rt in runc crun; do
	if ! command -v $rt >/dev/null 2>&1; then
		skip "$rt not installed (Debian package $rt)"
		continue
	fi
	diag "$($rt --version 2>&1 | head -n 1)"
	run_inside $rt in_oci $rt "$T/run.json"
	run_hog $rt in_oci $rt "$T/hog.json"
	run_user $rt in_oci $rt "$T/user.json" $P-user
done

# ---- docker: a private dockerd, docker run $(cat NAME.docker) --------------

if ! command -v dockerd >/dev/null 2>&1; then
	skip "dockerd not installed (Debian package docker.io)"
else
	docker_cli=/usr/bin/docker
	[ -x "$docker_cli" ] || docker_cli=$(command -v docker)
	if dockerd_start "$T" "$cg" && tar -C "$T/root" -cf "$T/root.tar" . &&
		limit 60 "$docker_cli" -H "unix://$T/docker.sock" import \
			"$T/root.tar" leash-rt-bbox:latest >/dev/null 2>"$T/err"; then
		ok "private dockerd up, busybox image imported"
		# One flag per word, on purpose: $(cat NAME.docker) unquoted.
		run_inside docker limit 60 "$docker_cli" -H "unix://$T/docker.sock" \
			run --rm $(cat "$T/$P.docker") leash-rt-bbox:latest \
			/bin/sh -c "$INSIDE"
		run_hog docker limit 60 "$docker_cli" -H "unix://$T/docker.sock" \
			run --rm $(cat "$T/$P.docker") leash-rt-bbox:latest \
			/bin/sh -c "$HOG"
		run_user docker limit 60 "$docker_cli" -H "unix://$T/docker.sock" \
			run --rm $(cat "$T/$P-user.docker") leash-rt-bbox:latest \
			/bin/sh -c "$USER_INSIDE"
	else
		not_ok "private dockerd up, busybox image imported"
		diag_file "$T/dockerd.log"
		diag_file "$T/err"
	fi
fi

# ---- podman: podman run $(cat NAME.docker) --rootfs ROOT:O ------------------

if ! command -v podman >/dev/null 2>&1; then
	skip "podman not installed (Debian package podman)"
else
	# --rootfs must be the last option; :O keeps podman out of ROOT.
	# podman would read registry auth from our private DOCKER_CONFIG.
	pm() {
		limit 60 env -u DOCKER_CONFIG podman --root "$T/podman-root" --runroot "$T/podman-run" \
			--tmpdir "$T/podman-tmp" --cgroup-manager=cgroupfs \
			--runtime runc run --rm "$@"
	}
	run_inside podman pm $(cat "$T/$P.docker") --rootfs "$T/root:O" \
		/bin/sh -c "$INSIDE"
	run_hog podman pm $(cat "$T/$P.docker") --rootfs "$T/root:O" \
		/bin/sh -c "$HOG"
	run_user podman pm $(cat "$T/$P-user.docker") --rootfs "$T/root:O" \
		/bin/sh -c "$USER_INSIDE"
fi

tap_end
