#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen-consts.py - write compiler/common/consts-table.h, leash's built-in constants.

docs/language.md section 2 promises errno names, AF_*, SOCK_*, CLONE_*, O_*,
PROT_*, MAP_*, PR_*, F_*, TIOC*/TC*, PER_* and the personality flags,
IPPROTO_*, SOL_* and CAP_*.  Typing ~1,500 numbers by hand would be a
source of bugs, so this script asks the C compiler: it lists the
candidate names each header defines (macros from "cc -E -dM", enum
constants from the preprocessed text), compiles one program that prints
them all, and drops every candidate that is not an integer constant
expression (a string, a function call, a struct).

Values are the build host's: glibc's first (what a program built here
passes to the kernel), then the kernel UAPI headers for names glibc lacks.
A few numbers differ between arches (O_DIRECTORY on arm, TIOC* on
ppc/mips, errno on mips); the header records the host it was made on.

Usage: tools/gen-consts.py [OUTPUT]   (default: compiler/common/consts-table.h)
Environment: CC (default "cc").
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile

CC = shlex.split(os.environ.get("CC", "cc"))

# Header sets, each compiled on its own: glibc and kernel UAPI headers
# often cannot share a translation unit (struct termios, struct flock...).
SOURCES = {
    "errno": ["errno.h"],
    "socket": ["sys/socket.h", "netinet/in.h", "netinet/tcp.h",
               "netinet/udp.h"],
    "linux-in": ["linux/in.h", "linux/in6.h"],
    "sched": ["sched.h"],
    "linux-sched": ["linux/sched.h"],
    "fcntl": ["fcntl.h"],
    "linux-fcntl": ["linux/fcntl.h"],
    "mman": ["sys/mman.h"],
    "linux-mman": ["linux/mman.h"],
    "prctl": ["sys/prctl.h"],
    "linux-prctl": ["linux/prctl.h"],
    "tty": ["termios.h", "sys/ioctl.h"],
    "linux-tty": ["asm/termios.h"],
    "personality": ["sys/personality.h"],
    "linux-personality": ["linux/personality.h"],
    "capability": ["linux/capability.h"],
}

PERSONALITY = (r"PER_[A-Z0-9_]+|UNAME26|ADDR_NO_RANDOMIZE|FDPIC_FUNCPTRS|"
               r"MMAP_PAGE_ZERO|ADDR_COMPAT_LAYOUT|READ_IMPLIES_EXEC|"
               r"ADDR_LIMIT_32BIT|SHORT_INODE|WHOLE_SECONDS|STICKY_TIMEOUTS|"
               r"ADDR_LIMIT_3GB")

# (category, name pattern, sources in order of precedence)
CATEGORIES = [
    ("errno", r"E[A-Z0-9]+", ["errno"]),
    ("AF", r"AF_[A-Z0-9_]+", ["socket"]),
    ("SOCK", r"SOCK_[A-Z0-9_]+", ["socket"]),
    ("SOL", r"SOL_[A-Z0-9_]+", ["socket"]),
    ("IPPROTO", r"IPPROTO_[A-Z0-9_]+", ["socket", "linux-in"]),
    ("CLONE", r"CLONE_[A-Z0-9_]+", ["sched", "linux-sched"]),
    ("O", r"O_[A-Z0-9_]+", ["fcntl", "linux-fcntl"]),
    ("F", r"F_[A-Z0-9_]+", ["fcntl", "linux-fcntl"]),
    ("PROT", r"PROT_[A-Z0-9_]+", ["mman", "linux-mman"]),
    ("MAP", r"MAP_[A-Z0-9_]+", ["mman", "linux-mman"]),
    ("PR", r"PR_[A-Z0-9_]+", ["prctl", "linux-prctl"]),
    ("TIOC", r"TIOC[A-Z0-9_]*", ["tty", "linux-tty"]),
    ("TC", r"TC[A-Z0-9_]+", ["tty", "linux-tty"]),
    ("personality", PERSONALITY, ["personality", "linux-personality"]),
    ("CAP", r"CAP_[A-Z0-9_]+", ["capability"]),
]

# Where the kernel's number is the one a policy means.  glibc defines
# O_LARGEFILE as 0 on 64-bit hosts because the kernel forces the flag on
# after the syscall is entered; a filter still sees (and can test) the
# kernel's bit when a caller sets it.
PREFER_KERNEL = {"O_LARGEFILE": "linux-fcntl"}

# Not constants a policy should name: CAP_LAST_CAP moves with every
# kernel release.
EXCLUDE = {"CAP_LAST_CAP"}

