/* SPDX-License-Identifier: MIT */
/*
 * systemd-filter.h - the systemd target's system call filter
 * (systemd-filter.c), and the list helpers emit-systemd.c shares.
 */
#ifndef LEASH_SYSTEMD_FILTER_H
#define LEASH_SYSTEMD_FILTER_H

#include "front/flat.h"
#include "seccomp/ir.h"

/*
 * Append SystemCallFilter= (reset first), SystemCallErrorNumber= for
 * an allow-list, and SystemCallArchitectures= for @ir to @out; a
 * fidelity note to @d for every rule of @f systemd cannot say.
 */
void sd_filter(const struct flat_policy *f, const struct ir_filter *ir,
	       struct diag *d, struct strbuf *out);

/*
 * KEY=PREFIXWORD WORD ... over lines of about 78 columns (the lines of
 * a list directive add up); @prefix starts every line ("~": systemd
 * reads it for the whole line, so a deny-list repeats it).
 */
void sd_put_words(struct strbuf *out, const char *key, const char *prefix,
		  const struct str_vec *words);
/* Free every string of @v and @v itself. */
void sd_str_vec_free(struct str_vec *v);

#endif
