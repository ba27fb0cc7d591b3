/* SPDX-License-Identifier: MIT */
/*
 * emit-systemd.h - NAME.service.d/zz-leash.conf, a systemd drop-in
 * that confines a service with the directives of systemd 252 that say
 * what the policy says (opt-in target 'systemd').
 */
#ifndef LEASH_EMIT_SYSTEMD_H
#define LEASH_EMIT_SYSTEMD_H

#include "seccomp/build.h"
#include "front/flat.h"

/* The drop-in's directory and file name, under the output directory. */
#define SYSTEMD_DIR_SUFFIX ".service.d"
#define SYSTEMD_DROPIN "zz-leash.conf"

/*
 * Write the drop-in of @f to @out, its filter from @sc->ir.  What
 * systemd cannot say as the policy says it is a fidelity note at the
 * rule (an error under --strict); a path or name systemd would read
 * differently is a located error.  Returns 0 or -errno.
 */
int emit_systemd(struct leash_ctx *ctx, const struct flat_policy *f,
		 const struct seccomp_out *sc, struct strbuf *out);

#endif
