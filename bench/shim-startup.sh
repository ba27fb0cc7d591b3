#!/bin/sh
# bench/shim-startup.sh - what leash-exec costs over a bare exec, side by
# side with bwrap --seccomp in one hyperfine run, and leash-exec's
# stripped size.  A benchmark, not a test: it prints numbers and the
# verdict on the targets (under 100 KiB stripped; startup cost over a
# bare /bin/true at most half of bwrap's, for the plain filter and for
# every namespace with the private mount tree).
#
#     bench/shim-startup.sh [BUILDDIR]
#
# BUILDDIR: a build tree with leash and leash-exec built (default: the
# current directory).  Commands, all running /bin/true:
#   bare        /bin/true
#   leash-exec  the docker-default policy (allow-list filter, Docker's
#               capabilities, no_new_privs): what bwrap --seccomp does
#   leash-exec+ns  the same with user, pid, net, ipc, uts namespaces and
#               a Landlock ruleset: the shim's heavy path (a user
#               namespace even for root, init as pid 1, /proc mounted)
#   bwrap       bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp
#               --seccomp 3 3<docker-default.bpf (RUNTIMES.md)
#   leash-exec+mounts  docker-default with every namespace and the
#               private mount tree: a read-only root, a masked and a
#               read-only path, /proc and /dev of its own
#   bwrap-all   bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev
#               --seccomp 3: the same work, bwrap's way
# leash-exec --version names the C library it was built against (musl
# where configure found it: configure.ac says why).
# Every command runs without a shell (hyperfine -N), except bwrap, which
# needs its filter on fd 3 and so runs as "sh -c 'exec bwrap ... 3<F'";
# "sh -c 'exec /bin/true'" is timed too and bwrap's cost is counted over
# that, so the shell is not charged to bwrap.  Costs use medians: the
# machine is shared and means are noisy.  Environment: HYPERFINE
# (default hyperfine), RUNS (default 300, each command's runs in all),
# ROUNDS (default 5: hyperfine is run that many times, RUNS/ROUNDS runs
# of each command each time, and the medians are over all runs).
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${1:-.}" && pwd)
hyperfine=${HYPERFINE:-hyperfine}
runs=${RUNS:-300}
rounds=${ROUNDS:-5}
leash=$builddir/leash
shim=$builddir/leash-exec

for t in "$leash" "$shim"; do
	[ -x "$t" ] || { echo "shim-startup: $t not built" >&2; exit 1; }
