#!/bin/sh
# run-systemd-live.sh - the systemd target for real: a systemd 252 booted
# in a container (systemd-nspawn over the host's /usr, everything else a
# tmpfs, a private network; PID 1 of this machine is not systemd, so
# systemd-run cannot reach a manager here otherwise) starts services
# confined only by NAME.service.d/zz-leash.conf of systemd-probe.leash.
# Prints TAP.
#
#   status    /proc/self/status of the service: the policy's uid, gid,
#             bounding, ambient and effective capabilities,
#             NoNewPrivs 1, Seccomp 2
#   denied    mkdir under the drop-in fails with EPERM; the same unit
#             without it creates the directory (the control)
#   settings  systemctl show: MemoryMax=, TasksMax=, LimitNOFILE=,
#             PrivateNetwork=, RestrictAddressFamilies= as written
#
# Needs root, systemd-nspawn (Debian package systemd-container) and a
# merged /usr with systemd in it; skipped otherwise.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root"
command -v systemd-nspawn >/dev/null 2>&1 || skip_all "no systemd-nspawn"
[ -x /usr/lib/systemd/systemd ] && [ -L /bin ] ||
	skip_all "no merged /usr with systemd to boot"

T=$(mktemp -d "${TMPDIR:-/tmp}/leash-sdlive.XXXXXX") || bail "mktemp"
machine=leash-sd-$$
nspawn_pid=
cleanup() {
	# The container's manager goes with nspawn; wait so nothing lingers.
	if [ -n "$nspawn_pid" ]; then
		kill "$nspawn_pid" 2>/dev/null
		wait "$nspawn_pid" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

"$LEASH" compile -I "$srcdir/profiles" -t systemd -o "$T" \
	"$srcdir/tests/live/systemd-probe.leash" >/dev/null 2>"$T/notes" ||
	{ diag_file "$T/notes"; bail "compile -t systemd failed"; }

# basic.target: the manager and its sockets, none of the host's
# services; firstboot off, or it waits for a key.
timeout 300 systemd-nspawn -D / --volatile=yes --private-network \
	--register=no --keep-unit -M "$machine" -b -- \
	systemd.firstboot=off systemd.unit=basic.target \
	</dev/null >"$T/boot.log" 2>&1 &
nspawn_pid=$!

# The container's PID 1 is nspawn's child (nspawn runs as timeout's).
init=
state=
i=0
while [ $i -lt 120 ]; do
	for p in $(pgrep -P "$nspawn_pid" 2>/dev/null); do
		for c in $(pgrep -P "$p" 2>/dev/null); do
			[ "$(cat "/proc/$c/comm" 2>/dev/null)" = systemd ] &&
				init=$c
		done
	done
	if [ -n "$init" ]; then
		state=$(nsenter -t "$init" -a systemctl is-system-running \
			2>/dev/null)
		case $state in running | degraded) break ;; esac
	fi
	sleep 0.5
	i=$((i + 1))
done
case $state in
running | degraded) ;;
*)
	diag_file "$T/boot.log"
	bail "the container's systemd did not come up (state '$state')"
	;;
esac
ok "systemd booted in a container ($state)"

in_ct() { nsenter -t "$init" -a "$@"; }

# unit NAME DROPIN COMMAND...: a oneshot service, with the drop-in or not.
unit() {
	_name=$1 _dropin=$2
	shift 2
	in_ct sh -c "mkdir -p /etc/systemd/system/$_name.service.d &&
		cat >/etc/systemd/system/$_name.service" <<UNIT
[Service]
Type=oneshot
ExecStart=$*
StandardOutput=file:/run/$_name.out
StandardError=file:/run/$_name.err
UNIT
	[ "$_dropin" = yes ] &&
		in_ct sh -c "cat >/etc/systemd/system/$_name.service.d/zz-leash.conf" \
			<"$T/sdprobe.service.d/zz-leash.conf"
	return 0
}

unit leash-sd-status yes /bin/cat /proc/self/status
unit leash-sd-mkdir yes /bin/mkdir /run/leash-sd-denied
unit leash-sd-control no /bin/mkdir /run/leash-sd-control
in_ct systemctl daemon-reload

if in_ct systemctl start leash-sd-status.service 2>"$T/err"; then
	in_ct cat /run/leash-sd-status.out >"$T/status"
	want="Uid:	65534	65534	65534	65534
Gid:	65534	65534	65534	65534
CapEff:	0000000000000400
CapBnd:	0000000000000400
CapAmb:	0000000000000400
NoNewPrivs:	1
Seccomp:	2"
	got=$(grep -E '^(Uid|Gid|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' \
		"$T/status")
	if [ "$got" = "$want" ]; then
		ok "the service runs as the policy says (uid, caps, no_new_privs, seccomp)"
	else
		not_ok "the service runs as the policy says"
		diag "got:" "$got"
	fi
else
	not_ok "the status service starts"
	diag_file "$T/err"
fi

if in_ct systemctl start leash-sd-mkdir.service 2>/dev/null; then
	not_ok "mkdir is denied under the drop-in (the service succeeded)"
elif in_ct grep -q "Operation not permitted" /run/leash-sd-mkdir.err &&
	! in_ct test -e /run/leash-sd-denied; then
	ok "mkdir is denied under the drop-in: EPERM, nothing created"
else
	not_ok "mkdir is denied with EPERM"
	in_ct cat /run/leash-sd-mkdir.err >"$T/mkdir.err" 2>&1
	diag_file "$T/mkdir.err"
fi
if in_ct systemctl start leash-sd-control.service 2>/dev/null &&
	in_ct test -d /run/leash-sd-control; then
	ok "control: the same mkdir without the drop-in succeeds"
else
	not_ok "control: the same mkdir without the drop-in succeeds"
fi

got=$(in_ct systemctl show -p MemoryMax -p TasksMax -p LimitNOFILE \
	-p LimitNOFILESoft -p PrivateNetwork -p RestrictAddressFamilies \
	leash-sd-status.service | sort)
want="LimitNOFILE=256
LimitNOFILESoft=128
MemoryMax=67108864
PrivateNetwork=yes
RestrictAddressFamilies=AF_UNIX
TasksMax=16"
if [ "$got" = "$want" ]; then
	ok "systemctl show: the limits and network settings as written"
else
	not_ok "systemctl show: the limits and network settings as written"
	diag "got:" "$got"
fi

tap_end
