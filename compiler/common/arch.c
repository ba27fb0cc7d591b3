/* SPDX-License-Identifier: MIT */
/*
 * arch.c - the architecture table: the language's arch names, the
 * AUDIT_ARCH_* value the kernel puts in seccomp_data.arch, the libseccomp
 * token and the Docker/OCI name of each of the 16 arches leash knows, and
 * which of them is "native" (the build host's).
 *
 * Syscall numbers per arch live in syscalls.c.
 */
#include "common/tables.h"

#include <linux/audit.h>
#include <seccomp.h>
#include <string.h>

/*
 * Older linux-libc-dev or libseccomp may lack the newest arches: spell the
 * audit value out (it is ABI) and record "no libseccomp token" as 0, which
 * tables.h defines as "libseccomp lacks it".
 */
#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif
#ifndef AUDIT_ARCH_LOONGARCH64
#define AUDIT_ARCH_LOONGARCH64 \
	(EM_LOONGARCH | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif
#ifndef SCMP_ARCH_RISCV64
#define SCMP_ARCH_RISCV64 0
#endif
#ifndef SCMP_ARCH_LOONGARCH64
#define SCMP_ARCH_LOONGARCH64 0
#endif

/* __X32_SYSCALL_BIT from <asm/unistd.h> on x86, which other hosts lack. */
#define X32_SYSCALL_BIT 0x40000000u

/*
 * NOTE: x32 shares AUDIT_ARCH_X86_64 with x86_64; the kernel tells them
 * apart only by bit 30 of the syscall number.  Every filter that covers
 * x86_64 must therefore decide what to do with that bit (docs/language.md 4:
 * a filter whose arch list omits x32 kills such calls).  libseccomp's own
 * x32 token (EM_X86_64 | __AUDIT_ARCH_LE, without the 64-bit flag) is an
 * internal name, never seen in seccomp_data.arch.
 */
static const struct arch_info arches[ARCH_COUNT] = {
	[ARCH_X86_64] = { ARCH_X86_64, "x86_64", AUDIT_ARCH_X86_64,
			  SCMP_ARCH_X86_64, 0, "SCMP_ARCH_X86_64" },
	[ARCH_X86] = { ARCH_X86, "x86", AUDIT_ARCH_I386,
		       SCMP_ARCH_X86, 0, "SCMP_ARCH_X86" },
	[ARCH_X32] = { ARCH_X32, "x32", AUDIT_ARCH_X86_64,
		       SCMP_ARCH_X32, X32_SYSCALL_BIT, "SCMP_ARCH_X32" },
	[ARCH_AARCH64] = { ARCH_AARCH64, "aarch64", AUDIT_ARCH_AARCH64,
			   SCMP_ARCH_AARCH64, 0, "SCMP_ARCH_AARCH64" },
	[ARCH_ARM] = { ARCH_ARM, "arm", AUDIT_ARCH_ARM,
		       SCMP_ARCH_ARM, 0, "SCMP_ARCH_ARM" },
	[ARCH_RISCV64] = { ARCH_RISCV64, "riscv64", AUDIT_ARCH_RISCV64,
			   SCMP_ARCH_RISCV64, 0, "SCMP_ARCH_RISCV64" },
	[ARCH_PPC64LE] = { ARCH_PPC64LE, "ppc64le", AUDIT_ARCH_PPC64LE,
			   SCMP_ARCH_PPC64LE, 0, "SCMP_ARCH_PPC64LE" },
	[ARCH_PPC64] = { ARCH_PPC64, "ppc64", AUDIT_ARCH_PPC64,
			 SCMP_ARCH_PPC64, 0, "SCMP_ARCH_PPC64" },
	[ARCH_PPC] = { ARCH_PPC, "ppc", AUDIT_ARCH_PPC,
		       SCMP_ARCH_PPC, 0, "SCMP_ARCH_PPC" },
	[ARCH_S390X] = { ARCH_S390X, "s390x", AUDIT_ARCH_S390X,
			 SCMP_ARCH_S390X, 0, "SCMP_ARCH_S390X" },
	[ARCH_S390] = { ARCH_S390, "s390", AUDIT_ARCH_S390,
			SCMP_ARCH_S390, 0, "SCMP_ARCH_S390" },
	/* mips* are the o32 (mips, mipsel) and n64 (mips64*) ABIs; n32 is
	 * not in the language. */
	[ARCH_MIPS] = { ARCH_MIPS, "mips", AUDIT_ARCH_MIPS,
			SCMP_ARCH_MIPS, 0, "SCMP_ARCH_MIPS" },
	[ARCH_MIPSEL] = { ARCH_MIPSEL, "mipsel", AUDIT_ARCH_MIPSEL,
			  SCMP_ARCH_MIPSEL, 0, "SCMP_ARCH_MIPSEL" },
	[ARCH_MIPS64] = { ARCH_MIPS64, "mips64", AUDIT_ARCH_MIPS64,
			  SCMP_ARCH_MIPS64, 0, "SCMP_ARCH_MIPS64" },
	/* Docker spells little-endian n64 "MIPSEL64", not "MIPS64EL". */
	[ARCH_MIPS64EL] = { ARCH_MIPS64EL, "mips64el", AUDIT_ARCH_MIPSEL64,
			    SCMP_ARCH_MIPSEL64, 0, "SCMP_ARCH_MIPSEL64" },
	[ARCH_LOONGARCH64] = { ARCH_LOONGARCH64, "loongarch64",
			       AUDIT_ARCH_LOONGARCH64, SCMP_ARCH_LOONGARCH64, 0,
			       "SCMP_ARCH_LOONGARCH64" },
};

/*
 * The build host's arch, decided by the compiler's predefined macros (the
 * same ones libseccomp's arch.c tests), so "native" means the machine the
 * compiler was built for, not whatever kernel it happens to run on.
 */
#if defined(__x86_64__) && defined(__ILP32__)
#define NATIVE ARCH_X32
#elif defined(__x86_64__)
#define NATIVE ARCH_X86_64
#elif defined(__i386__)
#define NATIVE ARCH_X86
#elif defined(__aarch64__)
#define NATIVE ARCH_AARCH64
#elif defined(__arm__)
#define NATIVE ARCH_ARM
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE ARCH_RISCV64
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define NATIVE ARCH_PPC64LE
#elif defined(__powerpc64__)
#define NATIVE ARCH_PPC64
#elif defined(__powerpc__)
#define NATIVE ARCH_PPC
#elif defined(__s390x__)
#define NATIVE ARCH_S390X
#elif defined(__s390__)
#define NATIVE ARCH_S390
#elif defined(__mips__) && defined(_MIPS_SIM) && _MIPS_SIM == _ABIO32
#if defined(__MIPSEL__)
#define NATIVE ARCH_MIPSEL
#else
#define NATIVE ARCH_MIPS
#endif
#elif defined(__mips__) && defined(_MIPS_SIM) && _MIPS_SIM == _ABI64
#if defined(__MIPSEL__)
#define NATIVE ARCH_MIPS64EL
#else
#define NATIVE ARCH_MIPS64
#endif
#elif defined(__loongarch__) && __loongarch_grlen == 64
#define NATIVE ARCH_LOONGARCH64
#else
#error "leash does not know this build host's architecture"
#endif

const struct arch_info *arch_info(enum leash_arch a)
{
	if ((unsigned)a >= ARCH_COUNT)
		return NULL;
	return &arches[a];
}

enum leash_arch arch_native(void)
{
	return NATIVE;
}

const struct arch_info *arch_by_name(const char *name)
{
	size_t i;

	if (strcmp(name, "native") == 0)
		return &arches[NATIVE];
	for (i = 0; i < ARCH_COUNT; i++)
		if (strcmp(arches[i].name, name) == 0)
			return &arches[i];
	return NULL;
}

const struct arch_info *arch_by_docker_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARCH_COUNT; i++)
		if (strcmp(arches[i].docker_name, name) == 0)
			return &arches[i];
	return NULL;
}