done
for t in "$hyperfine" bwrap strip python3; do
	command -v "$t" >/dev/null 2>&1 ||
		{ echo "shim-startup: $t not installed" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leash-shim-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

"$leash" compile -t bpf,bundle -o "$tmp" \
	"$srcdir/profiles/docker-default.leash" 2>/dev/null
cat >"$tmp/heavy.leash" <<'EOF'
include <docker-default.leash>;
policy heavy extends "docker-default" {
    filesystem {
        allow rx "/usr/**", "/lib/**", "/lib64/**", "/bin/**", "/etc/**";
        allow rw "/tmp/**";
    }
    network { allow bind tcp 8080; }
    process { namespaces user, pid, net, ipc, uts; }
}
EOF
"$leash" compile -t bundle -I "$srcdir/profiles" -o "$tmp" \
	"$tmp/heavy.leash" 2>/dev/null
cat >"$tmp/mounts.leash" <<'EOF'
include <docker-default.leash>;
policy mounts extends "docker-default" {
    filesystem {
        read_only_root;
        mask "/etc/shadow";
        readonly "/var";
    }
    process { namespaces user, pid, net, ipc, uts; }
}
EOF
"$leash" compile -t bundle -I "$srcdir/profiles" -o "$tmp" \
	"$tmp/mounts.leash" 2>/dev/null

cp "$shim" "$tmp/leash-exec.stripped"
strip "$tmp/leash-exec.stripped"
size=$(wc -c <"$tmp/leash-exec.stripped")

# Each command once first: a failure must not be timed as a fast run.
"$shim" "$tmp/docker-default.bundle" -- /bin/true
"$shim" "$tmp/heavy.bundle" -- /bin/true
"$shim" "$tmp/mounts.bundle" -- /bin/true
bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --seccomp 3 \
	/bin/true 3<"$tmp/docker-default.bpf"
bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev --seccomp 3 \
	/bin/true 3<"$tmp/docker-default.bpf"

bw="bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --seccomp 3"
bwa="bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev --seccomp 3"
# In rounds: hyperfine runs one command's runs back to back, so a change
# of load between commands (the machine is shared) would be charged to
# one of them; several rounds spread it over all, and every round's
# ratios are printed too.
r=1
while [ "$r" -le "$rounds" ]; do
	"$hyperfine" -N --warmup 20 --runs "$((runs / rounds))" \
		--export-json "$tmp/h$r.json" \
		-n bare '/bin/true' \
		-n leash-exec "$shim $tmp/docker-default.bundle -- /bin/true" \
		-n leash-exec+ns "$shim $tmp/heavy.bundle -- /bin/true" \
		-n sh-bare "sh -c 'exec /bin/true'" \
		-n leash-exec+mounts "$shim $tmp/mounts.bundle -- /bin/true" \
		-n bwrap "sh -c 'exec $bw /bin/true 3<$tmp/docker-default.bpf'" \
		-n bwrap-all "sh -c 'exec $bwa /bin/true 3<$tmp/docker-default.bpf'" \
		>/dev/null
	r=$((r + 1))
done

"$shim" --version
python3 - "$size" "$tmp"/h*.json <<'EOF'
import json, statistics, sys

size = int(sys.argv[1])
rounds = [{r["command"]: r["times"] for r in json.load(open(f))["results"]}
          for f in sys.argv[2:]]
names = rounds[0].keys()
times = {n: [t * 1000 for rd in rounds for t in rd[n]] for n in names}
res = {n: {"mean": statistics.mean(times[n]) / 1000,
           "stddev": statistics.pstdev(times[n]) / 1000} for n in names}

def overs(m):
    return {"leash-exec": m("leash-exec") - m("bare"),
            "leash-exec+ns": m("leash-exec+ns") - m("bare"),
            "leash-exec+mounts": m("leash-exec+mounts") - m("bare"),
            "bwrap": m("bwrap") - m("sh-bare"),
            "bwrap-all": m("bwrap-all") - m("sh-bare")}

med = lambda n: statistics.median(times[n])
over = overs(med)
per_round = [overs(lambda n, rd=rd: statistics.median(rd[n]) * 1000)
             for rd in rounds]
print()
print("| command | median (ms) | mean ± σ (ms) | over bare exec (ms) |")
print("|---|---|---|---|")
for name in ("bare", "leash-exec", "leash-exec+ns", "leash-exec+mounts",
             "sh-bare", "bwrap", "bwrap-all"):
    r = res[name]
    print("| %s | %.2f | %.2f ± %.2f | %s |" % (
        name, med(name), r["mean"] * 1000, r["stddev"] * 1000,
        "%.2f" % over[name] if name in over else "-"))
shim, heavy, bwrap = over["leash-exec"], over["leash-exec+ns"], over["bwrap"]
ratio = shim / bwrap if bwrap > 0 else float("inf")
print()
print("leash-exec stripped: %d bytes (%.1f KiB): %s (target < 100 KiB)" % (
    size, size / 1024, "PASS" if size < 100 * 1024 else "FAIL"))
print("startup cost over a bare exec (medians): leash-exec %.2f ms, "
      "bwrap --seccomp %.2f ms, ratio %.2f: %s (target <= 0.5)" % (
          shim, bwrap, ratio, "PASS" if ratio <= 0.5 else "FAIL"))
print("with namespaces and Landlock: leash-exec %.2f ms (%.2f of bwrap's)"
      % (heavy, heavy / bwrap if bwrap > 0 else float("inf")))
mnt, bwa = over["leash-exec+mounts"], over["bwrap-all"]
ratio = mnt / bwa if bwa > 0 else float("inf")
print("with every namespace and the mount tree: leash-exec %.2f ms, "
      "bwrap --unshare-all %.2f ms, ratio %.2f: %s (target <= 0.5)" % (
          mnt, bwa, ratio, "PASS" if ratio <= 0.5 else "FAIL"))
print("each round's ratios (plain, mount tree): %s" % ", ".join(
    "%.2f/%.2f" % (o["leash-exec"] / o["bwrap"],
                   o["leash-exec+mounts"] / o["bwrap-all"])
    for o in per_round))
EOF
