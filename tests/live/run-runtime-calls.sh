#!/bin/sh
# run-runtime-calls.sh - @runtime (profiles/groups.leash) is enough: a
# tight allow-list plus @runtime starts under runc, crun, docker and
# podman and does its job, run after run.  Prints TAP.
#
# The policies (tests/live/runtime-calls/tight.leash) are the app
# profiles of profiles/ rewritten as allow-lists of what their jobs
# call, plus @runtime; one more is busybox echo alone, with
# no_new_privileges on and off.  They compile with -t json,oci,docker,
# which is an error if any denies a call of the compiler's runtime list.
# Each job runs LEASH_RUNTIME_RUNS times (default 20) under each
# runtime, and every run must print the job's answer:
#   busybox            /bin/echo busybox-ok
#   busybox-nnp-off    the same, no_new_privileges off
#   busybox-httpd      busybox httpd serves a file to busybox wget
#   nginx              nginx (master and a worker) serves a file to wget
#   redis              redis-server answers PING from busybox nc
#   python-http        http.server in a thread answers urllib
# all on the container's own loopback.  Rare calls of Go's runtime in
# runc's init (rt_sigreturn, futex) come in about 1 run in 10, so a
# missing one fails some of the runs.  One TAP line per runtime and
# job, with the count; the first failure's output as diagnostics.
#
# The rootfs comes from the host: busybox-static, and nginx,
# redis-server and python3.11 with the libraries ldd names and
# Python's standard library (a job whose program is not installed is
# skipped).  runc and crun run `leash oci-merge` configs; docker a
# private dockerd (its image imported from the rootfs); podman
# --rootfs ROOT:O, with runc.  The EXIT trap stops what it started
# and removes every mount, cgroup and directory, as run-runtimes.sh.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/live/lib.sh"

require_x86_64
[ -x "$LEASH" ] || bail "leash binary '$LEASH' not built"
[ "$(id -u)" -eq 0 ] || skip_all "the runtimes need root here"
command -v busybox >/dev/null 2>&1 ||
	skip_all "busybox not installed (Debian package busybox-static)"
is_static "$(command -v busybox)" ||
	skip_all "busybox is not static (Debian package busybox-static)"

runs=${LEASH_RUNTIME_RUNS:-20}
D=$srcdir/tests/live/runtime-calls
runtime_sandbox leash-rc

if "$LEASH" compile -I "$srcdir/profiles" -t json,oci,docker -o "$T" \
	"$D/tight.leash" >"$T/out" 2>"$T/err"; then
	ok "leash compile -t json,oci,docker tight.leash: no runtime call denied"
else
	not_ok "leash compile -t json,oci,docker tight.leash"
	diag_file "$T/err"
	bail "cannot compile"
fi

# ---- the rootfs -------------------------------------------------------------

