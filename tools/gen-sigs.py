#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
gen-sigs.py - write compiler/common/sigs-table.h, leash's table of syscall
signatures (argument count, names and widths), from a Linux source tree.

Why: the kernel reads an 'int' or 'unsigned int' syscall argument as 32
bits and ignores the upper half of the 64-bit register, which the caller
can fill with anything.  A filter that compares such an argument on 64
bits can be walked around (socket(0x100000028, ...) is an AF_VSOCK socket
to the kernel but not to a 64-bit '!= 40'), so leash compares it on its
low 32 bits (docs/language.md section 4, "Argument width").  Which arguments
those are is a fact of the kernel source, so it is generated, not typed.

How:
 1. Every SYSCALL_DEFINEn / COMPAT_SYSCALL_DEFINEn (and powerpc's
    PPC32_SYSCALL_DEFINEn) in the generic code and in the arch
    directories of the arches leash supports is parsed, with the #if
    conditions around it.  Entry points that have no SYSCALL_DEFINE (old
    arch code that still says 'asmlinkage long sys_foo(...)') are taken
    from those definitions or prototypes instead.
 2. Each arch's syscall table (syscall*.tbl, asm-generic/unistd.h, arm64's
    unistd32.h for arm) maps a syscall name to its entry point; the entry
    point is resolved to a definition *for that arch* (its own arch
    directory, else the generic code; several generic definitions of one
    entry point, like clone's four, are told apart by the arch's Kconfig).
 3. Each argument's width is the width of its declared type on a 64-bit
    kernel: pointers and longs 64, ints 32, umode_t 16.  A type not in the
    explicit map below is an error: guessing a width is how filters get
    bypassed.
 4. One signature per name goes in the table: the one most 64-bit arches
    share, from generic code where there is one (x86_64 first on a
    tie); for a name only 32-bit ABIs have, theirs.  Where an arch's
    own signature has a different count, width or names (clone's argument
    order on s390x, mmap's single struct pointer on s390x, the 16-bit uid
    syscalls of i386 and arm, the split 64-bit offsets of 32-bit ABIs) it
    is emitted as a per-arch override.  On 32-bit ABIs every register is
    32 bits, so widths there are compared with 64 folded to 32.
 5. Syscalls newer than the source (NEWER_SIGNATURES below) are added by
    hand, each citing its upstream SYSCALL_DEFINE.

Usage:
  tools/gen-sigs.py [SOURCE] [OUTPUT]
    SOURCE  a kernel tree, or a linux-source-X.Y.tar.xz read in place
            (default: /usr/src/linux-source-6.1.tar.xz, Debian's
            linux-source-6.1 package)
    OUTPUT  default: compiler/common/sigs-table.h next to this script; '-' for
            stdout
  A summary (counts, per-arch differences, names without a signature) is
  printed on stderr.  Python 3 standard library only.
