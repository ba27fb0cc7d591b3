/* SPDX-License-Identifier: MIT */
/*
 * sim-bpf.h - ask a seccomp filter questions by running it: the answer
 * to one call, the arches it accepts, and the argument vectors on which
 * two filters can differ.  diff and audit (interop/) ask; this module
 * knows nothing of where a filter came from.
 */
#ifndef LEASH_SIM_BPF_H
#define LEASH_SIM_BPF_H

#include "common/tables.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

/* A filter to run: @bpf passed bpf_check(); NULL means no filter at all
 * (every call allowed). */
struct sim_filter {
	const struct sock_filter *bpf;
	size_t len;
};

/* The filter's answer; SECCOMP_RET_ALLOW without a filter. */
uint32_t sim_action(const struct sim_filter *f, enum leash_arch arch,
		    int64_t nr, const uint64_t args[6], uint16_t *loaded);

/* Whether the simulations so far ran more instructions than leash
 * allows itself: the callers then stop with an error rather than run
 * for hours on a hostile filter. */
bool sim_over_budget(void);

/* Which arches @f accepts: the FLAT_ARCH_BIT()s of those where some call
 * is not killed alike with every other. */
uint32_t sim_arches(const struct sim_filter *f);

/* The syscall numbers worth asking about on @arch: every one leash
 * knows, then max + 1 and max + 64 (numbers newer than the tables). */
size_t sim_numbers(enum leash_arch arch, int64_t **out);

struct sim_vec {
	uint64_t a[6];
};
VEC(sim_vec_list, struct sim_vec);

/*
 * Argument vectors that exercise every comparison of @n filters for
 * syscall @nr on @arch: the zero vector first, then values around each
 * constant the programs compare the argument words with (with upper
 * halves set and not), alone and combined.  Only arguments the programs
 * read are varied.  Empty when no program reads an argument.
 */
void sim_vectors(const struct sim_filter *const *f, size_t n,
		 enum leash_arch arch, int64_t nr, struct sim_vec_list *out);

/* How much an action lets through: allow > log > notify/trace > errno >
 * trap > kill. */
int sim_rank(uint32_t action);
/* "allow", "errno(EPERM)", "kill_process", ...: errno names of @arch. */
const char *sim_action_str(enum leash_arch arch, uint32_t action, char *buf,
			   size_t len);
/* "socket(0x100000028, 0x1)": the arguments up to the last nonzero. */
char *sim_call_str(const char *name, const uint64_t a[6]);
/* The name of @nr on @arch, or "nr 1234" (unknown) into @buf. */
const char *sim_nr_name(enum leash_arch arch, int64_t nr, char *buf,
			size_t len);

#endif
