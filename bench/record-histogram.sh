#!/bin/sh
# record-histogram.sh - record bench/histogram.txt: how often a small,
# ordinary workload makes each system call, to weight the filters' path
# lengths by (bench-seccomp's "weighted" column).
#
#     bench/record-histogram.sh > bench/histogram.txt
#
# strace -f -c counts the calls of the workload and all its children
# (errors included: a filter runs before the call fails).  The workload
# is a shell pipeline and a short Python program: file metadata, reads
# and writes, pipes, fork/exec, memory mapping, threads and futexes.
set -eu
command -v strace >/dev/null || { echo "strace not found" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2016 # the workload is single-quoted on purpose
workload='ls -l /usr/bin >/dev/null
cat /etc/passwd | sort | uniq >/dev/null
/usr/bin/python3 -c "
import os, json, threading, subprocess
def work(i):
    with open(\"/etc/passwd\") as f: data = f.read()
    json.dumps([os.stat(\"/etc/\" + p).st_size for p in os.listdir(\"/etc\")])
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
subprocess.run([\"true\"])
"'
strace -f -c -o "$out" sh -c "$workload"
echo "# bench/histogram.txt - syscall counts of a small workload, for"
echo "# bench-seccomp's weighted path length.  Made on $(uname -m), Linux"
echo "# $(uname -r), with bench/record-histogram.sh:"
echo "#     strace -f -c sh -c \"\$workload\"   (the workload is in the script:"
echo "#     ls -l /usr/bin; cat /etc/passwd | sort | uniq; a Python program"
echo "#     with 4 threads reading files and a subprocess)"
echo "# Format: NAME COUNT, one syscall per line, most frequent first."
# strace -c columns: % time, seconds, usecs/call, calls, [errors], syscall
awk '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { print $NF, $4 }' "$out" |
	sort -k2,2nr -k1,1