"""

import os
import re
import sys
import tarfile

DEFAULT_SOURCE = "/usr/src/linux-source-6.1.tar.xz"
LIBSECCOMP_HEADER = "/usr/include/seccomp-syscalls.h"


class GenError(Exception):
    pass


# ---------------------------------------------------------------------------
# Type widths.
#
# Width in bits of a scalar argument type as the SYSCALL_DEFINE wrapper
# reads it on a 64-bit kernel: the wrapper takes every register as a long
# and casts it to the declared type, so an 'int' keeps only the low 32 bits
# and a 'umode_t' the low 16.  Typedefs are resolved here by hand (the
# kernel headers say what each is); anything else is an error, on purpose.

TYPE_WIDTHS = {
    # 64 bits: long-sized on every 64-bit arch leash supports (LP64).
    "long": 64, "unsigned long": 64, "signed long": 64,
    "long long": 64, "unsigned long long": 64,
    "size_t": 64, "ssize_t": 64,                # (unsigned) long
    "off_t": 64,                                # __kernel_off_t: long
    "loff_t": 64,                               # long long
    "u64": 64, "__u64": 64, "s64": 64, "__s64": 64,
    "uintptr_t": 64,                            # unsigned long
    "aio_context_t": 64,                        # __kernel_ulong_t
    "old_sigset_t": 64,                         # unsigned long on every arch
    "__kernel_ulong_t": 64, "__kernel_long_t": 64,
    "caddr_t": 64,                              # __kernel_caddr_t: char *
    # Pointer typedefs.
    "__sighandler_t": 64,                       # void (*)(int)
    "cap_user_header_t": 64,                    # __user_cap_header_struct *
    "cap_user_data_t": 64,                      # __user_cap_data_struct *
    # 32 bits.
    "int": 32, "unsigned int": 32, "unsigned": 32, "signed int": 32,
    "signed": 32, "uint": 32,
    "u32": 32, "__u32": 32, "s32": 32, "__s32": 32,
    "uint32_t": 32, "int32_t": 32,
    "pid_t": 32,                                # __kernel_pid_t: int
    "uid_t": 32, "gid_t": 32,                   # __kernel_uid32_t: unsigned int
    "qid_t": 32,                                # __kernel_uid32_t
    "clockid_t": 32,                            # __kernel_clockid_t: int
    "timer_t": 32,                              # __kernel_timer_t: int
    "mqd_t": 32,                                # __kernel_mqd_t: int
    "key_t": 32,                                # __kernel_key_t: int
    "key_serial_t": 32,                         # int32_t
    "rwf_t": 32,                                # __kernel_rwf_t: int
    "__kernel_rwf_t": 32,
    # The compat types of 32-bit ABIs (include/linux/compat.h,
    # include/asm-generic/compat.h).
    "compat_long_t": 32, "compat_ulong_t": 32, "compat_uptr_t": 32,
    "compat_size_t": 32, "compat_ssize_t": 32, "compat_off_t": 32,
    "compat_pid_t": 32, "compat_uint_t": 32, "compat_int_t": 32,
    "compat_aio_context_t": 32, "compat_caddr_t": 32,
    "compat_old_sigset_t": 32, "compat_timer_t": 32, "compat_key_t": 32,
    "compat_clock_t": 32, "compat_time_t": 32,
    # 16 bits.
    "umode_t": 16,                              # unsigned short
    "unsigned short": 16, "short": 16, "u16": 16, "__u16": 16,
    "s16": 16, "__s16": 16,
    # __kernel_old_uid_t: unsigned short where the 16-bit uid syscalls
    # exist (x86, arm, s390 31-bit: posix_types.h of x86, arm64 for its
    # compat arm ABI, s390).  ppc and mips have no uid16 syscalls.
    "old_uid_t": 16, "old_gid_t": 16,
    # compat_mode_t: u16 on x86, arm64 and s390 (asm/compat.h); the
    # asm-generic u32 is used only by arches leash does not support.
    "compat_mode_t": 16,
    # 8 bits.
    "u8": 8, "__u8": 8, "unsigned char": 8, "char": 8, "s8": 8,
}

# 64-bit scalars that a 32-bit ABI passes in a register pair, so that the
# argument positions after them differ from the 64-bit signature.
SPLIT_ON_32 = {"loff_t", "u64", "__u64", "s64", "__s64", "long long",
               "unsigned long long"}

QUALIFIERS = re.compile(r"\b(const|volatile|__user|__force|restrict|"
                        r"__restrict)\b")


def norm_type(t):
    return " ".join(QUALIFIERS.sub(" ", t).split())


def type_width(t, where):
    """Width in bits of declared type @t on a 64-bit kernel."""
    t = norm_type(t)
    if "*" in t or "[" in t:
        return 64
    if t.startswith("enum "):
        return 32       # every enum passed to a syscall fits an int
    if t in TYPE_WIDTHS:
        return TYPE_WIDTHS[t]
    raise GenError("%s: unknown argument type '%s': add it to TYPE_WIDTHS "
                   "with the width its typedef has" % (where, t))


# ---------------------------------------------------------------------------
# Arches.
#
# For each arch leash supports: its directory under arch/, whether its
# registers are 64 bits, which syscall table says name -> entry point, and
# the Kconfig symbols that are true for it (used to evaluate 'select'
# lines and #if conditions when generic code defines one entry point
# several ways).  Arches with identical tables (ppc64/ppc64le,
# mips64/mips64el, mips/mipsel) share one entry and are expanded when the
# table is written.

GENERIC_UNISTD = "include/uapi/asm-generic/unistd.h"

ARCHES = [
    # name, leash enum(s), arch dir, bits, table spec, Kconfig symbols
    ("x86_64", ["ARCH_X86_64"], "x86", 64,
     ("tbl", "arch/x86/entry/syscalls/syscall_64.tbl", {"common", "64"}),
     [("x86", {"X86", "X86_64", "64BIT"})]),
    ("aarch64", ["ARCH_AARCH64"], "arm64", 64, ("generic", None, None),
     [("arm64", {"ARM64", "64BIT"})]),
    ("riscv64", ["ARCH_RISCV64"], "riscv", 64,
     ("generic", "arch/riscv/include/uapi/asm/unistd.h", None),
     [("riscv", {"RISCV", "64BIT"})]),
    ("loongarch64", ["ARCH_LOONGARCH64"], "loongarch", 64,
     ("generic", None, None), [("loongarch", {"LOONGARCH", "64BIT"})]),
    ("ppc64", ["ARCH_PPC64LE", "ARCH_PPC64"], "powerpc", 64,
     ("tbl", "arch/powerpc/kernel/syscalls/syscall.tbl",
      {"common", "64", "nospu"}),
     [("powerpc", {"PPC", "PPC64", "64BIT"})]),
    ("s390x", ["ARCH_S390X"], "s390", 64,
     ("tbl", "arch/s390/kernel/syscalls/syscall.tbl", {"common", "64"}),
     [("s390", {"S390", "64BIT"})]),
    ("mips64", ["ARCH_MIPS64", "ARCH_MIPS64EL"], "mips", 64,
     ("tbl", "arch/mips/kernel/syscalls/syscall_n64.tbl", {"n64"}),
     [("mips", {"MIPS", "64BIT"})]),
    # x32 runs with 64-bit registers: its native entries read them whole,
    # its compat entries as their compat types.
    ("x32", ["ARCH_X32"], "x86", 64,
     ("tbl", "arch/x86/entry/syscalls/syscall_64.tbl", {"common", "x32"}),
     [("x86", {"X86", "X86_64", "64BIT", "X86_X32_ABI"})]),
    # 32-bit ABIs: the compat entry (what a 64-bit kernel runs) is
    # preferred, because compat definitions spell out how a 64-bit value
    # is split over two registers; a native 32-bit kernel uses the same
    # register layout.
    ("x86", ["ARCH_X86"], "x86", 32,
     ("tbl32", "arch/x86/entry/syscalls/syscall_32.tbl", {"i386"}),
     [("x86", {"X86", "X86_32", "IA32_EMULATION", "COMPAT_32"})]),
    ("arm", ["ARCH_ARM"], "arm", 32,
     ("arm", "arch/arm/tools/syscall.tbl", {"common", "eabi"}),
     [("arm", {"ARM"}), ("arm64", {"ARM64", "COMPAT"})]),
    ("ppc", ["ARCH_PPC"], "powerpc", 32,
     ("tbl32", "arch/powerpc/kernel/syscalls/syscall.tbl",
      {"common", "32", "nospu"}),
     [("powerpc", {"PPC", "PPC32", "COMPAT"})]),
    ("s390", ["ARCH_S390"], "s390", 32,
     ("tbl32", "arch/s390/kernel/syscalls/syscall.tbl", {"common", "32"}),
     [("s390", {"S390", "COMPAT"})]),
    ("mips", ["ARCH_MIPS", "ARCH_MIPSEL"], "mips", 32,
     ("tbl32", "arch/mips/kernel/syscalls/syscall_o32.tbl", {"o32"}),
     [("mips", {"MIPS", "32BIT", "MIPS32_O32"})]),
]
ARCH_DIRS = sorted({a[2] for a in ARCHES} | {"arm64"})
# Where the primary signature of a name comes from, in order.
PRIMARY_ORDER = ["x86_64", "aarch64", "riscv64", "loongarch64", "ppc64",
                 "s390x", "mips64", "x32", "x86", "arm", "ppc", "s390",
                 "mips"]

# Preprocessor symbols true for every arch (all are MMU, POSIX-timer
# kernels), used only to pick between generic definitions.
COMMON_CONFIG = {"CONFIG_MMU": True, "CONFIG_POSIX_TIMERS": True}


# ---------------------------------------------------------------------------
# Reading the source.

def wanted(path):
    """Whether @path (relative to the tree) is read at all."""
    parts = path.split("/")
    if parts[0] in ("Documentation", "tools", "samples", "scripts", "usr",
                    "LICENSES"):
        return False
    if parts[0] == "arch":
        if len(parts) < 3 or parts[1] not in ARCH_DIRS:
            return False
        if parts[2] in ("um", "boot"):  # arch/x86/um is User-mode Linux
            return False
        if parts[-1] in ("Kconfig",) or parts[-1].endswith(".tbl"):
            return True
    elif path == "Makefile":
        return True
    return path.endswith((".c", ".h"))


def keep(path, text):
    """Whether to keep @text in memory (most files define no syscall)."""
    return (not path.endswith((".c", ".h")) or path == GENERIC_UNISTD
            or path.endswith("/unistd.h") or path.endswith("/unistd32.h")
            or "SYSCALL_DEFINE" in text or "asmlinkage" in text)


def read_tree(src):
    files = {}
    if os.path.isdir(src):
        for dp, dns, fns in os.walk(src):
            dns.sort()
            for fn in fns:
                full = os.path.join(dp, fn)
                rel = os.path.relpath(full, src)
                if not wanted(rel) or os.path.islink(full):
                    continue
                with open(full, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                if keep(rel, text):
                    files[rel] = text
    else:
        read_tarball(src, files)
    if "Makefile" not in files:
        raise GenError("%s: no kernel source found" % src)
    return files


def read_tarball(src, files):
    """A tarball is read as a stream: extracting it takes ~1.4 GB."""
    with tarfile.open(src, "r|*") as tar:
        for m in tar:
            if not m.isfile():
                continue
            rel = m.name.split("/", 1)[1] if "/" in m.name else m.name
            if not wanted(rel):
                continue
            text = tar.extractfile(m).read().decode("utf-8", "replace")
            if keep(rel, text):
                files[rel] = text


def kernel_version(files):
    mk = files.get("Makefile", "")
    v = {}
    for key in ("VERSION", "PATCHLEVEL", "SUBLEVEL"):
        m = re.search(r"^%s = (\d+)" % key, mk, re.M)
        if not m:
            raise GenError("Makefile: no %s: not a kernel tree?" % key)
        v[key] = m.group(1)
    return "%s.%s.%s" % (v["VERSION"], v["PATCHLEVEL"], v["SUBLEVEL"])


COMMENT_RE = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'
                        r"'(?:\\.|[^'\\\n])*'", re.S)


def strip_comments(text):
    """Blank out comments, keeping line numbers (strings are kept)."""
    def repl(m):
        s = m.group(0)
        if s[0] in "\"'":
            return s
        return " " + "\n" * s.count("\n")
    return COMMENT_RE.sub(repl, text)


def conditions_by_line(lines):
    """
    For each line, the tuple of preprocessor conditions it sits under,
    each a C expression string; a branch of #elif/#else carries the
    negation of the earlier branches.
    """
    out = []
    stack = []          # per #if: (earlier branch conditions, current one)
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        first = i
        while line.endswith("\\") and i + 1 < n:
            i += 1
            line = line[:-1] + " " + lines[i]
        conds = tuple(c for prev, cur in stack
                      for c in ["!(%s)" % p for p in prev] + [cur] if c)
        out.extend([conds] * (i - first + 1))
        m = re.match(r"\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)", line)
        i += 1
        if not m:
            continue
        kw, rest = m.group(1), m.group(2).strip()
        if kw == "ifdef":
            stack.append(([], "defined(%s)" % rest.split()[0]))
        elif kw == "ifndef":
            stack.append(([], "!defined(%s)" % rest.split()[0]))
        elif kw == "if":
            stack.append(([], rest))
        elif not stack:
            continue            # unbalanced: leave it to the compiler
        elif kw == "elif":
            prev, cur = stack[-1]
            stack[-1] = (prev + [cur], rest)
        elif kw == "else":
            prev, cur = stack[-1]
            stack[-1] = (prev + [cur], None)
        else:
            stack.pop()
    return out


# ---------------------------------------------------------------------------
# Definitions.

class Def:
    """One definition (or prototype) of a syscall entry point."""

    def __init__(self, symbol, path, line, args, conds, kind):
        self.symbol = symbol    # "sys_read", "compat_sys_open", ...
        self.path = path
        self.line = line
        self.args = args        # [(type, name)]
        self.conds = conds
        self.kind = kind        # "define" or "asmlinkage"
        where = "%s:%d" % (path, line)
        self.widths = [type_width(t, where) for t, _ in args]
        self.types = [norm_type(t) for t, _ in args]

    @property
    def arch_dir(self):
        p = self.path.split("/")
        return p[1] if p[0] == "arch" else None

    def key(self):
        return (tuple(self.types), tuple(n for _, n in self.args))

    def where(self):
        return "%s:%d" % (self.path, self.line)


DEFINE_RE = re.compile(r"^(COMPAT_SYSCALL_DEFINE|SYSCALL_DEFINE|"
                       r"PPC32_SYSCALL_DEFINE|SYSCALL32_DEFINE)([0-6])\(",
                       re.M)
# Macros that stand for two u32 arguments (the halves of a 64-bit value)
# in 32-bit ABI definitions: include/asm-generic/compat.h, arm64 sys32.c,
# include/linux/syscalls.h.
PAIR_MACROS = re.compile(r"^(compat_arg_u64_dual|arg_u32p|SC_ARG64)"
                         r"\((\w+)\)$")
ASMLINKAGE_RE = re.compile(
    r"^\s*asmlinkage\s+((?:\w+\s+)*?)\**\s*(\w+)\s*\(([^;{)]*)\)\s*([;{])",
    re.M)


def split_top(s):
    """Split @s at commas outside parentheses."""
    out, depth, cur = [], 0, []
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


def balanced(text, start):
    """Index of the ')' that closes the '(' just before @start."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise GenError("unbalanced parentheses")


