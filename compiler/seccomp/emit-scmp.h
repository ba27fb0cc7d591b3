/* SPDX-License-Identifier: MIT */
/*
 * emit-scmp.h - the libseccomp backend, and the facts about libseccomp
 * that every libseccomp consumer of leash's output shares (emit-json.c
 * models runc with them, scmp-json.c is runc).
 */
#ifndef LEASH_EMIT_SCMP_H
#define LEASH_EMIT_SCMP_H

#include "common/diag.h"
#include "seccomp/disjoint.h"

#include <linux/filter.h>
#include <seccomp.h>

/*
 * Compile @f with libseccomp, from the disjoint boxes of every syscall,
 * and export the result as a raw classic-BPF program (*@prog, *@len
 * instructions; free() it).  @optimize is libseccomp's
 * SCMP_FLTATR_CTL_OPTIMIZE level (0: leave libseccomp's default; 2: a
 * binary tree of syscall numbers).
 *
 * What libseccomp cannot say itself (the unknown action above the
 * syscall table, and unconditional rules for syscalls its tables lack)
 * goes into a short BPF prologue, so the result is exact.  Anything else
 * it cannot say exactly is an error reported to @d: never a weaker
 * filter.  Returns 0 or -errno.
 */
int emit_scmp(const struct ir_filter *f, int optimize,
	      struct sock_filter **prog, size_t *len, struct diag *d);

/* ---- shared libseccomp facts -------------------------------------------- */

/*
 * Whether libseccomp reads syscall arguments on @a as 32 bits: it drops
 * the upper half of every comparison there (arch size ARCH_SIZE_32 in
 * libseccomp 2.5.4: x86, arm, ppc, s390, mips o32, and also x32, whose
 * registers are 64 bits wide).
 */
bool emit_scmp_arch_is32(enum leash_arch a);

/*
 * Whether adding a rule for @name on @token makes libseccomp add a rule
 * for the socketcall()/ipc() multiplexer too (x86, s390, s390x, ppc,
 * ppc64, mips o32).  It then writes the multiplexer's number and the
 * call number the multiplexed rule compares arg0 with; the rule keeps
 * the other argument comparisons of the original one, and loses arg0's.
 */
bool emit_scmp_mux(uint32_t token, const char *name, int64_t *mux_nr,
	      uint32_t *call);

/*
 * The boxes libseccomp adds to the multiplexer for @boxes, the rules of a
 * multiplexed syscall, on an arch (@is32: emit_scmp_arch_is32()).
 */
void emit_scmp_mux_boxes(const struct dj_boxes *boxes, uint32_t call, bool is32,
		    struct dj_boxes *out);

/* Export @ctx as raw BPF into a new array. */
int emit_scmp_export(scmp_filter_ctx ctx, struct sock_filter **prog, size_t *len);

/*
 * A prologue put in front of a libseccomp program: per arch, some
 * syscall numbers that return a fixed action, and "every number above N"
 * returning another.  runc prepends one like it (its -ENOSYS stub,
 * scmp-json.c); emit_scmp() uses it for what libseccomp cannot express.
 */
enum scmp_stub_x32 {
	SCMP_STUB_ANY,		/* every number */
	SCMP_STUB_NOT_X32,	/* only numbers without bit 30 (x86_64) */
	SCMP_STUB_X32,		/* only numbers with bit 30 (x32) */
};

struct scmp_stub_eq {
	uint32_t nr;
	uint32_t action;
};

struct scmp_stub_part {
	uint32_t audit_arch;
	enum scmp_stub_x32 sel;
	struct scmp_stub_eq *eqs;
	size_t n_eqs;
	bool has_above;
	uint32_t above;		/* numbers > above ... */
	uint32_t above_action;	/* ... return this */
};

/* Prepend the stub for @parts (parts of one audit arch may be apart) to
 * *@prog, replacing it.  Returns 0 or -E2BIG. */
int emit_scmp_stub_prepend(const struct scmp_stub_part *parts, size_t n,
		      struct sock_filter **prog, size_t *len);

#endif
