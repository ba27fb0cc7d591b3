#!/bin/sh
# record.sh - what recording costs: each workload bare, under 'leash
# record' and under 'strace -f -o /dev/null', side by side in one
# hyperfine run per workload.
#
#     bench/record.sh [BUILD_DIR]      (default: ./build, else .)
#
# The workloads: tar cf of a copy of /usr/share/doc (many small files:
# opens, stats, reads), a python3 program that imports modules and runs
# threads, and a shell pipeline (fork/exec).  leash record stops each
# call once (a SECCOMP_RET_TRACE filter) and its exit once more only
# for the calls that name a path; strace stops twice per call and
# formats every line.
set -eu
build=${1:-}
if [ -z "$build" ]; then
	if [ -x ./build/leash ]; then build=./build; else build=.; fi
fi
leash=$(cd "$build" && pwd)/leash
[ -x "$leash" ] || { echo "record.sh: no leash in $build" >&2; exit 1; }
for t in hyperfine strace tar python3; do
	command -v "$t" >/dev/null ||
		{ echo "record.sh: $t not installed" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r /usr/share/doc "$tmp/tree" 2>/dev/null || true
echo "tree: $(find "$tmp/tree" -type f | wc -l) files"
cd "$tmp"

cat >"$tmp/py.py" <<'PY'
import json, threading, hashlib, os
def work(i):
    h = hashlib.sha256()
    for _ in range(2000):
        h.update(json.dumps({"i": i, "l": list(range(20))}).encode())
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
[t.start() for t in ts]
[t.join() for t in ts]
print(len(os.listdir("/usr/lib/python3")))
PY

# run NAME COMMAND: COMMAND is one string, split by hyperfine (-N: no
# shell of its own in the figures).
run() {
	echo "== $1: $2"
	hyperfine -N --warmup 2 --runs "${RUNS:-10}" \
		--export-markdown "$tmp/$1.md" \
		-n bare "$2" \
		-n "leash record" "$leash record --force -o $tmp/$1.leash -- $2" \
		-n "strace -f" "strace -f -o /dev/null $2" >/dev/null
	cat "$tmp/$1.md"
	echo
}

run tar "tar cf $tmp/out.tar -C $tmp tree"
run python "/usr/bin/python3 $tmp/py.py"
run shell "sh -c 'for i in 1 2 3 4 5 6 7 8; do ls /usr/bin | sort | uniq -c | wc -l; done'"