def parse_defines(path, text, lines_conds, defs):
    for m in DEFINE_RE.finditer(text):
        macro, n = m.group(1), int(m.group(2))
        end = balanced(text, m.end())
        items = split_top(text[m.end():end])
        line = text.count("\n", 0, m.start()) + 1
        where = "%s:%d" % (path, line)
        name, rest = items[0], []
        for it in items[1:]:
            pm = PAIR_MACROS.match(it)
            if pm:
                base = pm.group(2)
                rest += ["u32", base + "_lo", "u32", base + "_hi"]
            else:
                rest.append(it)
        if len(rest) != 2 * n:
            raise GenError("%s: %s%d(%s) has %d items, expected %d"
                           % (where, macro, n, name, len(rest), 2 * n))
        args = [(rest[2 * k], rest[2 * k + 1]) for k in range(n)]
        conds = lines_conds[line - 1]
        if macro == "SYSCALL_DEFINE":
            syms = ["sys_" + name]
        elif macro in ("COMPAT_SYSCALL_DEFINE", "SYSCALL32_DEFINE"):
            # SYSCALL32_DEFINE is native only on 32-bit kernels with
            # CONFIG_ARCH_SPLIT_ARG64; leash reads 32-bit ABIs through
            # their compat entries, so it counts as compat here.
            syms = ["compat_sys_" + name]
        else:   # powerpc: native on ppc32, compat on ppc64
            syms = ["sys_" + name, "compat_sys_" + name]
        for s in syms:
            defs.setdefault(s, []).append(
                Def(s, path, line, args, conds, "define"))