# Facts the output must contain, or the headers were not what we think.
REQUIRED = {
    "EPERM": 1, "ENOSYS": 38, "EHWPOISON": 133, "ENOTSUP": 95,
    "EWOULDBLOCK": 11, "EDEADLOCK": 35,
    "AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10, "AF_NETLINK": 16,
    "AF_ALG": 38, "AF_VSOCK": 40,
    "SOCK_STREAM": 1, "SOCK_NONBLOCK": 0o4000, "SOCK_CLOEXEC": 0o2000000,
    "CLONE_NEWUSER": 0x10000000, "CLONE_NEWTIME": 0x80,
    "CLONE_PIDFD": 0x1000, "CLONE_INTO_CGROUP": 0x200000000,
    "O_RDONLY": 0, "O_CLOEXEC": 0o2000000,
    "PROT_EXEC": 4, "MAP_ANONYMOUS": 0x20,
    "PR_SET_NO_NEW_PRIVS": 38, "F_SETFL": 4,
    "TIOCSTI": 0x5412, "TCGETS": 0x5401,
    "PER_LINUX": 0, "ADDR_NO_RANDOMIZE": 0x40000, "UNAME26": 0x20000,
    "IPPROTO_TCP": 6, "SOL_SOCKET": 1,
    "CAP_CHOWN": 0, "CAP_SYS_ADMIN": 21, "CAP_CHECKPOINT_RESTORE": 40,
}

CAP_COUNT = 41  # tables.h


def run(args, stdin=None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True)


def prologue(headers):
    return "#define _GNU_SOURCE 1\n" + "".join(
        "#include <%s>\n" % h for h in headers)


def candidates(headers, pattern):
    """Names matching @pattern that @headers define: object-like macros
    (with their bodies) and any other identifier, for enum constants."""
    src = prologue(headers)
    rx = re.compile(r"\A(?:%s)\Z" % pattern)
    macros = {}
    p = run(CC + ["-E", "-dM", "-x", "c", "-"], src)
    if p.returncode:
        sys.exit("gen-consts: %s: %s" % (headers, p.stderr))
    for line in p.stdout.splitlines():
        m = re.match(r"#define ([A-Za-z_][A-Za-z0-9_]*)(\(?)\s*(.*)", line)
        if m and not m.group(2) and rx.match(m.group(1)):
            macros[m.group(1)] = m.group(3).strip()
    p = run(CC + ["-E", "-P", "-x", "c", "-"], src)
    if p.returncode:
        sys.exit("gen-consts: %s: %s" % (headers, p.stderr))
    idents = set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", p.stdout))
    names = {n for n in idents if rx.match(n)} | set(macros)
    return names, macros


def evaluate(headers, names):
    """{name: value} for every name that is an integer constant
    expression under @headers; compiler errors remove a name."""
    names = sorted(names)
    with tempfile.TemporaryDirectory() as tmp:
        c = os.path.join(tmp, "eval.c")
        exe = os.path.join(tmp, "eval")
        for _ in range(20):
            lines = prologue(headers).splitlines()
            lines.append("#include <stdio.h>")
            owner = {}
            for i, n in enumerate(names):
                # File-scope array bounds must be integer constant
                # expressions: a string, float, pointer or call fails.
                lines.append("typedef char leash_chk_%d[((%s) | 0) ? 1 : 1];"
                             % (i, n))
                owner[len(lines)] = n
            lines.append("int main(void)\n{")
            for n in names:
                lines.append('\tprintf("%%s %%llu\\n", "%s", '
                             "(unsigned long long)(%s));" % (n, n))
                owner[len(lines)] = n
            lines.append("\treturn 0;\n}")
            with open(c, "w") as f:
                f.write("\n".join(lines) + "\n")
            p = run(CC + ["-w", "-fmax-errors=0", "-o", exe, c])
            if p.returncode == 0:
                break
            bad = set()
            for m in re.finditer(r"eval\.c:(\d+):\d+: error", p.stderr):
                if int(m.group(1)) in owner:
                    bad.add(owner[int(m.group(1))])
            if not bad:
                sys.exit("gen-consts: %s: cannot compile:\n%s"
                         % (headers, p.stderr))
            names = [n for n in names if n not in bad]
        else:
            sys.exit("gen-consts: %s: too many rounds" % headers)
        out = run([exe]).stdout
    values = {}
    for line in out.splitlines():
        n, v = line.split()
        values[n] = int(v)
    return values


