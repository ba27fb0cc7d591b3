/* SPDX-License-Identifier: MIT */
/*
 * emit-apparmor.h - NAME.apparmor, the AppArmor profile of a policy.
 */
#ifndef LEASH_EMIT_APPARMOR_H
#define LEASH_EMIT_APPARMOR_H

#include "front/flat.h"

/*
 * Write the complete profile of @f to @out.  Errors (located) go to
 * ctx->diag, what AppArmor cannot enforce to @notes.  Returns 0 or
 * -errno.
 */
int emit_apparmor(struct leash_ctx *ctx, const struct flat_policy *f,
		  struct strbuf *out);

/*
 * The profile's name: 'apparmor { name }', else "leash-" + the policy's
 * name.  For the other targets that name the profile (OCI
 * apparmorProfile, docker --security-opt apparmor=).  Free it.
 */
char *emit_aa_profile_name(const struct flat_policy *f);

/*
 * The language's glob @path in AppArmor's spelling, unquoted (what
 * NAME.apparmor writes before any quoting): for the k8s target, which
 * hands paths to SPO's profile template.  Free it.
 */
char *emit_aa_glob(const char *path);

#endif