def parse_param(p, where, idx):
    """'const char __user *filename' -> ('const char __user *', 'filename')"""
    p = p.strip()
    # A prototype may leave the name out: 'uintptr_t', 'char __user *'.
    if p.endswith("*") or norm_type(p) in TYPE_WIDTHS:
        return (p, "arg%d" % idx)
    m = re.match(r"^(.*?)(\w+)\s*(\[\s*\])?$", p)
    if not m or not m.group(1).strip():
        raise GenError("%s: cannot parse parameter '%s'" % (where, p))
    t = m.group(1).strip()
    if m.group(3):
        t += " *"
    return (t, m.group(2))


def parse_asmlinkage(path, text, lines_conds, protos):
    for m in ASMLINKAGE_RE.finditer(text):
        sym, params = m.group(2), m.group(3).strip()
        if "sys" not in sym:
            continue
        if m.group(4) == ";" and not path.startswith("arch/"):
            # include/linux/syscalls.h and compat.h declare every
            # SYSCALL_DEFINE, also of syscalls compiled out since
            # (lookup_dcookie in 6.1): only an arch's own prototype of
            # an assembly entry point says something the C does not.
            continue
        line = text.count("\n", 0, m.start()) + 1
        where = "%s:%d" % (path, line)
        if params in ("", "void"):
            args = []
        else:
            args = [parse_param(p, where, k)
                    for k, p in enumerate(split_top(params))]
        if any("pt_regs" in t for t, _ in args):
            # an entry taking the register frame: no C-level arguments
            # to describe (rt_sigreturn and friends on old arches)
            args = None
        try:
            d = Def(sym, path, line, args or [], lines_conds[line - 1],
                    "asmlinkage")
        except GenError:
            continue    # not a syscall after all (e.g. a helper)
        d.regs_only = args is None
        # Definitions ('{') win over prototypes (';').
        d.is_body = m.group(4) == "{"
        protos.setdefault(sym, []).append(d)


def collect_defs(files):
    defs, protos = {}, {}
    for path in sorted(files):
        if not path.endswith((".c", ".h")):
            continue
        text = files[path]
        if "SYSCALL_DEFINE" not in text and "asmlinkage" not in text:
            continue
        text = strip_comments(text)
        conds = conditions_by_line(text.split("\n"))
        if "SYSCALL_DEFINE" in text:
            parse_defines(path, text, conds, defs)
        if "asmlinkage" in text:
            parse_asmlinkage(path, text, conds, protos)
    return defs, protos


# ---------------------------------------------------------------------------
# Syscall tables: name -> entry point(s) per arch.

def parse_tbl(text, abis, col):
    out = {}
    for line in text.split("\n"):
        line = line.split("#", 1)[0].split()
        if len(line) < 3 or line[1] not in abis:
            continue
        entry = line[col] if len(line) > col else None
        out.setdefault(line[2], entry)
    return out


def parse_unistd(text, bits=64):
    """asm-generic style: '#define __NR_x N' then '__SYSCALL(__NR_x, sys_x)'."""
    out = {}
    text = strip_comments(text).replace("\\\n", " ")
    for m in re.finditer(r"^(__SYSCALL|__SC_COMP|__SC_3264|__SC_COMP_3264)"
                         r"\(([^)]*)\)", text, re.M):
        items = [x.strip() for x in m.group(2).split(",")]
        nr = items[0]
        if not nr.startswith("__NR"):
            continue
        name = re.sub(r"^__NR(3264)?_", "", nr)
        macro = m.group(1)
        if macro == "__SYSCALL":
            entry = items[1]
        elif macro == "__SC_COMP":
            entry = items[1] if bits == 64 else items[2]
        elif macro == "__SC_3264":
            entry = items[2] if bits == 64 else items[1]
        else:   # __SC_COMP_3264(nr, _32, _64, _comp)
            entry = items[2] if bits == 64 else items[3]
        out.setdefault(name, entry)
    return out


def arch_tables(files):
    """
    {arch: {name: [(entry point, compat?), fallback...]}}: compat? says
    the entry comes from a compat table, whose definitions take one
    register per C argument.
    """
    def need(path):
        if path not in files:
            raise GenError("%s: missing from the source" % path)
        return files[path]

    tables = {}
    for name, _, adir, bits, spec, _ in ARCHES:
        kind, path, abis = spec
        t = {}
        if kind == "tbl":
            for k, e in parse_tbl(need(path), abis, 3).items():
                t[k] = [(e, True)]
        elif kind == "tbl32":
            native = parse_tbl(need(path), abis, 3)
            compat = parse_tbl(need(path), abis, 4)
            for k in native:
                t[k] = [(compat[k], True)] if compat.get(k) else []
                t[k].append((native[k], False))
        elif kind == "generic":
            for k, e in parse_unistd(need(GENERIC_UNISTD)).items():
                t[k] = [(e, True)]
            if path:
                for k, e in parse_unistd(need(path)).items():
                    t[k] = [(e, True)]
        elif kind == "arm":
            # arm64's compat table first (its compat_sys_* split 64-bit
            # values explicitly), then arm's own.
            # A few names differ (arm's arm_sync_file_range is arm64's
            # sync_file_range2): match those by number.
            unistd32 = need("arch/arm64/include/asm/unistd32.h")
            compat = parse_unistd(unistd32)
            compat_nr = {}
            for m in re.finditer(r"^#define __NR_(\w+)\s+(\d+)\s*$",
                                 unistd32, re.M):
                if m.group(1) in compat:
                    compat_nr[int(m.group(2))] = compat[m.group(1)]
            native = parse_tbl(need(path), abis, 3)
            native_nr = parse_tbl(need(path), abis, 0)
            for k in set(compat) | set(native):
                e = compat.get(k)
                if e is None and k in native_nr:
                    e = compat_nr.get(int(native_nr[k]))
                t[k] = [(e, True)] if e else []
                if k in native:
                    t[k].append((native[k], False))
        tables[name] = t
    return tables


# ---------------------------------------------------------------------------
# Kconfig: the few options by which generic code defines one entry point
# in different ways (clone's argument order, sigsuspend's argument count).
# An arch's view is the union of the Kconfig blocks listed for it in
# ARCHES: for a 32-bit ABI both the native kernel's and the 64-bit
# kernel's compat blocks (they agree).

CHOICE_SYMBOLS = ("CLONE_BACKWARDS", "CLONE_BACKWARDS2", "CLONE_BACKWARDS3",
                  "OLD_SIGSUSPEND", "OLD_SIGSUSPEND3", "OLD_SIGACTION",
                  "COMPAT_OLD_SIGACTION")


