/* SPDX-License-Identifier: MIT */
/*
 * diff.h - the semantic difference of two confinements, whatever each
 * was written in (diff.c).
 */
#ifndef LEASH_DIFF_H
#define LEASH_DIFF_H

#include "interop/model.h"

/*
 * Compare @a and @b: their filters by running both, then capabilities,
 * filesystem, network, process (user, groups, no_new_privileges,
 * namespaces, ...), AppArmor and limits (memory, cpus, pids, every
 * rlimit) where both kinds of input can say them.  Each difference
 * names where A and where B say it ("file:line"); a setting one side
 * cannot tell (docker inspect) is a difference of its own, "unknown",
 * never "equal".  Prints the differences to standard output, as text
 * or as JSON.  Returns 0 when equal, 1 when they differ, -E2BIG
 * (nothing printed) when the filters take too long to simulate.
 */
int diff_models(const struct model *a, const struct model *b, bool json);

#endif