R=$T/root
# copy_bin FILE: FILE and the libraries it loads, at their own paths.
copy_bin() {
	for _f in "$1" $(ldd "$1" 2>/dev/null | awk '/\// { for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
		mkdir -p "$R$(dirname "$_f")" && cp -L "$_f" "$R$_f" || return 1
	done
}

mkdir -p "$R/bin" "$R/etc" "$R/dev" "$R/proc" "$R/sys" "$R/jobs" "$R/tmp" ||
	bail "mkdir failed"
chmod 1777 "$R/tmp"
cp "$(command -v busybox)" "$R/bin/busybox" || bail "cannot copy busybox"
for a in $(busybox --list); do
	[ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
	>"$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
cp "$D"/*.sh "$D"/*.py "$D"/nginx.conf "$R/jobs/" || bail "cannot copy the jobs"

# The jobs: NAME, expected answer, command.
jobs="busybox busybox-nnp-off"
answer_busybox=busybox-ok
answer_busybox_nnp_off=busybox-ok
answer_busybox_httpd=httpd-ok
answer_nginx=nginx-ok
answer_redis=redis-ok
answer_python_http=python-ok
jobs="$jobs busybox-httpd"
if [ -x /usr/sbin/nginx ] && copy_bin /usr/sbin/nginx; then
	ln -s /usr/sbin/nginx "$R/bin/nginx"
	jobs="$jobs nginx"
else
	skip "nginx not installed (Debian package nginx-light)"
fi
if [ -x /usr/bin/redis-server ] && copy_bin /usr/bin/redis-server; then
	ln -s /usr/bin/redis-server "$R/bin/redis-server"
	jobs="$jobs redis"
else
	skip "redis-server not installed (Debian package redis-server)"
fi
if [ -x /usr/bin/python3.11 ] && copy_bin /usr/bin/python3.11; then
	# The standard library without its tests and third-party packages.
	(cd /usr/lib && tar --exclude=python3.11/test \
		--exclude=python3.11/site-packages \
		--exclude=python3.11/dist-packages \
		--exclude='__pycache__' -cf - python3.11) |
		(mkdir -p "$R/usr/lib" && cd "$R/usr/lib" && tar -xf -) &&
		jobs="$jobs python-http"
else
	skip "python3.11 not installed (Debian package python3)"
fi

# cmd JOB: the job's command line, one word a line.
cmd() {
	case $1 in
	busybox|busybox-nnp-off) printf '%s\n' /bin/echo busybox-ok ;;
	python-http) printf '%s\n' /usr/bin/python3.11 -I -B /jobs/python-http.py ;;
	*) printf '%s\n' /bin/sh "/jobs/$1.sh" ;;
	esac
}

# answer JOB
answer() {
	eval "echo \$answer_$(echo "$1" | tr - _)"
}

# runs_of RT JOB CMD...: $runs runs of CMD, each must print the job's
# answer; one TAP line.  CMD may use $id, a fresh container name.
runs_of() {
	_rt=$1
	_job=$2
	shift 2
	_want=$(answer "$_job")
	_fails=0
	_i=0
	while [ $_i -lt "$runs" ]; do
		_i=$((_i + 1))
		id=leash-rc-$$-$_rt-$_job-$_i
		"$@" >"$T/out" 2>"$T/err" </dev/null
		_rc=$?
		if [ $_rc -eq 0 ] && grep -qx "$_want" "$T/out"; then
			continue
		fi
		_fails=$((_fails + 1))
		if [ $_fails -eq 1 ]; then
			diag "$_rt $_job run $_i: exit $_rc"
			diag_file "$T/out"
			diag_file "$T/err"
		fi
	done
	if [ $_fails -eq 0 ]; then
		ok "$_rt: tight-$_job did its job in $runs of $runs runs"
	else
		not_ok "$_rt: tight-$_job failed $_fails of $runs runs"
	fi
}

# ---- runc and crun ----------------------------------------------------------

have_oci=false
for rt in runc crun; do
	command -v $rt >/dev/null 2>&1 && have_oci=true
done
if $have_oci; then
	spec_rt=runc
	command -v runc >/dev/null 2>&1 || spec_rt=crun
	(cd "$T" && $spec_rt spec) || bail "$spec_rt spec failed"
	mv "$T/config.json" "$T/spec.json"
	for job in $jobs; do
		# The run's own settings: the job, no tty, the rootfs.
		_args=$(cmd "$job" | awk '{ printf "%s\"%s\"", (NR > 1 ? ", " : ""), $0 }')
		printf '{ "process": { "terminal": false, "args": [%s] }, "root": { "path": "%s", "readonly": false } }\n' \
			"$_args" "$R" >"$T/run-$job.json"
		mkdir -p "$T/b-$job"
		"$LEASH" oci-merge -o "$T/b-$job/config.json" "$T/spec.json" \
			"$T/tight-$job.oci.json" "$T/run-$job.json" 2>"$T/err" ||
			{ diag_file "$T/err"; bail "oci-merge for $job failed"; }
	done
fi
# in_oci RT JOB: one container of the job's bundle.
in_oci() {
	oci_run $1 "$T/$1-state" "$T/b-$2" "$id"
}

for rt in runc crun; do
	if ! command -v $rt >/dev/null 2>&1; then
		skip "$rt not installed (Debian package $rt)"
		continue
	fi
	diag "$($rt --version 2>&1 | head -n 1)"
	for job in $jobs; do
		runs_of $rt "$job" in_oci $rt "$job"
	done
done

# ---- docker: a private dockerd, docker run $(cat NAME.docker) ---------------

# docker_job JOB: one container; one flag per word, on purpose.
docker_job() {
	limit 60 "$docker_cli" -H "unix://$T/docker.sock" run --rm \
		$(cat "$T/tight-$1.docker") leash-rc-image:latest $(cmd "$1")
}

if ! command -v dockerd >/dev/null 2>&1; then
	skip "dockerd not installed (Debian package docker.io)"
else
	docker_cli=/usr/bin/docker
	[ -x "$docker_cli" ] || docker_cli=$(command -v docker)
	if dockerd_start "$T" "$cg" && tar -C "$R" -cf "$T/root.tar" . &&
		limit 120 "$docker_cli" -H "unix://$T/docker.sock" import \
			"$T/root.tar" leash-rc-image:latest >/dev/null 2>"$T/err"; then
		rm -f "$T/root.tar"
		diag "dockerd $(cat "$T/version")"
		for job in $jobs; do
			runs_of docker "$job" docker_job "$job"
		done
	else
		not_ok "private dockerd up, the rootfs imported"
		diag_file "$T/dockerd.log"
		diag_file "$T/err"
	fi
fi

# ---- podman: podman run $(cat NAME.docker) --rootfs ROOT:O ------------------

# podman_job JOB: --rootfs must be the last option; :O keeps podman out
# of the rootfs; podman would read registry auth from DOCKER_CONFIG.
podman_job() {
	limit 60 env -u DOCKER_CONFIG podman --root "$T/podman-root" \
		--runroot "$T/podman-run" --tmpdir "$T/podman-tmp" \
		--cgroup-manager=cgroupfs --runtime runc run --rm \
		$(cat "$T/tight-$1.docker") --rootfs "$R:O" $(cmd "$1")
}

if ! command -v podman >/dev/null 2>&1; then
	skip "podman not installed (Debian package podman)"
else
	for job in $jobs; do
		runs_of podman "$job" podman_job "$job"
	done
fi

tap_end
