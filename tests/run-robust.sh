#!/bin/sh
# Hostile input must give a clean, located error: never a crash, a hang
# or unbounded memory.  Inputs are generated here rather than committed
# (a 1 MB line is not worth a megabyte of repository).  Prints TAP.
#
# Usage: run-robust.sh [LEASH]   (default: ./leash in the build dir)
LEASH=${1:-${LEASH:-./leash}}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
n=0
fail=0

# run NAME FILE: expect exit 1, an "error:" with file:line:col, within
# 20 s and 512 MiB of address space.
run() {
	n=$((n + 1))
	# ASan reserves terabytes of address space: no ulimit -v under it.
	( [ "$LEASH_SANITIZED" = yes ] || ulimit -v 524288
	  timeout 20 "$LEASH" check "$2" ) >"$T/out" 2>&1
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q "^$2:[0-9][0-9]*:[0-9][0-9]*: error: " "$T/out"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1 (exit $rc)"
		head -c 2000 "$T/out" | sed 's/^/# /'
		fail=1
	fi
}

python3 - "$T" <<'PY'
import os, random, sys
d = sys.argv[1]
def w(name, data):
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)
w('parens.leash', b'policy p { seccomp { allow read if ' + b'(' * 20000 +
  b'arg0 == 1' + b')' * 20000 + b'; } }\n')
w('nested-when.leash', b'policy p { seccomp { ' + b'when arch x86_64 { ' * 20000 +
  b'allow read; ' + b'} ' * 20000 + b'} }\n')
w('not-chain.leash', b'policy p { seccomp { allow read if ' + b'!' * 200000 +
  b'(arg0 == 1); } }\n')
w('long-line.leash', b'define X = ' + b'1|' * 500000 + b'1;\n')
w('long-ident.leash', b'policy p { seccomp { allow ' + b'a' * (1 << 20) + b'; } }\n')
w('long-string.leash', b'policy p { filesystem { allow r "/' + b'x' * (1 << 20) + b'; } }\n')
w('nul-bytes.leash', b'policy p {\0\0 seccomp { allow read; } }\n' + b'\0' * 1000)
w('many-errors.leash', b'$' * 100000 + b'\n')
w('groups-chain.leash', b''.join(b'group @g%d { @g%d }\n' % (i, i + 1) for i in range(5000)) +
  b'group @g5000 { read }\npolicy p { seccomp { allow @g0; } }\n')
w('defines-chain.leash', b''.join(b'define D%d = D%d + 1;\n' % (i, i + 1) for i in range(50000)) +
  b'define D50000 = 0;\npolicy p { seccomp { errno(D0) read; } }\n')
w('extends-chain.leash', b''.join(b'policy p%d extends p%d { }\n' % (i, i + 1) for i in range(5000)) +
  b'policy p5000 { seccomp { allow read; } }\n')
w('many-defines-typo.leash', b''.join(b'define NAME_%d = %d;\n' % (i, i) for i in range(100000)) +
  b'policy p { seccomp { errno(NAME_X) read; } }\n')
random.seed(1234)
for i in range(8):
    w('random-%d.leash' % i, bytes(random.getrandbits(8) for _ in range(65536)))
toks = [b'policy', b'seccomp', b'{', b'}', b'(', b')', b';', b',', b'allow', b'if', b'arg0',
        b'==', b'&&', b'||', b'!', b'in', b'when', b'cap', b'arch', b'@g', b'group', b'"x"',
        b'define', b'=', b'1', b'0x', b'read', b'errno', b'include', b'<a>', b'extends']
for i in range(8):
    w('tokens-%d.leash' % i, b' '.join(random.choice(toks) for _ in range(20000)) + b' $')
PY

for f in "$T"/*.leash; do
	run "$(basename "$f" .leash)" "$f"
done
echo "1..$n"
exit $fail
