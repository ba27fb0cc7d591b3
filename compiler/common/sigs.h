/* SPDX-License-Identifier: MIT */
/*
 * sigs.h - syscall signatures: how many arguments each syscall takes,
 * what the kernel calls them, and how many bits of each register the
 * kernel reads.
 *
 * The kernel's SYSCALL_DEFINE wrapper casts every register to the
 * argument's declared type, so an 'int' argument is the low 32 bits of a
 * 64-bit register and the upper half is whatever the caller left there.
 * A filter must compare such an argument on 32 bits or it can be walked
 * around (docs/language.md section 4, "Argument width").  The table behind
 * this (sigs-table.h) is generated from the kernel source by
 * tools/gen-sigs.py; sigs.c owns the lookups.
 */
#ifndef LEASH_SIGS_H
#define LEASH_SIGS_H

#include "common/tables.h"

#define SIG_MAX_ARGS 6	/* seccomp_data.args[] */

struct syscall_sig {
	const char *name;
	uint8_t nargs;
	/* The kernel's names, NULL from arg[nargs] on. */
	const char *arg[SIG_MAX_ARGS];
	/*
	 * Bits of the register the kernel reads: 64, 32, 16 or 8 (0 past
	 * nargs).  The width of the declared C type on a 64-bit kernel;
	 * sig_arg_width_arch() folds it to 32 on 32-bit ABIs.
	 */
	uint8_t width[SIG_MAX_ARGS];
};

/*
 * The signature of syscall @name as most 64-bit arches define it, or NULL
 * when leash has none (unknown name, or a syscall the kernel source does
 * not define, such as afs_syscall).
 */
const struct syscall_sig *sig_lookup(const char *name);

/*
 * Width in bits of argument @idx (0-based) of @name, from sig_lookup().
 * Returns 64 when the table does not know the syscall or the argument:
 * docs/language.md says such an argument is 64-bit.
 */
unsigned sig_arg_width(const char *name, unsigned idx);

/*
 * The signature of @name on @arch: the arch's own where it differs from
 * the generic one (clone's argument order on s390x, the one-pointer mmap
 * of s390x and x86, the 16-bit uid calls of x86/arm/s390, 64-bit offsets
 * split over two registers on 32-bit ABIs), else sig_lookup(@name).
 * Widths are as in the table: 64 on a 32-bit ABI means the whole 32-bit
 * register.
 */
const struct syscall_sig *sig_lookup_arch(const char *name,
					  enum leash_arch arch);

/*
 * Width in bits of argument @idx of @name on @arch: from
 * sig_lookup_arch(), at most 32 on a 32-bit ABI, 64 when unknown.
 */
unsigned sig_arg_width_arch(const char *name, enum leash_arch arch,
			    unsigned idx);

/*
 * Whether @arch is a 32-bit ABI (x86, arm, ppc, s390, mips, mipsel):
 * every argument there is a 32-bit register, so nothing is wider than
 * 32 bits.  x32 is not one: it runs on the x86_64 register file.
 */
bool sig_abi_32bit(enum leash_arch arch);

/* Iterate the generic signatures in name order: NULL at the end. */
const struct syscall_sig *sig_at(size_t i);

#endif
