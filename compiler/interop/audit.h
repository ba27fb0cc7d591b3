/* SPDX-License-Identifier: MIT */
/*
 * audit.h - a confinement, whatever it was written in, reviewed against
 * known escape routes (audit.c).
 */
#ifndef LEASH_AUDIT_H
#define LEASH_AUDIT_H

#include "interop/model.h"

/*
 * Review every confinement of @f (a 'docker inspect' output holds
 * several) into @out, as text or as JSON: one line per finding, with a
 * severity and a reason.  Returns the worst severity found, 0 (info
 * only) to 3 (high), or -E2BIG (@out unfinished) when the filter takes
 * too long to simulate.
 */
int audit_models(const struct model_file *f, bool json, struct strbuf *out);

#endif
