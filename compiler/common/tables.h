/* SPDX-License-Identifier: MIT */
/*
 * tables.h - the facts the compiler knows: architectures, syscall
 * numbers, built-in constants and capability names.
 *
 * Syscall numbers come from libseccomp's tables, plus a small table of
 * our own (syscalls.c) for syscalls newer than libseccomp 2.5.4 knows and
 * for arches it lacks.  Constants and capability numbers are generated
 * from the kernel source by tools/gen-consts.py (consts.c), per arch: facts,
 * not hand-typed.
 */
#ifndef LEASH_TABLES_H
#define LEASH_TABLES_H

#include "common/util.h"

/* ---- architectures --------------------------------------------------- */

enum leash_arch {
	ARCH_X86_64, ARCH_X86, ARCH_X32, ARCH_AARCH64, ARCH_ARM,
	ARCH_RISCV64, ARCH_PPC64LE, ARCH_PPC64, ARCH_PPC, ARCH_S390X,
	ARCH_S390, ARCH_MIPS, ARCH_MIPSEL, ARCH_MIPS64, ARCH_MIPS64EL,
	ARCH_LOONGARCH64,
	ARCH_COUNT
};

struct arch_info {
	enum leash_arch id;
	const char *name;	/* the language's name: "x86_64", "x32", ... */
	uint32_t audit_arch;	/* AUDIT_ARCH_* as seccomp_data.arch shows it */
	uint32_t scmp_token;	/* SCMP_ARCH_* (0: libseccomp lacks it) */
	uint32_t nr_bias;	/* added to every number (x32: 0x40000000) */
	const char *docker_name;	/* "SCMP_ARCH_X86_64" */
};

const struct arch_info *arch_info(enum leash_arch a);
/* By the language's name; "native" is the build host's arch. */
const struct arch_info *arch_by_name(const char *name);
const struct arch_info *arch_by_docker_name(const char *name);
enum leash_arch arch_native(void);
/* Nearest arch name for a "did you mean", or NULL. */
const char *arch_suggest(const char *name);

/* ---- syscalls ---------------------------------------------------------- */

/*
 * The syscall number of @name on @arch, with the arch's bias (x32) added;
 * -1 when the arch has no such syscall.  Multiplexed calls that exist on
 * an arch only through socketcall()/ipc() (x86 'accept', ...) return -1
 * here and set *multiplexed when non-NULL.
 */
int64_t syscall_nr(enum leash_arch arch, const char *name, bool *multiplexed);
/* The name of syscall @nr (bias included) on @arch, or NULL. */
const char *syscall_name(enum leash_arch arch, int64_t nr);
/* The highest syscall number (bias included) leash knows on @arch. */
int64_t syscall_max_nr(enum leash_arch arch);
/* Known on at least one arch. */
bool syscall_known_anywhere(const char *name);
/* Nearest known syscall name, or NULL. */
const char *syscall_suggest(const char *name);
/* Iterate every name leash knows (any arch): returns NULL at the end. */
const char *syscall_name_at(size_t i);

/* ---- constants and capabilities ---------------------------------------- */

/*
 * Built-in constants are per arch (docs/language.md section 2): the
 * table (consts-table.h) keeps one value per name and overrides for the
 * arches that differ or lack the name.
 */
#define CONST_ERRNO		1u	/* an errno name */
#define CONST_ERRNO_CANON	2u	/* the name errno_name() prints */

struct const_entry {
	const char *name;
	uint64_t value;		/* x86_64's, else most arches' */
	uint16_t first;		/* its overrides in const_overrides[] */
	uint8_t count;
	uint8_t flags;		/* CONST_* */
};

struct const_override {
	uint8_t arch;		/* enum leash_arch */
	uint8_t present;	/* 0: the kernel does not define it there */
	uint64_t value;
};

/* A built-in constant on @arch; false when unknown there. */
bool const_lookup(enum leash_arch arch, const char *name, uint64_t *value);
/* A built-in constant on at least one arch. */
bool const_known(const char *name);
/* Iterate every built-in name: returns NULL at the end. */
const char *const_name_at(size_t i);
/* Its x86_64 value, or where x86_64 lacks it the one most arches share. */
bool const_any(const char *name, uint64_t *value);
/* The same value on every arch of @arches (a bit set of 1 << arch). */
bool const_uniform(const char *name, uint32_t arches);
const char *const_suggest(const char *name);
/* An errno name (EPERM ...) to its number on @arch. */
bool errno_lookup(enum leash_arch arch, const char *name, uint64_t *value);
/* The kernel's name of errno @value on @arch, or NULL. */
const char *errno_name(enum leash_arch arch, uint64_t value);

#define CAP_COUNT 41	/* CAP_CHOWN (0) .. CAP_CHECKPOINT_RESTORE (40) */
/* Capability by name, with or without "CAP_", any case; -1 if unknown. */
int cap_by_name(const char *name);
/* "SYS_ADMIN" (without CAP_) */
const char *cap_name(int cap);
const char *cap_suggest(const char *name);
/* Docker's default set (docs/language.md section 5). */
uint64_t caps_docker_default(void);

#endif