/*
 * Names other tools use for our arches (uname -m, Debian, Go, Docker
 * without the prefix).  Only suggested, never accepted: the language has
 * exactly one spelling per arch, so policies read the same everywhere.
 */
static const struct {
	const char *alias;
	enum leash_arch arch;
} aliases[] = {
	{ "amd64", ARCH_X86_64 },	{ "x86-64", ARCH_X86_64 },
	{ "x64", ARCH_X86_64 },		{ "i386", ARCH_X86 },
	{ "i486", ARCH_X86 },		{ "i586", ARCH_X86 },
	{ "i686", ARCH_X86 },		{ "ia32", ARCH_X86 },
	{ "x86_32", ARCH_X86 },		{ "arm64", ARCH_AARCH64 },
	{ "armv7", ARCH_ARM },		{ "armv7l", ARCH_ARM },
	{ "armhf", ARCH_ARM },		{ "armel", ARCH_ARM },
	{ "riscv", ARCH_RISCV64 },	{ "rv64", ARCH_RISCV64 },
	{ "powerpc", ARCH_PPC },	{ "powerpc64", ARCH_PPC64 },
	{ "powerpc64le", ARCH_PPC64LE }, { "ppc64el", ARCH_PPC64LE },
	{ "mips64le", ARCH_MIPS64EL },	{ "mipsel64", ARCH_MIPS64EL },
	{ "mipsle", ARCH_MIPSEL },	{ "loong64", ARCH_LOONGARCH64 },
	{ "loongarch", ARCH_LOONGARCH64 },
};

/* Lower-case @name into @buf (arch names are lower case). */
static const char *fold(const char *name, char *buf, size_t size)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < size; i++)
		buf[i] = (name[i] >= 'A' && name[i] <= 'Z') ?
			 (char)(name[i] - 'A' + 'a') : name[i];
	buf[i] = '\0';
	return buf;
}

const char *arch_suggest(const char *name)
{
	char buf[64];
	const char *best = NULL, *n;
	size_t limit, best_d, d, i;

	n = fold(name, buf, sizeof(buf));
	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (strcmp(aliases[i].alias, n) == 0)
			return arches[aliases[i].arch].name;
	if (strcmp(n, name) != 0 && arch_by_name(n))	/* "X86_64" */
		return arch_by_name(n)->name;

	/* The same budget as every other "did you mean" (syscalls.c). */
	limit = strlen(n) <= 4 ? 1 : 2;
	best_d = limit + 1;
	for (i = 0; i < ARCH_COUNT; i++) {
		d = edit_distance(n, arches[i].name, limit);
		if (d < best_d) {
			best_d = d;
			best = arches[i].name;
		}
	}
	d = edit_distance(n, "native", limit);
	if (d < best_d)
		best = "native";
	return best;
}