def kconfig_selects(files, adir):
    """[(block, symbol, condition)] for the CHOICE_SYMBOLS in arch/@adir."""
    path = "arch/%s/Kconfig" % adir
    if path not in files:
        raise GenError("%s: missing from the source" % path)
    out, block = [], None
    for line in files[path].split("\n"):
        m = re.match(r"^(?:menu)?config\s+(\w+)", line)
        if m:
            block = m.group(1)
            continue
        m = re.match(r"^\s+select\s+(\w+)\s*(?:if\s+(.*?))?\s*(#.*)?$",
                     line)
        if m and m.group(1) in CHOICE_SYMBOLS:
            out.append((block, m.group(1), (m.group(2) or "").strip()))
    return out


def arch_config(files):
    known = {}          # arch dir -> every block some arch says is true
    for a in ARCHES:
        for adir, blocks in a[5]:
            known.setdefault(adir, set()).update(blocks)
    selects = {adir: kconfig_selects(files, adir) for adir in known}
    for adir, sels in selects.items():
        for block, sym, cond in sels:
            if block not in known[adir]:
                raise GenError("arch/%s/Kconfig: 'select %s' under 'config "
                               "%s', which no arch in ARCHES lists: say "
                               "which arches have it" % (adir, sym, block))
    configs = {}
    for name, _, _, _, _, kconf in ARCHES:
        cfg = dict(COMMON_CONFIG)
        for sym in CHOICE_SYMBOLS:
            cfg["CONFIG_" + sym] = False
        for adir, blocks in kconf:
            for block, sym, cond in selects[adir]:
                if block not in blocks:
                    continue
                if cond:
                    m = re.match(r"^(!?)(\w+)$", cond)
                    if not m or m.group(2) not in known[adir]:
                        raise GenError("arch/%s/Kconfig: 'select %s if %s' "
                                       "not understood" % (adir, sym, cond))
                    if (m.group(2) in blocks) == (m.group(1) == "!"):
                        continue
                cfg["CONFIG_" + sym] = True
        configs[name] = cfg
    return configs


def eval_conds(conds, cfg, where):
    """Evaluate #if conditions with @cfg; unknown symbols are an error."""
    for c in conds:
        expr = re.sub(r"defined\s*\(\s*(\w+)\s*\)", r"\1", c)
        expr = re.sub(r"defined\s+(\w+)", r"\1", expr)
        py = expr.replace("&&", " and ").replace("||", " or ")
        py = re.sub(r"!(?!=)", " not ", py)

        def sym(m):
            s = m.group(0)
            if s in ("and", "or", "not"):
                return s
            if s not in cfg:
                raise GenError("%s: cannot decide '#if %s': add %s to the "
                               "arch config" % (where, c, s))
            return "True" if cfg[s] else "False"
        py = re.sub(r"\b[A-Za-z_]\w*\b", sym, py)
        if not eval(py, {"__builtins__": {}}):
            return False
    return True


# ---------------------------------------------------------------------------
# Resolving an entry point to a signature on one arch.

class Sig:
    def __init__(self, name, args, widths, source, note=None):
        self.name = name
        self.args = args                # names
        self.widths = widths
        self.source = source            # "fs/read_write.c" or a citation
        self.note = note

    def key(self, bits=64):
        w = self.widths if bits == 64 else [min(x, 32) for x in self.widths]
        return (len(self.args), tuple(w))


def candidates(symbol, adir, defs, protos):
    """Definitions of @symbol that can apply to arch directory @adir."""
    dirs = {adir}
    if adir == "arm":
        dirs.add("arm64")       # arm's compat entries live in arm64
    for table in (defs, protos):
        found = [d for d in table.get(symbol, [])
                 if d.arch_dir is None or d.arch_dir in dirs]
        if table is protos:
            # a body beats a prototype; an arch's own beats generic
            bodies = [d for d in found if d.is_body]
            found = bodies or found
        own = [d for d in found if d.arch_dir is not None]
        found = own or found
        if found:
            return found
    return []


def entry_symbols(entry):
    """Symbols to try for a table entry point, most specific first."""
    syms = [entry]
    if entry.startswith("__"):
        syms.append(entry.lstrip("_"))  # mips __sys_clone -> sys_clone
    for pre in ("__x64_", "__ia32_", "__x32_", "__arm64_", "__riscv_",
                "__s390_", "__s390x_"):
        if entry.startswith(pre):
            syms.append(entry[len(pre):])
    return syms


def resolve(arch, entry, defs, protos, cfg):
    """(Def or None, reason)"""
    name, _, adir, bits, _, _ = arch
    if entry in (None, "-", "sys_ni_syscall"):
        return None, "not implemented"
    for sym in entry_symbols(entry):
        found = candidates(sym, adir, defs, protos)
        if not found:
            continue
        if any(getattr(d, "regs_only", False) for d in found):
            return None, "entry point %s takes struct pt_regs" % sym
        # Same signature in several files: name the one this arch builds
        # (arch_prctl is in both process_32.c and process_64.c).
        other = "64" if bits == 32 else "32"
        found.sort(key=lambda d: other in os.path.basename(d.path))
        distinct = {}
        for d in found:
            distinct.setdefault(d.key(), d)
        if len(distinct) > 1:
            where = "%s on %s" % (sym, name)
            # Only the conditions that tell them apart are evaluated
            # (clone's four sit under one '#ifdef __ARCH_WANT_SYS_CLONE').
            ds = list(distinct.values())
            common = 0
            while all(len(d.conds) > common and
                      d.conds[common] == ds[0].conds[common] for d in ds):
                common += 1
            chosen = [d for d in ds
                      if eval_conds(d.conds[common:], cfg, d.where())]
            if len(chosen) > 1:
                # Arch directories split 32- and 64-bit code by file
                # (powerpc pci_32.c/pci_64.c, signal_32.c/signal_64.c),
                # chosen by the arch Makefile.
                by_file = [d for d in chosen
                           if other not in os.path.basename(d.path)]
                if len(by_file) == 1:
                    chosen = by_file
            if len(chosen) != 1:
                raise GenError("%s: %d definitions apply (%s)"
                               % (where, len(chosen),
                                  ", ".join(d.where() for d in
                                            distinct.values())))
            return chosen[0], None
        return next(iter(distinct.values())), None
    return None, "no definition of %s" % entry


def sig_from_def(name, d):
    args, widths = [n for _, n in d.args], list(d.widths)
    note = None
    if len(args) > 6:
        # mips o32 passes arguments 5.. on the stack and seccomp shows
        # the first six only (sys32_fadvise64_64 has seven).
        note = "%d C arguments, seccomp sees 6" % len(args)
        args, widths = args[:6], widths[:6]
    if d.kind == "asmlinkage":
        note = (note + "; " if note else "") + "asmlinkage " + (
            "definition" if d.is_body else "prototype")
    return Sig(name, args, widths, "%s:%d" % (d.path, d.line), note)


