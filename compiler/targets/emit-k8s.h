/* SPDX-License-Identifier: MIT */
/*
 * emit-k8s.h - the opt-in k8s target: NAME.spo.yaml (the Security
 * Profiles Operator's v1 SeccompProfile and AppArmorProfile) and
 * NAME.pod.yaml (a strategic-merge patch of a Pod's spec).
 */
#ifndef LEASH_EMIT_K8S_H
#define LEASH_EMIT_K8S_H

#include "front/flat.h"
#include "seccomp/build.h"

/* Where SPO writes a cluster-scoped SeccompProfile NAME, relative to the
 * kubelet's seccomp root: what a Pod's localhostProfile names. */
#define K8S_SPO_SECCOMP_DIR "operator"

/*
 * Write NAME.spo.yaml: a SeccompProfile whose spec is @sc's JSON profile
 * (NAME.seccomp.json) field for field, or an error naming what the v1
 * CRD cannot hold (a default errno other than EPERM, errno 0, an
 * argument value of 2^63 or more); then an AppArmorProfile with what of
 * the policy SPO's structured form says exactly, and a fidelity note
 * for each rule it cannot say.  Returns 0 or -errno.
 */
int emit_spo(struct leash_ctx *ctx, const struct flat_policy *f,
	     const struct seccomp_out *sc, struct strbuf *out);

/*
 * Write NAME.pod.yaml for the container named @container (NULL: the
 * policy's name): its securityContext and resources.limits, and the
 * pod-level securityContext, as `kubectl patch --type strategic` and
 * kustomize take them.  A fidelity note for each setting a Pod cannot
 * say.  Returns 0 or -errno.
 */
int emit_pod(struct leash_ctx *ctx, const struct flat_policy *f,
	     const char *container, struct strbuf *out);

/* Why @name cannot name a Pod's container (no DNS-1123 label), or
 * NULL. */
const char *k8s_container_problem(const char *name);

#endif
