/* SPDX-License-Identifier: MIT */
/*
 * syscalls.c - syscall names and numbers on every arch leash knows.
 *
 * The index is built at build time (syscalls-scan.c, through
 * tools/gen-syscall-table) into syscalls-table.h: one table sorted by
 * name with the number on each arch, and per arch the numbers in order.
 * Every question is a binary search; no libseccomp call at run time.
 * See syscalls-scan.c for where the numbers come from.
 */
#include "common/tables.h"

#include <string.h>

struct sc_row {
	const char *name;
	uint32_t muxed;		/* bit per arch: only via socketcall/ipc */
	int32_t nr[ARCH_COUNT];	/* bias included; -1: not there */
};

struct sc_nr_row {
	int32_t nr;
	uint16_t row;		/* into sc_rows */
};

struct sc_nr_index {
	const struct sc_nr_row *v;	/* by number, then name */
	size_t n;
	int32_t max_nr;		/* ARM's private calls not counted */
};

#include "common/syscalls-table.h"

static const struct sc_row *find(const char *name)
{
	size_t lo = 0, hi = SC_N_ROWS, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(name, sc_rows[mid].name);
		if (c == 0)
			return &sc_rows[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int64_t syscall_nr(enum leash_arch arch, const char *name, bool *multiplexed)
{
	const struct sc_row *e;

	if (multiplexed)
		*multiplexed = false;
	if ((unsigned)arch >= ARCH_COUNT)
		return -1;
	e = find(name);
	if (!e)
		return -1;
	if (multiplexed && e->nr[arch] < 0)
		*multiplexed = (e->muxed & (1u << arch)) != 0;
	return e->nr[arch];
}

const char *syscall_name(enum leash_arch arch, int64_t nr)
{
	const struct sc_nr_index *ix;
	size_t lo = 0, hi, mid;

	if ((unsigned)arch >= ARCH_COUNT)
		return NULL;
	ix = &sc_by_nr[arch];
	hi = ix->n;
	/* Leftmost match: of two names for one number, the first by name. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix->v[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && ix->v[lo].nr == nr ? sc_rows[ix->v[lo].row].name :
						    NULL;
}

/*
 * ARM's private calls (cacheflush, set_tls, ... at 0x0f0001 on) are not
 * counted: a newer kernel's calls after the table must still be
 * 'unknown' (docs/language.md 4).
 */
int64_t syscall_max_nr(enum leash_arch arch)
{
	if ((unsigned)arch >= ARCH_COUNT)
		return -1;
	return sc_by_nr[arch].max_nr;
}

bool syscall_known_anywhere(const char *name)
{
	/* Every row came from a number on some arch. */
	return find(name) != NULL;
}

const char *syscall_suggest(const char *name)
{
	const char *best = NULL;
	size_t limit = strlen(name) <= 4 ? 1 : 2;
	size_t best_d = limit + 1, d, i;

	for (i = 0; i < SC_N_ROWS; i++) {
		d = edit_distance(name, sc_rows[i].name, limit);
		if (d < best_d) {
			best_d = d;
			best = sc_rows[i].name;
			if (d == 0)
				break;
		}
	}
	return best;
}

const char *syscall_name_at(size_t i)
{
	return i < SC_N_ROWS ? sc_rows[i].name : NULL;
}
