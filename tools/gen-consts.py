#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen-consts.py - write compiler/common/consts-table.h, leash's built-in
constants, per architecture, from a Linux source tree.

docs/language.md section 2 promises errno names, AF_*, SOCK_*, CLONE_*, O_*,
PROT_*, MAP_*, PR_*, F_*, TIOC*/TC*, PER_* and the personality flags,
IPPROTO_*, SOL_* and CAP_*, each with the value the kernel gives it on
the arch a rule is compiled for: O_DIRECTORY is 0x10000 on x86_64 and
0x4000 on aarch64, SOCK_STREAM is 2 on mips, ENOSYS is 89 there.  The
numbers come from the same kernel source as the signature table
(tools/gen-sigs.py), never from the build host's libc, so the table says
the same thing whichever machine regenerates it.

How:
 1. The kernel's UAPI headers (include/uapi, arch/ARCH/include/uapi) are
    extracted from the source to a temporary directory, with a fallback
    directory of asm/X.h wrappers that include <asm-generic/X.h>: what
    'make headers_install' generates for the asm headers an arch lacks.
 2. Constants the kernel keeps outside UAPI are taken from its own
    headers, verbatim, into one extra header (see kernel_extras()):
    AF_* and SOL_* from include/linux/socket.h, the socket types and
    SOCK_CLOEXEC / SOCK_NONBLOCK (O_CLOEXEC / O_NONBLOCK of the arch) from
    include/linux/net.h, or from arch/mips/include/asm/socket.h on mips,
    which swaps SOCK_STREAM and SOCK_DGRAM.
 3. For each arch, clang (any version with the targets below; its
    integrated assembler, no cross libc needed) preprocesses each
    category's headers to list candidate names, then compiles one object
    holding every candidate's value as an unsigned long long in a section
    of its own; a candidate that is not an integer constant expression
    (a string, a struct) is dropped by the compiler's error.  Compiling
    for the arch's own target gets sizeof() in ioctl numbers (TCGETS2,
    TIOCGPTN, ...) right.  The section is read back with llvm-objcopy.
    clang 14 has no loongarch or 31-bit s390 target: loongarch64 is
    compiled as riscv64 (the same LP64 little-endian layout) and s390 as
    32-bit big-endian powerpc, each with its own arch's UAPI directory and
    its own predefined macro instead of the stand-in's.
 4. A few names are glibc's, not the kernel's (GLIBC_ALIASES): each is
    written as the kernel expression glibc defines it with, so it follows
    the arch too (ENOTSUP is EOPNOTSUPP, 122 on mips).
 5. The table keeps one value per name (x86_64's; where x86_64 lacks the
    name, the value most arches share) and a per-arch override wherever
    an arch differs or lacks the name.

Usage:
  tools/gen-consts.py [SOURCE] [OUTPUT]
    SOURCE  a kernel tree, or a linux-source-X.Y.tar.xz read in place
            (default: /usr/src/linux-source-6.1.tar.xz, Debian's
            linux-source-6.1 package)
    OUTPUT  default: compiler/common/consts-table.h next to this script;
            '-' for stdout
  Environment: CLANG (default "clang"), OBJCOPY (default "llvm-objcopy").
  The per-arch value of any name can be printed with
  'tools/gen-consts.py --dump SOURCE' (name, arch, value; for tests).
