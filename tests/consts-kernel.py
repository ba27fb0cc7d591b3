#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""consts-kernel.py - a sample of leash's per-arch constants, against the
values written in the kernel's own headers (tests/run-consts-kernel.sh).

Independent of tools/gen-consts.py on purpose: no compiler, no clang
target, only the literal '#define NAME VALUE' lines (and mips' enum of
socket types) of the headers, read with a regular expression, the arch's
own header first and asm-generic's where the arch has none (which is how
the arch headers are written: theirs define, then the generic one's
#ifndef keeps it).  For each arch the script writes a policy whose rule k
says 'errno(EXDEV) ioctl if arg0 == k && arg1 == VALUE', VALUE from the
headers, and a vectors file whose line k says 'ARCH ioctl(k, NAME) =>
errno(EXDEV)': 'leash test' then fails at the line of every name whose
value in leash differs from the kernel's.

Usage: consts-kernel.py SOURCE.tar.xz OUTDIR   (prints the arches written)
"""

import os
import re
import sys
import tarfile

# leash arch -> the kernel's arch directory.
ARCHES = {
    "x86_64": "x86", "x86": "x86", "aarch64": "arm64", "arm": "arm",
    "ppc64le": "powerpc", "ppc": "powerpc", "mips": "mips",
    "mips64el": "mips", "s390x": "s390", "riscv64": "riscv",
}

# (header under asm/ and asm-generic/, names sampled from it)
SAMPLE = [
    ("errno.h", ["ENOSYS", "EAGAIN", "EDEADLOCK", "EOPNOTSUPP", "ENOTEMPTY",
                 "ECONNREFUSED", "ETIMEDOUT", "EADDRINUSE", "ELOOP",
                 "EAFNOSUPPORT", "ENOTSOCK", "EDQUOT"]),
    ("errno-base.h", ["EPERM", "ENOENT", "EACCES", "EXDEV", "EINVAL"]),
    ("fcntl.h", ["O_DIRECTORY", "O_NOFOLLOW", "O_DIRECT", "O_LARGEFILE",
                 "O_NONBLOCK", "O_APPEND", "O_CREAT", "O_EXCL", "O_TRUNC",
                 "O_NOCTTY", "O_DSYNC", "O_CLOEXEC", "F_GETLK", "F_SETLK",
                 "F_SETOWN", "F_GETOWN"]),
    ("mman.h", ["MAP_ANONYMOUS", "MAP_NORESERVE", "MAP_LOCKED",
                "MAP_GROWSDOWN", "MAP_POPULATE", "MAP_FIXED", "MAP_SHARED",
                "PROT_EXEC"]),
    ("mman-common.h", ["MAP_FIXED_NOREPLACE", "PROT_READ", "PROT_WRITE"]),
    ("ioctls.h", ["TIOCSTI", "TIOCSCTTY", "TIOCNOTTY", "TIOCEXCL",
                  "TIOCCONS", "TCSBRK", "TCXONC", "TIOCLINUX"]),
]
SOCK_TYPES = ["SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_SEQPACKET"]

DEFINE = re.compile(r"^#\s*define\s+([A-Z_][A-Z0-9_]*)\s+\(?"
                    r"(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*\)?"
                    r"\s*(/\*.*)?$", re.M)
ANY_DEFINE = re.compile(r"^#\s*define\s+([A-Z_][A-Z0-9_]*)\b", re.M)
ENUM = re.compile(r"\b(SOCK_[A-Z]+)\s*=\s*([0-9]+)")


def wanted(path):
    parts = path.split("/", 1)
    rel = parts[1] if len(parts) > 1 else ""
    return (rel.startswith("include/uapi/asm-generic/") or
            re.match(r"arch/[a-z0-9]+/include/uapi/asm/[a-z-]+\.h$", rel) or
            rel in ("arch/mips/include/asm/socket.h",
                    "include/linux/net.h"))


def read_headers(src):
    files = {}
    with tarfile.open(src) as tar:
        for m in tar:
            if m.isfile() and wanted(m.name):
                rel = m.name.split("/", 1)[1]
                files[rel] = tar.extractfile(m).read().decode("latin-1")
    return files


def c_int(lit):
    """A C integer literal: a leading 0 is octal."""
    if lit.lower().startswith("0x"):
        return int(lit, 16)
    return int(lit, 8) if lit.startswith("0") else int(lit)


def defines(text):
    return {m.group(1): c_int(m.group(2)) for m in DEFINE.finditer(text)}


def values(files, adir):
    out = {}
    for header, names in SAMPLE:
        own = defines(files.get("arch/%s/include/uapi/asm/%s" %
                                (adir, header), ""))
        generic = defines(files.get("include/uapi/asm-generic/%s" % header,
                                    ""))
        named = set(ANY_DEFINE.findall(files.get(
            "arch/%s/include/uapi/asm/%s" % (adir, header), "")))
        for n in names:
            if n in own:
                out[n] = own[n]
            elif n in generic and n not in named:
                # Not when the arch defines it by an expression
                # (_IO('t', 29) on powerpc): generic's is not its value.
                out[n] = generic[n]
    # The socket types: enum sock_type, mips' own order in its asm/.
    text = files.get("arch/mips/include/asm/socket.h" if adir == "mips"
                     else "include/linux/net.h", "")
    for m in ENUM.finditer(text):
        if m.group(1) in SOCK_TYPES:
            out[m.group(1)] = int(m.group(2))
    return out


def main(argv):
    src, outdir = argv[1], argv[2]
    files = read_headers(src)
    for arch, adir in sorted(ARCHES.items()):
        vals = sorted(values(files, adir).items())
        if len(vals) < 45:
            print("consts-kernel: only %d sample names found for %s" %
                  (len(vals), arch), file=sys.stderr)
            return 1
        with open(os.path.join(outdir, arch + ".leash"), "w") as f:
            f.write("policy p {\n  seccomp {\n    arch %s;\n"
                    "    default allow;\n" % arch)
            for k, (n, v) in enumerate(vals, 1):
                f.write("    errno(EXDEV) ioctl if arg0 == %d && "
                        "arg1 == %#x;  # %s\n" % (k, v, n))
            f.write("  }\n}\n")
        with open(os.path.join(outdir, arch + ".vectors"), "w") as f:
            for k, (n, v) in enumerate(vals, 1):
                f.write("%s ioctl(%d, %s) => errno(EXDEV)  # %#x\n" %
                        (arch, k, n, v))
        print("%s %d" % (arch, len(vals)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
