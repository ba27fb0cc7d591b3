/* SPDX-License-Identifier: MIT */
/*
 * emit-bundle.h - NAME.bundle for leash-exec (format: runtime-shim/bundle.h).
 */
#ifndef LEASH_EMIT_BUNDLE_H
#define LEASH_EMIT_BUNDLE_H

#include "seccomp/build.h"
#include "front/flat.h"

/* The bundle of @f with the BPF of @sc.  Binary: use out->len. */
int emit_bundle(struct leash_ctx *ctx, const struct flat_policy *f,
		const struct seccomp_out *sc, struct strbuf *out);

#endif