"""

import collections
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile

DEFAULT_SOURCE = "/usr/src/linux-source-6.1.tar.xz"
CLANG = shlex.split(os.environ.get("CLANG", "clang"))
OBJCOPY = shlex.split(os.environ.get("OBJCOPY", "llvm-objcopy"))


class GenError(Exception):
    pass


# (leash arch, enum, arch dir, clang target, big endian, extra flags)
ARCHES = [
    ("x86_64", "ARCH_X86_64", "x86", "x86_64-linux-gnu", False, []),
    ("x86", "ARCH_X86", "x86", "i386-linux-gnu", False, []),
    ("x32", "ARCH_X32", "x86", "x86_64-linux-gnux32", False, []),
    ("aarch64", "ARCH_AARCH64", "arm64", "aarch64-linux-gnu", False, []),
    ("arm", "ARCH_ARM", "arm", "arm-linux-gnueabihf", False, []),
    ("riscv64", "ARCH_RISCV64", "riscv", "riscv64-linux-gnu", False, []),
    ("ppc64le", "ARCH_PPC64LE", "powerpc", "powerpc64le-linux-gnu", False,
     []),
    ("ppc64", "ARCH_PPC64", "powerpc", "powerpc64-linux-gnu", True, []),
    ("ppc", "ARCH_PPC", "powerpc", "powerpc-linux-gnu", True, []),
    ("s390x", "ARCH_S390X", "s390", "s390x-linux-gnu", True, []),
    # Stand-in target: see step 3 above.
    ("s390", "ARCH_S390", "s390", "powerpc-linux-gnu", True,
     ["-U__powerpc__", "-U__PPC__", "-U__powerpc", "-U__PPC",
      "-U_ARCH_PPC", "-D__s390__=1"]),
    ("mips", "ARCH_MIPS", "mips", "mips-linux-gnu", True, []),
    ("mipsel", "ARCH_MIPSEL", "mips", "mipsel-linux-gnu", False, []),
    ("mips64", "ARCH_MIPS64", "mips", "mips64-linux-gnuabi64", True, []),
    ("mips64el", "ARCH_MIPS64EL", "mips", "mips64el-linux-gnuabi64", False,
     []),
    # Stand-in target: see step 3 above.
    ("loongarch64", "ARCH_LOONGARCH64", "loongarch", "riscv64-linux-gnu",
     False, ["-U__riscv", "-U__riscv_xlen", "-D__loongarch__=1",
             "-D__loongarch64=1", "-D__loongarch_grlen=64"]),
]

EXTRAS = "leash-kernel-extras.h"

PERSONALITY = (r"PER_[A-Z0-9_]+|UNAME26|ADDR_NO_RANDOMIZE|FDPIC_FUNCPTRS|"
               r"MMAP_PAGE_ZERO|ADDR_COMPAT_LAYOUT|READ_IMPLIES_EXEC|"
               r"ADDR_LIMIT_32BIT|SHORT_INODE|WHOLE_SECONDS|STICKY_TIMEOUTS|"
               r"ADDR_LIMIT_3GB")

# (category, name pattern, headers whose names it takes)
CATEGORIES = [
    ("errno", r"E[A-Z0-9]+", ["linux/errno.h"]),
    ("AF", r"AF_[A-Za-z0-9_]+", [EXTRAS]),
    ("SOCK", r"SOCK_[A-Z0-9_]+", [EXTRAS]),
    ("SOL", r"SOL_[A-Z0-9_]+", ["asm/socket.h", EXTRAS]),
    ("IPPROTO", r"IPPROTO_[A-Z0-9_]+", ["linux/in.h", "linux/in6.h"]),
    ("CLONE", r"CLONE_[A-Z0-9_]+", ["linux/sched.h"]),
    ("O", r"O_[A-Z0-9_]+", ["linux/fcntl.h"]),
    ("F", r"F_[A-Z0-9_]+", ["linux/fcntl.h"]),
    ("PROT", r"PROT_[A-Z0-9_]+", ["linux/mman.h"]),
    ("MAP", r"MAP_[A-Z0-9_]+", ["linux/mman.h"]),
    ("PR", r"PR_[A-Z0-9_]+", ["linux/prctl.h"]),
    ("TIOC", r"TIOC[A-Z0-9_]*", ["asm/termios.h"]),
    ("TC", r"TC[A-Z0-9_]+", ["asm/termios.h"]),
    ("personality", PERSONALITY, ["linux/personality.h"]),
    ("CAP", r"CAP_[A-Z0-9_]+", ["linux/capability.h"]),
]

ALL_HEADERS = sorted({h for c in CATEGORIES for h in c[2]})

# Names a program gets from glibc that the kernel headers lack, each as
# the kernel expression glibc defines it with (bits/*.h of glibc 2.36),
# so that they follow the arch like the names they stand for.
GLIBC_ALIASES = {
    "ENOTSUP": "EOPNOTSUPP",            # bits/errno.h
    "AF_FILE": "AF_UNIX",               # bits/socket.h
    "O_ASYNC": "FASYNC",                # bits/fcntl-linux.h
    "O_FSYNC": "O_SYNC",
    "O_RSYNC": "O_SYNC",
    "F_OWNER_GID": "F_OWNER_PGRP",
    "MAP_ANON": "MAP_ANONYMOUS",        # bits/mman-linux.h
    "MAP_FILE": "0",
    # unistd.h: access()'s mode and lockf()'s commands, the same numbers
    # on every arch (lockf is a libc function over fcntl; kept because
    # policies written against the old glibc-made table may name them).
    "F_OK": "0", "F_ULOCK": "0", "F_LOCK": "1", "F_TLOCK": "2", "F_TEST": "3",
}

# Where a 64-bit kernel's fcntl() has one struct flock, the kernel does
# not define F_GETLK64 at all (its uapi fallback of 12 is for 32-bit
# kernels, '#ifndef CONFIG_64BIT'), and glibc defines the *64 commands as
# the plain ones, which is what a program passes.  x32 calls the 64-bit
# fcntl, so it is one of them.
LP64_FCNTL_ARCHES = {"x86_64", "x32", "aarch64", "riscv64", "ppc64le",
                     "ppc64", "s390x", "mips64", "mips64el", "loongarch64"}
LP64_FCNTL_ALIASES = {"F_GETLK64": "F_GETLK", "F_SETLK64": "F_SETLK",
                      "F_SETLKW64": "F_SETLKW"}

# Not constants a policy should name: CAP_LAST_CAP moves with every
# kernel release; the kernel-internal helpers of its headers are not
# values a caller passes.
EXCLUDE = re.compile(r"\ACAP_LAST_CAP\Z|\A__|_H\Z|\AO_ACCMODE_")

# Facts the output must contain, or the headers were not what we think:
# (arch, name, value).
REQUIRED = [
    ("x86_64", "EPERM", 1), ("x86_64", "ENOSYS", 38),
    ("x86_64", "EHWPOISON", 133), ("x86_64", "ENOTSUP", 95),
    ("x86_64", "EWOULDBLOCK", 11), ("x86_64", "AF_UNIX", 1),
    ("x86_64", "AF_INET6", 10), ("x86_64", "AF_VSOCK", 40),
    ("x86_64", "SOCK_STREAM", 1), ("x86_64", "SOCK_NONBLOCK", 0o4000),
    ("x86_64", "SOCK_CLOEXEC", 0o2000000),
    ("x86_64", "CLONE_NEWUSER", 0x10000000),
    ("x86_64", "CLONE_INTO_CGROUP", 0x200000000),
    ("x86_64", "O_DIRECTORY", 0x10000), ("x86_64", "PROT_EXEC", 4),
    ("x86_64", "MAP_ANONYMOUS", 0x20), ("x86_64", "PR_SET_NO_NEW_PRIVS", 38),
    ("x86_64", "TIOCSTI", 0x5412), ("x86_64", "TCGETS", 0x5401),
    ("x86_64", "ADDR_NO_RANDOMIZE", 0x40000), ("x86_64", "F_GETLK64", 5),
    ("x86", "F_GETLK64", 12), ("mips", "F_GETLK64", 33),
    ("mips64", "F_GETLK64", 14), ("x86_64", "SOL_SOCKET", 1),
    ("x86_64", "IPPROTO_TCP", 6), ("x86_64", "CAP_SYS_ADMIN", 21),
    ("aarch64", "O_DIRECTORY", 0x4000), ("arm", "O_DIRECTORY", 0x4000),
    ("mips", "SOCK_STREAM", 2), ("mips", "SOCK_DGRAM", 1),
    ("mips", "ENOSYS", 89), ("mips64el", "ENOSYS", 89),
    ("mips", "O_NONBLOCK", 0x80), ("mips", "SOCK_NONBLOCK", 0x80),
    ("mips", "ENOTSUP", 122), ("mips", "SOL_SOCKET", 0xffff),
    ("ppc64le", "TIOCGPTN", 0x40045430), ("ppc64le", "MAP_NORESERVE", 0x40),
    ("ppc64le", "TCGETS", 0x402c7413), ("ppc", "TCGETS", 0x402c7413),
    ("x86", "TCGETS2", 0x802c542a), ("x86_64", "TCGETS2", 0x802c542a),
    ("mips", "TCGETS2", 0x4030542a), ("mips", "TIOCSTI", 0x5472),
    ("aarch64", "ENOSYS", 38), ("s390x", "TIOCGPTN", 0x80045430),
    ("s390", "TIOCGPTN", 0x80045430), ("loongarch64", "O_DIRECTORY", 0x10000),
]

CAP_COUNT = 41  # tables.h

SOURCE_MEMBERS = re.compile(
    r"\A(?:include/uapi/.*\.h|arch/(?:%s)/include/uapi/.*\.h|"
    r"include/linux/(?:socket|net)\.h|arch/mips/include/asm/socket\.h|"
    r"Makefile)\Z" % "|".join(sorted({a[2] for a in ARCHES})))


def run(args, stdin=None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True)


# ---------------------------------------------------------------------------
# Reading the source.

def extract(src, dest):
    """Copy the headers this script reads from @src (a tree or a tarball,
    read as a stream: extracting the whole of it takes ~1.4 GB) to @dest."""
    n = 0
    if os.path.isdir(src):
        for dp, dns, fns in os.walk(src):
            dns.sort()
            for fn in fns:
                rel = os.path.relpath(os.path.join(dp, fn), src)
                if SOURCE_MEMBERS.match(rel):
                    os.makedirs(os.path.join(dest, os.path.dirname(rel)),
                                exist_ok=True)
                    shutil.copy(os.path.join(dp, fn), os.path.join(dest, rel))
                    n += 1
    else:
        with tarfile.open(src, "r|*") as tar:
            for m in tar:
                if not m.isfile() or "/" not in m.name:
                    continue
                rel = m.name.split("/", 1)[1]
                if not SOURCE_MEMBERS.match(rel):
                    continue
                os.makedirs(os.path.join(dest, os.path.dirname(rel)),
                            exist_ok=True)
                with open(os.path.join(dest, rel), "wb") as f:
                    f.write(tar.extractfile(m).read())
                n += 1
    if not os.path.exists(os.path.join(dest, "Makefile")) or n < 100:
        raise GenError("%s: no kernel source found" % src)


def kernel_version(tree):
    with open(os.path.join(tree, "Makefile")) as f:
        mk = f.read()
    v = []
    for key in ("VERSION", "PATCHLEVEL", "SUBLEVEL"):
        m = re.search(r"^%s = (\d+)" % key, mk, re.M)
        if not m:
            raise GenError("Makefile: no %s: not a kernel tree?" % key)
        v.append(m.group(1))
    return ".".join(v)


def read(tree, rel):
    with open(os.path.join(tree, rel)) as f:
        return f.read()


def kernel_extras(tree, adir):
    """The non-UAPI constants a policy names, as the kernel's own
    headers define them: a program gets them from glibc, whose values are
    copies of these."""
    out = ["#include <linux/fcntl.h>", "#include <asm/socket.h>"]
    sock = re.sub(r"/\*.*?\*/", "", read(tree, "include/linux/socket.h"),
                  flags=re.S)
    for m in re.finditer(r"^#define\s+((?:AF|SOL)_\w+)\s+([^\n]*)$", sock,
                         re.M):
        out.append("#define %s %s" % (m.group(1), m.group(2).strip()))
    # ARCH_HAS_SOCKET_TYPES: mips keeps its own (swapped) socket types.
    path = ("arch/mips/include/asm/socket.h" if adir == "mips"
            else "include/linux/net.h")
    text = read(tree, path)
    m = re.search(r"^enum sock_type \{.*?^#define SOCK_NONBLOCK[^\n]*\n",
                  text, re.M | re.S)
    if not m:
        raise GenError("%s: no enum sock_type / SOCK_NONBLOCK" % path)
    block = re.sub(r"^#ifndef SOCK_NONBLOCK\n", "", m.group(0), flags=re.M)
    out.append(block)
    return "\n".join(out) + "\n"


def prepare(tree, work):
    """Per-arch include directories under @work."""
    fb = os.path.join(work, "fallback", "asm")
    os.makedirs(fb)
    # headers_install drops this include (scripts/headers_install.sh) and
    # the annotations defined empty in clang_args().
    os.makedirs(os.path.join(work, "fallback", "linux"))
    for fn in ("compiler_types.h", "compiler.h"):
        open(os.path.join(work, "fallback", "linux", fn), "w").close()
    for fn in sorted(os.listdir(os.path.join(tree, "include/uapi/asm-generic"))):
        if fn.endswith(".h"):
            with open(os.path.join(fb, fn), "w") as f:
                f.write("#include <asm-generic/%s>\n" % fn)
    for adir in sorted({a[2] for a in ARCHES}):
        d = os.path.join(work, "extras-" + adir)
        os.makedirs(d)
        with open(os.path.join(d, EXTRAS), "w") as f:
            f.write(kernel_extras(tree, adir))


def clang_args(tree, work, arch):
    name, _, adir, triple, _, extra = arch
    return CLANG + ["--target=" + triple, "-nostdinc", "-w",
                    "-ferror-limit=0", "-D__user=", "-D__force=",
                    "-D__iomem=", "-D__attribute_const__=",
                    "-D__always_inline=inline",
                    "-D__EXPORTED_HEADERS__"] + extra + [
        "-I", os.path.join(tree, "arch", adir, "include", "uapi"),
        "-I", os.path.join(tree, "include", "uapi"),
        "-I", os.path.join(work, "fallback"),
        "-I", os.path.join(work, "extras-" + adir)]


# ---------------------------------------------------------------------------
# Evaluating.

def candidates(args, headers, pattern):
    """Names matching @pattern that @headers define: object-like macros
    and other identifiers (enum constants)."""
    src = "".join("#include <%s>\n" % h for h in headers)
    rx = re.compile(r"\A(?:%s)\Z" % pattern)
    p = run(args + ["-E", "-dM", "-x", "c", "-"], src)
    if p.returncode:
        raise GenError("%s: %s" % (headers, p.stderr))
    macros = {}
    for line in p.stdout.splitlines():
        m = re.match(r"#define ([A-Za-z_][A-Za-z0-9_]*)(\(?)\s*(.*)", line)
        if m and not m.group(2) and rx.match(m.group(1)):
            macros[m.group(1)] = m.group(3).strip()
    p = run(args + ["-E", "-P", "-x", "c", "-"], src)
    if p.returncode:
        raise GenError("%s: %s" % (headers, p.stderr))
    idents = set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", p.stdout))
    names = {n for n in idents if rx.match(n)} | set(macros)
    return {n for n in names if not EXCLUDE.search(n)}, macros


def evaluate(args, arch, names, work, after=()):
    """{name: value} for every name in @names that is an integer constant
    expression for @arch; a compiler error removes a name."""
    names = sorted(names)
    c = os.path.join(work, "v-%s.c" % arch[0])
    obj = c[:-2] + ".o"
    binf = c[:-2] + ".bin"
    for _ in range(10):
        lines = ["#include <%s>" % h for h in ALL_HEADERS]
        lines += ['#include "%s"' % h for h in after]
        lines.append("__attribute__((section(\"leashv\"), used))")
        lines.append("const unsigned long long leash_v[] = {")
        owner = {}
        for n in names:
            lines.append("\t(unsigned long long)(%s)," % n)
            owner[len(lines)] = n
        lines.append("\t0 };")
        with open(c, "w") as f:
            f.write("\n".join(lines) + "\n")
        p = run(args + ["-c", "-o", obj, c])
        if p.returncode == 0:
            break
        bad = {owner[int(m.group(1))] for m in
               re.finditer(r"v-[\w]+\.c:(\d+):\d+: error", p.stderr)
               if int(m.group(1)) in owner}
        if not bad:
            raise GenError("%s: cannot compile:\n%s" % (arch[0], p.stderr))
        names = [n for n in names if n not in bad]
    else:
        raise GenError("%s: too many rounds" % arch[0])
    p = run(OBJCOPY + ["-O", "binary", "--only-section=leashv", obj, binf])
    if p.returncode:
        raise GenError("%s: llvm-objcopy: %s" % (arch[0], p.stderr))
    with open(binf, "rb") as f:
        data = f.read()
    order = "big" if arch[4] else "little"
    if len(data) != 8 * (len(names) + 1):
        raise GenError("%s: section holds %d bytes for %d names"
                       % (arch[0], len(data), len(names)))
    return {n: int.from_bytes(data[8 * i:8 * i + 8], order)
            for i, n in enumerate(names)}


def arch_values(tree, work, arch):
    """{name: value}, {errno name}, {canonical errno name} on @arch."""
    args = clang_args(tree, work, arch)
    want = {}
    canon = set()
    for cat, pattern, headers in CATEGORIES:
        names, macros = candidates(args, headers, pattern)
        for n in names:
            want.setdefault(n, cat)
        if cat == "errno":
            # errno_name(): the kernel's own spelling, never an alias
            # such as EWOULDBLOCK (defined as EAGAIN) or EDEADLOCK.
            canon = {n for n, b in macros.items() if re.fullmatch(r"\d+", b)}
    aliases = {n: e for n, e in GLIBC_ALIASES.items() if n not in want}
    if arch[0] in LP64_FCNTL_ARCHES:
        aliases.update(LP64_FCNTL_ALIASES)
        want = {n: c for n, c in want.items() if n not in aliases}
    values = evaluate(args, arch, set(want), work)
    values.update(evaluate_aliases(args, arch, aliases, work))
    errnos = set()
    for n in list(values):
        cat = want.get(n, "errno" if n == "ENOTSUP" else None)
        if cat == "errno":
            if not 1 <= values[n] <= 4095:
                del values[n]
                continue
            errnos.add(n)
        if cat == "CAP" and values[n] >= 64:
            del values[n]
    return values, errnos, canon & errnos


def evaluate_aliases(args, arch, aliases, work):
    """The glibc names, defined after the headers they refer to."""
    if not aliases:
        return {}
    shims = os.path.join(work, "aliases-%s.h" % arch[0])
    with open(shims, "w") as f:
        for n in sorted(aliases):
            f.write("#define %s %s\n" % (n, aliases[n]))
    return evaluate(args, arch, set(aliases), work, [shims])


# ---------------------------------------------------------------------------
# The table.

def build(tree, work):
    """{arch name: {name: value}}, {errno names}, {canonical errno names}."""
    prepare(tree, work)
    per_arch = {}
    errnos = set()
    canon = set()
    canon_of = {}
    for arch in ARCHES:
        v, e, c = arch_values(tree, work, arch)
        per_arch[arch[0]] = v
        errnos |= e
        canon |= c
        canon_of[arch[0]] = c
    # errno_name() takes the first flagged name (strcmp order) with the
    # value: that must be the arch's own canonical name on every arch.
    for aname, v in per_arch.items():
        for n in sorted(canon_of[aname]):
            first = min(m for m in canon if v.get(m) == v[n])
            if first != n:
                raise GenError("errno %d on %s: %s, not %s"
                               % (v[n], aname, first, n))
    for aname, n, want in REQUIRED:
        got = per_arch[aname].get(n)
        if got != want:
            raise GenError("%s is %r on %s, expected %#x"
                           % (n, got, aname, want))
    return per_arch, errnos, canon


def base_value(per_arch, n):
    if n in per_arch["x86_64"]:
        return per_arch["x86_64"][n]
    c = collections.Counter(v[n] for v in per_arch.values() if n in v)
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def cap_names(per_arch):
    caps = {}
    for n, v in per_arch["x86_64"].items():
        if n.startswith("CAP_"):
            if v in caps:
                raise GenError("%s and %s are both %d" % (caps[v], n, v))
            caps[v] = n
    if sorted(caps) != list(range(CAP_COUNT)):
        raise GenError("capabilities are %s, tables.h says 0..%d"
                       % (sorted(caps), CAP_COUNT - 1))
    return caps


def write_table(out, version, src, per_arch, errnos, canon):
    names = sorted(set().union(*per_arch.values()))
    caps = cap_names(per_arch)
    lines = []
    w = lines.append
    w("/* SPDX-License-Identifier: MIT */")
    w("/*")
    w(" * consts-table.h - GENERATED by tools/gen-consts.py from the UAPI"
      " headers")
    w(" * (and the few kernel headers that keep AF_*, SOL_* and SOCK_*) of"
      " the")
    # The tree's name without ".tar.xz": a tarball and the tree it
    # unpacks to make the same table.
    name = re.sub(r"\.tar(\.[a-z0-9]+)?$", "",
                  os.path.basename(src.rstrip("/")))
    w(" * Linux %s source (%s); do not edit." % (version, name))
    w(" * Regenerate with:")
    w(" *\tpython3 tools/gen-consts.py /usr/src/linux-source-6.1.tar.xz \\")
    w(" *\t\tcompiler/common/consts-table.h")
    w(" *")
    w(" * consts_table[]: every built-in name, sorted by name (strcmp order)")
    w(" * for a binary search, with its x86_64 value (where x86_64 lacks the")
    w(" * name, the value most arches give it), its first override and its")
    w(" * number of overrides, and CONST_ERRNO / CONST_ERRNO_CANON flags.")
    w(" * const_overrides[]: each arch where the value differs from that,")
    w(" * or where the kernel does not define the name (present = 0).")
    w(" */")
    w("")
    table = []
    overrides = []
    for n in names:
        base = base_value(per_arch, n)
        first = len(overrides)
        for arch in ARCHES:
            v = per_arch[arch[0]]
            if n not in v:
                overrides.append((arch[1], 0, 0))
            elif v[n] != base:
                overrides.append((arch[1], 1, v[n]))
        flags = []
        if n in errnos:
            flags.append("CONST_ERRNO")
        if n in canon:
            flags.append("CONST_ERRNO_CANON")
        table.append((n, base, first, len(overrides) - first,
                      " | ".join(flags) or "0"))
    w("static const struct const_entry consts_table[] = {")
    for n, base, first, count, flags in table:
        w('\t{ "%s", %#x, %d, %d, %s },' % (n, base, first, count, flags))
    w("};")
    w("")
    w("static const struct const_override const_overrides[] = {")
    for i, (enum, present, v) in enumerate(overrides):
        w("\t/* %d */ { %s, %d, %#x }," % (i, enum, present, v))
    w("};")
    w("")
    w("/* Capability names without \"CAP_\", by number (every arch). */")
    w("static const char *const cap_names[] = {")
    for v in sorted(caps):
        w('\t[%d] = "%s",' % (v, caps[v][4:]))
    w("};")
    text = "\n".join(lines) + "\n"
    if out == "-":
        sys.stdout.write(text)
    else:
        tmp = out + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, out)
    return len(names), len(overrides)


def summary(per_arch, n_names, n_ovr):
    p = lambda *a: print(*a, file=sys.stderr)
    p("gen-consts: %d names, %d per-arch overrides" % (n_names, n_ovr))
    base = per_arch["x86_64"]
    for arch in ARCHES[1:]:
        v = per_arch[arch[0]]
        diff = sum(1 for n in v if n in base and v[n] != base[n])
        p("  %-12s %4d names, %3d differ from x86_64, %3d absent, %3d extra"
          % (arch[0], len(v), diff, len(set(base) - set(v)),
             len(set(v) - set(base))))


def main(argv):
    dump = len(argv) > 1 and argv[1] == "--dump"
    if dump:
        argv = argv[1:]
    src = argv[1] if len(argv) > 1 else DEFAULT_SOURCE
    out = argv[2] if len(argv) > 2 else os.path.normpath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                     "compiler", "common", "consts-table.h"))
    try:
        with tempfile.TemporaryDirectory(prefix="gen-consts.") as tmp:
            tree = os.path.join(tmp, "src")
            extract(src, tree)
            work = os.path.join(tmp, "work")
            per_arch, errnos, canon = build(tree, work)
            if dump:
                for arch in ARCHES:
                    for n, v in sorted(per_arch[arch[0]].items()):
                        print("%s %s %d" % (arch[0], n, v))
                return 0
            n, o = write_table(out, kernel_version(tree), src, per_arch,
                               errnos, canon)
    except (GenError, OSError, tarfile.TarError) as e:
        print("gen-consts: %s" % e, file=sys.stderr)
        return 1
    summary(per_arch, n, o)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