# ---------------------------------------------------------------------------
# Syscalls newer than the source.
#
# Written as their upstream SYSCALL_DEFINE argument lists (type, name) so
# they go through the same width map.  Each is the definition in Linux's
# mainline as of the release named; none of them exists in 6.1 (checked:
# the script fails if one does).

NEWER_SIGNATURES = [
    # Linux 6.5, mm/filemap.c: SYSCALL_DEFINE4(cachestat, unsigned int, fd,
    #   struct cachestat_range __user *, cstat_range,
    #   struct cachestat __user *, cstat, unsigned int, flags)
    ("cachestat", "mm/filemap.c (Linux 6.5)",
     [("unsigned int", "fd"),
      ("struct cachestat_range __user *", "cstat_range"),
      ("struct cachestat __user *", "cstat"), ("unsigned int", "flags")]),
    # Linux 6.6, fs/open.c: SYSCALL_DEFINE4(fchmodat2, int, dfd,
    #   const char __user *, filename, umode_t, mode, unsigned int, flags)
    ("fchmodat2", "fs/open.c (Linux 6.6)",
     [("int", "dfd"), ("const char __user *", "filename"),
      ("umode_t", "mode"), ("unsigned int", "flags")]),
    # Linux 6.6, arch/x86/kernel/shstk.c: SYSCALL_DEFINE3(map_shadow_stack,
    #   unsigned long, addr, unsigned long, size, unsigned int, flags)
    ("map_shadow_stack", "arch/x86/kernel/shstk.c (Linux 6.6)",
     [("unsigned long", "addr"), ("unsigned long", "size"),
      ("unsigned int", "flags")]),
    # Linux 6.7, kernel/futex/syscalls.c: SYSCALL_DEFINE4(futex_wake,
    #   void __user *, uaddr, unsigned long, mask, int, nr,
    #   unsigned int, flags)
    ("futex_wake", "kernel/futex/syscalls.c (Linux 6.7)",
     [("void __user *", "uaddr"), ("unsigned long", "mask"), ("int", "nr"),
      ("unsigned int", "flags")]),
    # Linux 6.7, kernel/futex/syscalls.c: SYSCALL_DEFINE6(futex_wait,
    #   void __user *, uaddr, unsigned long, val, unsigned long, mask,
    #   unsigned int, flags, struct __kernel_timespec __user *, timeout,
    #   clockid_t, clockid)
    ("futex_wait", "kernel/futex/syscalls.c (Linux 6.7)",
     [("void __user *", "uaddr"), ("unsigned long", "val"),
      ("unsigned long", "mask"), ("unsigned int", "flags"),
      ("struct __kernel_timespec __user *", "timeout"),
      ("clockid_t", "clockid")]),
    # Linux 6.7, kernel/futex/syscalls.c: SYSCALL_DEFINE4(futex_requeue,
    #   struct futex_waitv __user *, waiters, unsigned int, flags,
    #   int, nr_wake, int, nr_requeue)
    ("futex_requeue", "kernel/futex/syscalls.c (Linux 6.7)",
     [("struct futex_waitv __user *", "waiters"), ("unsigned int", "flags"),
      ("int", "nr_wake"), ("int", "nr_requeue")]),
    # Linux 6.8, fs/namespace.c: SYSCALL_DEFINE4(statmount,
    #   const struct mnt_id_req __user *, req, struct statmount __user *,
    #   buf, size_t, bufsize, unsigned int, flags)
    ("statmount", "fs/namespace.c (Linux 6.8)",
     [("const struct mnt_id_req __user *", "req"),
      ("struct statmount __user *", "buf"), ("size_t", "bufsize"),
      ("unsigned int", "flags")]),
    # Linux 6.8, fs/namespace.c: SYSCALL_DEFINE4(listmount,
    #   const struct mnt_id_req __user *, req, u64 __user *, mnt_ids,
    #   size_t, nr_mnt_ids, unsigned int, flags)
    ("listmount", "fs/namespace.c (Linux 6.8)",
     [("const struct mnt_id_req __user *", "req"),
      ("u64 __user *", "mnt_ids"), ("size_t", "nr_mnt_ids"),
      ("unsigned int", "flags")]),
    # Linux 6.8, security/lsm_syscalls.c: SYSCALL_DEFINE4(lsm_get_self_attr,
    #   unsigned int, attr, struct lsm_ctx __user *, ctx,
    #   u32 __user *, size, u32, flags)
    ("lsm_get_self_attr", "security/lsm_syscalls.c (Linux 6.8)",
     [("unsigned int", "attr"), ("struct lsm_ctx __user *", "ctx"),
      ("u32 __user *", "size"), ("u32", "flags")]),
    # Linux 6.8, security/lsm_syscalls.c: SYSCALL_DEFINE4(lsm_set_self_attr,
    #   unsigned int, attr, struct lsm_ctx __user *, ctx, u32, size,
    #   u32, flags)
    ("lsm_set_self_attr", "security/lsm_syscalls.c (Linux 6.8)",
     [("unsigned int", "attr"), ("struct lsm_ctx __user *", "ctx"),
      ("u32", "size"), ("u32", "flags")]),
    # Linux 6.8, security/lsm_syscalls.c: SYSCALL_DEFINE3(lsm_list_modules,
    #   u64 __user *, ids, u32 __user *, size, u32, flags)
    ("lsm_list_modules", "security/lsm_syscalls.c (Linux 6.8)",
     [("u64 __user *", "ids"), ("u32 __user *", "size"), ("u32", "flags")]),
    # Linux 6.10, mm/mseal.c: SYSCALL_DEFINE3(mseal, unsigned long, start,
    #   size_t, len, unsigned long, flags)
    ("mseal", "mm/mseal.c (Linux 6.10)",
     [("unsigned long", "start"), ("size_t", "len"),
      ("unsigned long", "flags")]),
    # Linux 6.13, fs/xattr.c: SYSCALL_DEFINE6(setxattrat, int, dfd,
    #   const char __user *, pathname, unsigned int, at_flags,
    #   const char __user *, name, const struct xattr_args __user *, uargs,
    #   size_t, usize)
    ("setxattrat", "fs/xattr.c (Linux 6.13)",
     [("int", "dfd"), ("const char __user *", "pathname"),
      ("unsigned int", "at_flags"), ("const char __user *", "name"),
      ("const struct xattr_args __user *", "uargs"), ("size_t", "usize")]),
    # Linux 6.13, fs/xattr.c: SYSCALL_DEFINE6(getxattrat, int, dfd,
    #   const char __user *, pathname, unsigned int, at_flags,
    #   const char __user *, name, struct xattr_args __user *, uargs,
    #   size_t, usize)
    ("getxattrat", "fs/xattr.c (Linux 6.13)",
     [("int", "dfd"), ("const char __user *", "pathname"),
      ("unsigned int", "at_flags"), ("const char __user *", "name"),
      ("struct xattr_args __user *", "uargs"), ("size_t", "usize")]),
    # Linux 6.13, fs/xattr.c: SYSCALL_DEFINE5(listxattrat, int, dfd,
    #   const char __user *, pathname, unsigned int, at_flags,
    #   char __user *, list, size_t, size)
    ("listxattrat", "fs/xattr.c (Linux 6.13)",
     [("int", "dfd"), ("const char __user *", "pathname"),
      ("unsigned int", "at_flags"), ("char __user *", "list"),
      ("size_t", "size")]),
    # Linux 6.13, fs/xattr.c: SYSCALL_DEFINE4(removexattrat, int, dfd,
    #   const char __user *, pathname, unsigned int, at_flags,
    #   const char __user *, name)
    ("removexattrat", "fs/xattr.c (Linux 6.13)",
     [("int", "dfd"), ("const char __user *", "pathname"),
      ("unsigned int", "at_flags"), ("const char __user *", "name")]),
    # Linux 6.15, fs/namespace.c: SYSCALL_DEFINE5(open_tree_attr, int, dfd,
    #   const char __user *, filename, unsigned, flags,
    #   struct mount_attr __user *, uattr, size_t, usize)
    ("open_tree_attr", "fs/namespace.c (Linux 6.15)",
     [("int", "dfd"), ("const char __user *", "filename"),
      ("unsigned", "flags"), ("struct mount_attr __user *", "uattr"),
      ("size_t", "usize")]),
    # Linux 6.17, fs/file_attr.c: SYSCALL_DEFINE5(file_getattr, int, dfd,
    #   const char __user *, filename, struct file_attr __user *, ufattr,
    #   size_t, usize, unsigned int, at_flags)
    ("file_getattr", "fs/file_attr.c (Linux 6.17)",
     [("int", "dfd"), ("const char __user *", "filename"),
      ("struct file_attr __user *", "ufattr"), ("size_t", "usize"),
      ("unsigned int", "at_flags")]),
    # Linux 6.17, fs/file_attr.c: SYSCALL_DEFINE5(file_setattr, int, dfd,
    #   const char __user *, filename, struct file_attr __user *, ufattr,
    #   size_t, usize, unsigned int, at_flags)
    ("file_setattr", "fs/file_attr.c (Linux 6.17)",
     [("int", "dfd"), ("const char __user *", "filename"),
      ("struct file_attr __user *", "ufattr"), ("size_t", "usize"),
      ("unsigned int", "at_flags")]),
    # Linux 6.4, arch/riscv/kernel/sys_riscv.c (sys_hwprobe.c since 6.8):
    #   SYSCALL_DEFINE5(riscv_hwprobe, struct riscv_hwprobe __user *, pairs,
    #   size_t, pair_count, size_t, cpusetsize, unsigned long __user *,
    #   cpus, unsigned int, flags)
    ("riscv_hwprobe", "arch/riscv/kernel/sys_riscv.c (Linux 6.4)",
     [("struct riscv_hwprobe __user *", "pairs"), ("size_t", "pair_count"),
      ("size_t", "cpusetsize"), ("unsigned long __user *", "cpus"),
      ("unsigned int", "flags")]),
    # Linux 6.11, arch/x86/kernel/uprobes.c: SYSCALL_DEFINE0(uretprobe)
    ("uretprobe", "arch/x86/kernel/uprobes.c (Linux 6.11)", []),
    # Linux 6.17, arch/x86/kernel/uprobes.c: SYSCALL_DEFINE0(uprobe)
    ("uprobe", "arch/x86/kernel/uprobes.c (Linux 6.17)", []),
]


