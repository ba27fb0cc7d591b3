/* SPDX-License-Identifier: MIT */
/*
 * diff.h - the semantic difference of two confinements, whatever each
 * was written in (diff.c).
 */
#ifndef LEASH_DIFF_H
#define LEASH_DIFF_H

#include "interop/model.h"

/*
 * Compare @a and @b: their filters by running both, then capabilities
 * and settings where both say them.  Prints the differences to standard
 * output, as text or as JSON.  Returns 0 when equal, 1 when they differ,
 * -E2BIG (nothing printed) when the filters take too long to simulate.
 */
int diff_models(const struct model *a, const struct model *b, bool json);

#endif
