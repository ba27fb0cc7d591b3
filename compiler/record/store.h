/* SPDX-License-Identifier: MIT */
/*
 * store.h - what 'leash record --merge' needs from an earlier recorded
 * policy (store.c): its observations, kept in the file as comment lines,
 * and its recorded blocks, rewritten while everything else is kept.
 */
#ifndef LEASH_RECORD_STORE_H
#define LEASH_RECORD_STORE_H

#include "record/obs.h"

/* @o as comment lines ("# call x86_64 0 17"), sorted. */
void rec_obs_save(const struct rec_obs *o, struct strbuf *out);

/*
 * Add the observations of the recorded policy @text to @o.  Returns 0,
 * or -EINVAL with *err saying what is wrong (release with free()).
 */
int rec_obs_load(const char *text, struct rec_obs *o, char **err);

/*
 * @old with each of its recorded blocks replaced by the block of the
 * same name in @fresh, into @out; what lies outside them is kept.
 * Returns 0, or -EINVAL with *err naming a block @old lacks.
 */
int rec_splice(const char *old, const char *fresh, struct strbuf *out,
	       char **err);

#endif
