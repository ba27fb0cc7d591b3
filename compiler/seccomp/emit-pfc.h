/* SPDX-License-Identifier: MIT */
/*
 * emit-pfc.h - the human-readable listing of a compiled filter.
 */
#ifndef LEASH_EMIT_PFC_H
#define LEASH_EMIT_PFC_H

#include "seccomp/ir.h"

#include <linux/filter.h>

/* "(arg1:32 & 0xf) == 0x1" */
void emit_pfc_cmp(struct strbuf *sb, const struct ir_cmp *c);
void emit_pfc_cond(struct strbuf *sb, const struct ir_cond *c);
/* The IR rules, then the disassembly of @prog (NULL: rules only). */
void emit_pfc(const struct ir_filter *f, const char *policy,
	      const struct sock_filter *prog, size_t len, struct strbuf *out);

#endif
