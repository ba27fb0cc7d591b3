/* SPDX-License-Identifier: MIT */
/*
 * emit-bpf.h - the native seccomp backend: IR -> classic BPF program.
 *
 * The program gives, for every (arch, nr, args), exactly what ir_eval()
 * gives.  See emit-bpf.c for the layout of the emitted code.
 */
#ifndef LEASH_EMIT_BPF_H
#define LEASH_EMIT_BPF_H

#include "seccomp/bpf.h"
#include "seccomp/ir.h"

struct emit_bpf_stats {
	size_t n_insns;		/* program length */
	size_t n_arch_groups;	/* distinct AUDIT_ARCH values tested */
	size_t n_runs;		/* nr runs over every arch, leaves of the
				 * search trees */
	size_t n_blocks;	/* distinct argument rule blocks */
	size_t n_rets;		/* distinct return instructions */
	size_t n_trampolines;	/* JAs added for far conditional jumps */
};

/*
 * Compile @f into a new array of @len instructions (free() it).  Returns
 * 0, -EINVAL for an IR with an unknown arch or an argument above arg5,
 * or -E2BIG when the program would exceed BPF_MAXINSNS.
 */
int emit_bpf(const struct ir_filter *f, struct sock_filter **prog,
	     size_t *len);
/* The same, and fills @st (which may be NULL). */
int emit_bpf_ex(const struct ir_filter *f, struct sock_filter **prog,
		size_t *len, struct emit_bpf_stats *st);

#endif
