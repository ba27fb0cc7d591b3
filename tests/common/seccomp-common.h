/* SPDX-License-Identifier: MIT */
/*
 * seccomp-common.h - helpers the filter tests and bench/bench-seccomp
 * share: the kernel's action-cache emulator and Docker's default profile
 * loaded as dockerd and runc load it on an amd64 host.
 */
#ifndef LEASH_TESTS_SECCOMP_COMMON_H
#define LEASH_TESTS_SECCOMP_COMMON_H

#include "pipeline/driver.h"
#include "seccomp/scmp-json.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * kernel/seccomp.c seccomp_is_const_allow() (5.11+): run @p knowing only
 * nr and arch, as seccomp_cache_prepare() does for every number of the
 * native and compat arch at attach time.  True: the kernel serves
 * (@arch, @nr) from its cache and skips the filter from then on.
 */
bool tc_cache_allows(const struct sock_filter *p, size_t len, uint32_t arch,
		     uint32_t nr);

/* tests/data/docker-default.json, parsed, with Docker's default
 * capabilities as dockerd names them ("CAP_..."). */
struct tc_docker {
	struct sj_profile *profile;
	char cap_names[CAP_COUNT][40];
	const char *caps[CAP_COUNT];
	size_t n_caps;
};

/* Load @srcdir/tests/data/docker-default.json; -1 with @err set. */
int tc_docker_load(struct tc_docker *d, const char *srcdir,
		   struct strbuf *err);

/* sj_compile() options of runc on an amd64 host under dockerd with its
 * default capabilities and a kernel newer than every minKernel. */
void tc_docker_opts(const struct tc_docker *d, struct sj_opts *o);

void tc_docker_free(struct tc_docker *d);

#endif