# ---------------------------------------------------------------------------
# Building the table.

def libseccomp_names():
    try:
        with open(LIBSECCOMP_HEADER) as f:
            text = f.read()
    except OSError as e:
        print("warning: %s: %s: not checking libseccomp's names"
              % (LIBSECCOMP_HEADER, e.strerror), file=sys.stderr)
        return set()
    return set(re.findall(r"^#define __SNR_(\w+)\s", text, re.M))


def build(files):
    defs, protos = collect_defs(files)
    tables = arch_tables(files)
    configs = arch_config(files)
    arches = {a[0]: a for a in ARCHES}

    per_arch = {}               # name -> {arch: Sig}
    unresolved = {}             # name -> {arch: reason}
    split32 = {}                # name -> [arch] (layout not described)
    for aname in PRIMARY_ORDER:
        arch = arches[aname]
        bits = arch[3]
        for name, entries in sorted(tables[aname].items()):
            reasons, d = [], None
            for entry, one_reg_per_arg in entries:
                d, why = resolve(arch, entry, defs, protos, configs[aname])
                if d:
                    break
                reasons.append(why)
            if not d:
                unresolved.setdefault(name, {})[aname] = "; ".join(reasons)
                continue
            if bits == 32 and not one_reg_per_arg and \
                    any(t in SPLIT_ON_32 for t in d.types):
                # a 64-bit value in one C argument: a 32-bit ABI passes it
                # in two registers (aligned to a pair on arm, mips, ppc),
                # so the positions after it are not the C positions.
                split32.setdefault(name, []).append(aname)
                continue
            per_arch.setdefault(name, {})[aname] = sig_from_def(name, d)

    # The primary signature of a name: the one most 64-bit arches share
    # (by count and widths), and within those the one from generic code,
    # in PRIMARY_ORDER.  Majority first, because the generic definition
    # is not always the common one: s390x's mmap is the generic
    # old_mmap(struct mmap_arg_struct *), every other arch has its own
    # six-argument mmap.
    primary = {}
    for name, sigs in per_arch.items():
        groups = {}
        for aname in PRIMARY_ORDER:
            if aname in sigs and arches[aname][3] == 64:
                groups.setdefault(sigs[aname].key(), []).append(aname)
        if groups:
            members = max(groups.values(), key=len)     # first on a tie
            generic = [a for a in members
                       if not sigs[a].source.startswith("arch/")]
            primary[name] = sigs[(generic or members)[0]]
        else:
            primary[name] = next(sigs[a] for a in PRIMARY_ORDER
                                 if a in sigs)

    overrides = []              # (name, arch, Sig)
    for name in sorted(per_arch):
        p = primary[name]
        for aname in PRIMARY_ORDER:
            s = per_arch[name].get(aname)
            if not s or s is p:
                continue
            bits = arches[aname][3]
            if bits == 64:
                differs = s.key() != p.key() or s.args != p.args
            else:
                differs = s.key(32) != p.key(32) or s.args != p.args
            if differs:
                overrides.append((name, aname, s))

    newer = {}
    for name, cite, args in NEWER_SIGNATURES:
        if name in primary:
            raise GenError("%s: defined in the source already: drop it from "
                           "NEWER_SIGNATURES" % name)
        where = "NEWER_SIGNATURES[%s]" % name
        newer[name] = Sig(name, [n for _, n in args],
                          [type_width(t, where) for t, _ in args], cite)
    primary.update(newer)
    return primary, overrides, unresolved, split32, tables, newer