def host_description():
    probe = ("#include <linux/version.h>\n#include <features.h>\n"
             "LEASH_LINUX LINUX_VERSION_CODE\n"
             "LEASH_GLIBC __GLIBC__ __GLIBC_MINOR__\n")
    p = run(CC + ["-E", "-P", "-x", "c", "-"], probe)
    linux = glibc = "?"
    for line in p.stdout.splitlines():
        f = line.split()
        if f[:1] == ["LEASH_LINUX"]:
            code = int(f[1])
            linux = "%d.%d" % (code >> 16, (code >> 8) & 0xff)
        elif f[:1] == ["LEASH_GLIBC"]:
            glibc = "%s.%s" % (f[1], f[2])
    machine = run(CC + ["-dumpmachine"]).stdout.strip()
    return "%s, glibc %s, Linux UAPI headers %s" % (machine, glibc, linux)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                     "compiler", "common", "consts-table.h"))

    # Evaluate each source once, for the union of its categories' names.
    want = {s: set() for s in SOURCES}
    cand = {}
    bodies = {}
    for cat, pattern, sources in CATEGORIES:
        for s in sources:
            names, macros = candidates(SOURCES[s], pattern)
            cand[(cat, s)] = names
            want[s] |= names
            if cat == "errno":
                bodies.update(macros)
    values = {s: evaluate(SOURCES[s], want[s]) for s in SOURCES if want[s]}

    table = {}
    errnos = {}
    for cat, pattern, sources in CATEGORIES:
        for s in sources:
            for n in sorted(cand[(cat, s)]):
                if n in EXCLUDE or n not in values[s]:
                    continue
                v = values[s][n]
                if cat == "errno" and not 1 <= v <= 4095:
                    continue
                if cat == "CAP" and v >= 64:
                    continue
                if n in table and PREFER_KERNEL.get(n) != s:
                    if table[n] != v:
                        print("gen-consts: note: %s is %#x in %s, "
                              "keeping %#x" % (n, v, s, table[n]),
                              file=sys.stderr)
                    continue
                table[n] = v
                if cat == "errno":
                    errnos[n] = v

    for n, v in REQUIRED.items():
        if table.get(n) != v:
            sys.exit("gen-consts: %s is %r, expected %#x"
                     % (n, table.get(n), v))

    # errno_name(): the kernel's own spelling, never an alias such as
    # EWOULDBLOCK (defined as EAGAIN) or glibc's ENOTSUP.
    by_errno = {}
    for n in sorted(errnos):
        if re.fullmatch(r"[0-9]+", bodies.get(n, "")):
            by_errno.setdefault(errnos[n], n)

    caps = {}
    for n, v in table.items():
        if n.startswith("CAP_"):
            if v in caps:
                sys.exit("gen-consts: %s and %s are both %d"
                         % (caps[v], n, v))
            caps[v] = n
    if sorted(caps) != list(range(CAP_COUNT)):
        sys.exit("gen-consts: capabilities are %s, tables.h says 0..%d"
                 % (sorted(caps), CAP_COUNT - 1))

    w = []
    w.append("/* SPDX-License-Identifier: MIT */")
    w.append("/*")
    w.append(" * consts-table.h - leash's built-in constants, capability"
             " and errno names.")
    w.append(" *")
    w.append(" * GENERATED by tools/gen-consts.py; do not edit.  Values are"
             " those of")
    w.append(" * %s." % host_description())
    w.append(" * Tables sorted by name (strcmp order) for binary search.")
    w.append(" */")
    w.append("")
    w.append("static const struct const_entry consts_table[] = {")
    for n in sorted(table):
        w.append('\t{ "%s", %#x },' % (n, table[n]))
    w.append("};")
    w.append("")
    w.append("/* The errno names among them. */")
    w.append("static const struct const_entry errno_table[] = {")
    for n in sorted(errnos):
        w.append('\t{ "%s", %d },' % (n, errnos[n]))
    w.append("};")
    w.append("")
    w.append("/* errno_name(): the canonical name of each number. */")
    w.append("static const char *const errno_names[] = {")
    for v in sorted(by_errno):
        w.append('\t[%d] = "%s",' % (v, by_errno[v]))
    w.append("};")
    w.append("")
    w.append("/* Capability names without \"CAP_\", by number. */")
    w.append("static const char *const cap_names[] = {")
    for v in sorted(caps):
        w.append('\t[%d] = "%s",' % (v, caps[v][4:]))
    w.append("};")
    text = "\n".join(w) + "\n"

    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, out)
    print("gen-consts: wrote %d constants (%d errno names, %d capabilities)"
          " to %s" % (len(table), len(errnos), len(caps), out),
          file=sys.stderr)


if __name__ == "__main__":
    main()
