/* SPDX-License-Identifier: MIT */
/*
 * emit-pfc.c - NAME.pfc: the filter as a reviewer reads it.
 *
 * Two parts: the rules as the compiler understood them (per arch, per
 * syscall, in match order, each with the source line it came from and
 * its conditions at their real width), then the BPF program itself,
 * disassembled.  The first says what the policy means; the second is
 * what the kernel will run.  Named after libseccomp's "pseudo filter
 * code", which plays the same part.
 */
#include "seccomp/emit-pfc.h"
#include "front/ast.h"
#include "seccomp/bpf.h"

#include <stdlib.h>

static const char *const op_str[] = {
	[IR_EQ] = "==", [IR_NE] = "!=", [IR_LT] = "<",
	[IR_LE] = "<=", [IR_GT] = ">", [IR_GE] = ">=",
};

void emit_pfc_cmp(struct strbuf *sb, const struct ir_cmp *c)
{
	uint64_t full = c->width == 32 ? 0xffffffffu : ~(uint64_t)0;

	if (c->mask == full)
		sb_printf(sb, "arg%u:%u %s 0x%llx", c->arg, c->width,
			  op_str[c->op], (unsigned long long)c->value);
	else
		sb_printf(sb, "(arg%u:%u & 0x%llx) %s 0x%llx", c->arg,
			  c->width, (unsigned long long)c->mask,
			  op_str[c->op], (unsigned long long)c->value);
}

void emit_pfc_cond(struct strbuf *sb, const struct ir_cond *c)
{
	size_t i;

	switch (c->kind) {
	case IRC_TRUE:
		sb_puts(sb, "true");
		return;
	case IRC_FALSE:
		sb_puts(sb, "false");
		return;
	case IRC_CMP:
		emit_pfc_cmp(sb, &c->cmp);
		return;
	case IRC_AND:
	case IRC_OR:
		sb_putc(sb, '(');
		for (i = 0; i < c->n_kids; i++) {
			if (i)
				sb_puts(sb, c->kind == IRC_AND ? " && " : " || ");
			emit_pfc_cond(sb, c->kids[i]);
		}
		sb_putc(sb, ')');
		return;
	default:
		sb_puts(sb, "?");
		return;
	}
}

void emit_pfc(const struct ir_filter *f, const char *policy,
	      const struct sock_filter *prog, size_t len, struct strbuf *out)
{
	char act[32];
	size_t a, s, r;
	FILE *mem;
	char *text = NULL;
	size_t text_len = 0;

	sb_printf(out, "# leash %s: policy '%s'\n", PACKAGE_VERSION, policy);
	sb_printf(out, "# first match wins; argN:32 compares the low 32 bits only\n");
	sb_printf(out, "# any other arch: %s\n",
		  ir_action_str(f->bad_arch_action, act, sizeof(act)));
	for (a = 0; a < f->n_arches; a++) {
		const struct ir_arch *ar = &f->arches[a];

		sb_printf(out, "\narch %s\n", arch_info(ar->arch)->name);
		sb_printf(out, "  default %s\n",
			  ir_action_str(ar->default_action, act, sizeof(act)));
		sb_printf(out, "  unknown %s (nr > %lld)\n",
			  ir_action_str(ar->unknown_action, act, sizeof(act)),
			  (long long)ar->max_nr);
		for (s = 0; s < ar->n_sys; s++) {
			const struct ir_syscall *sys = &ar->sys[s];

			for (r = 0; r < sys->n_rules; r++) {
				const struct ir_rule *ru = &sys->rules[r];

				sb_printf(out, "  %-24s %-14s", sys->name,
					  ir_action_str(ru->action, act,
							sizeof(act)));
				if (ru->cond) {
					sb_puts(out, " if ");
					emit_pfc_cond(out, ru->cond);
				}
				if (ru->src && ru->src->loc.file)
					sb_printf(out, "  # %s:%d",
						  ru->src->loc.file->name,
						  ru->src->loc.first_line);
				sb_putc(out, '\n');
			}
		}
	}
	if (!prog)
		return;
	sb_printf(out, "\n# BPF program: %zu instructions\n", len);
	mem = open_memstream(&text, &text_len);
	if (!mem)
		die_oom();
	bpf_disasm(mem, prog, len);
	fclose(mem);
	sb_putn(out, text, text_len);
	free(text);
}