# ---------------------------------------------------------------------------
# Output.

def c_sig(s):
    names = ", ".join('"%s"' % a for a in s.args) if s.args else "NULL"
    widths = ", ".join(str(w) for w in s.widths) if s.widths else "0"
    return '{ "%s", %d, { %s }, { %s } }' % (s.name, len(s.args), names,
                                              widths)


def describe(s):
    return s.source + (" (%s)" % s.note if s.note else "")


def write_table(out, version, src, primary, overrides):
    arches = {a[0]: a for a in ARCHES}
    lines = []
    w = lines.append
    w("/* SPDX-License-Identifier: MIT */")
    w("/*")
    w(" * sigs-table.h - GENERATED by tools/gen-sigs.py from the Linux %s"
      % version)
    w(" * source (%s); do not edit." % os.path.basename(src.rstrip("/")))
    w(" * Regenerate with:")
    w(" *\tpython3 tools/gen-sigs.py /usr/src/linux-source-6.1.tar.xz \\")
    w(" *\t\tcompiler/common/sigs-table.h")
    w(" *")
    w(" * sig_table[]: one signature per syscall name, sorted by name (strcmp")
    w(" * order) for a binary search: the one most 64-bit arches share,")
    w(" * from generic code where there is one.  Widths are those of the")
    w(" * declared C types on a 64-bit kernel (64: pointers, long, size_t,")
    w(" * loff_t; 32: int, unsigned int, pid_t...; 16: umode_t, old_uid_t),")
    w(" * which is what the SYSCALL_DEFINE wrapper keeps of each register.")
    w(" * The comment before each entry says where it was defined.")
    w(" *")
    w(" * sig_overrides[]: the signature of one arch where its own")
    w(" * definition differs in count, widths or names, sorted by name.")
    w(" * On 32-bit ABIs every register is 32 bits, so a width of 64 there")
    w(" * means 32 (sigs.c folds it); they are listed where the layout or a")
    w(" * narrower width differs (uid16 calls, 64-bit offsets split over two")
    w(" * registers) or where only the names do.")
    w(" */")
    w("")
    w("static const struct syscall_sig sig_table[] = {")
    for name in sorted(primary):
        s = primary[name]
        w("\t/* %s */" % describe(s))
        w("\t%s," % c_sig(s))
    w("};")
    w("")
    w("static const struct sig_override sig_overrides[] = {")
    for name, aname, s in sorted(overrides, key=lambda o: (o[0],
                                 PRIMARY_ORDER.index(o[1]))):
        for enum in arches[aname][1]:
            w("\t/* %s: %s */" % (aname, describe(s)))
            w("\t{ %s, %s }," % (enum, c_sig(s)))
    w("};")
    text = "\n".join(lines) + "\n"
    if out == "-":
        sys.stdout.write(text)
    else:
        tmp = out + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, out)


def summary(primary, overrides, unresolved, split32, tables, newer):
    p = lambda *a: print(*a, file=sys.stderr)
    arches = {a[0]: a for a in ARCHES}
    p("gen-sigs: %d signatures (%d from the source, %d by hand), "
      "%d per-arch overrides"
      % (len(primary), len(primary) - len(newer), len(newer),
         len(overrides)))

    p("\nper-arch differences on 64-bit arches (count/width; names only "
      "are not listed):")
    for name, aname, s in sorted(overrides, key=lambda o: o[:2]):
        if arches[aname][3] != 64:
            continue
        g = primary[name]
        if s.key() == g.key():
            continue
        p("  %-22s %-11s %s  (generic: %s)"
          % (name, aname, list(zip(s.args, s.widths)),
             list(zip(g.args, g.widths))))
    p("\n64-bit arches where only argument names or order differ:")
    for name, aname, s in sorted(overrides, key=lambda o: o[:2]):
        if arches[aname][3] == 64 and s.key() == primary[name].key():
            p("  %-22s %-11s %s" % (name, aname, ", ".join(s.args)))
    p("\n32-bit ABIs, widths folded to 32 (narrower than 32 bits, or a "
      "different layout):")
    names_only = 0
    for name, aname, s in sorted(overrides, key=lambda o: o[:2]):
        if arches[aname][3] != 32:
            continue
        if s.key(32) == primary[name].key(32):
            names_only += 1
            continue
        p("  %-22s %-6s %s" % (name, aname,
                               list(zip(s.args, s.widths))))
    p("  (and %d 32-bit overrides that differ in argument names only)"
      % names_only)

    p("\n32-bit arches whose definition passes a 64-bit value in one C "
      "argument\n(layout left to the generic signature there):")
    for name in sorted(split32):
        p("  %-22s %s" % (name, " ".join(split32[name])))
    if not split32:
        p("  (none)")

    known = set()
    for t in tables.values():
        known |= set(t)
    lib = libseccomp_names()
    p("\nlibseccomp names without a signature (these default to 64-bit):")
    for name in sorted(lib - set(primary)):
        if name in unresolved:
            why = sorted(set(unresolved[name].values()))
            p("  %-22s %s" % (name, "; ".join(why)))
        elif name not in known:
            p("  %-22s in no Linux syscall table of leash's arches"
              % name)
        elif name in split32:
            p("  %-22s only on 32-bit arches, with a 64-bit value in one "
              "C argument (%s)" % (name, " ".join(split32[name])))
        else:
            p("  %-22s ?" % name)
    extra = sorted(n for n in known - set(primary) - lib)
    if extra:
        p("\ntable names (not in libseccomp) without a signature: "
          + " ".join(extra))


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    src = argv[1] if len(argv) > 1 else DEFAULT_SOURCE
    out = argv[2] if len(argv) > 2 else os.path.join(
        here, "..", "compiler", "common", "sigs-table.h")
    if len(argv) > 3 or (len(argv) > 1 and argv[1] in ("-h", "--help")):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        files = read_tree(src)
        version = kernel_version(files)
        result = build(files)
        write_table(out, version, src, result[0], result[1])
        summary(*result)
    except (GenError, OSError, tarfile.TarError) as e:
        print("gen-sigs: error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
