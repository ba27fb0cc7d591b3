/* SPDX-License-Identifier: MIT */
/*
 * net-gate.h - the network section in seccomp (docs/language.md section
 * 6): socket() and socketpair() with a family the section does not
 * allow fail with EAFNOSUPPORT, with a type it does not allow with
 * EPERM, before any rule of the seccomp section is looked at.
 */
#ifndef LEASH_NET_GATE_H
#define LEASH_NET_GATE_H

#include "front/flat.h"
#include "seccomp/ir.h"

enum net_gate_kind {
	NET_GATE_FAMILY,	/* errno(EAFNOSUPPORT) */
	NET_GATE_TYPE,		/* errno(EPERM) */
};

/*
 * The condition, on socket()'s or socketpair()'s (domain, type), under
 * which @fp's network section refuses the call with @kind's errno on
 * @arch; NULL when it refuses nothing that way (no network section, or
 * one with nothing to say about it).  *@loc: the statement to blame.
 * The caller owns the condition.
 */
struct ir_cond *net_gate_cond(const struct flat_policy *fp,
			      enum leash_arch arch, enum net_gate_kind kind,
			      const struct leash_loc **loc);
/* Its action: errno(EAFNOSUPPORT) or errno(EPERM). */
uint32_t net_gate_action(enum leash_arch arch, enum net_gate_kind kind);

#endif
