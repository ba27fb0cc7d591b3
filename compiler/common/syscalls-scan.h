/* SPDX-License-Identifier: MIT */
/*
 * syscalls-scan.h - build the syscall index from libseccomp and leash's
 * own tables (syscalls-scan.c).  Used at build time by
 * tools/gen-syscall-table and by the unit test that checks the
 * compiled-in table; the compiler itself only reads syscalls-table.h.
 */
#ifndef LEASH_SYSCALLS_SCAN_H
#define LEASH_SYSCALLS_SCAN_H

#include "common/tables.h"

struct scan_entry {
	char *name;
	int64_t nr[ARCH_COUNT];	/* bias included; -1: not there */
	uint32_t muxed;		/* bit per arch: only via socketcall/ipc */
};

struct scan_by_nr {
	int64_t nr;
	const char *name;	/* points into the entries */
};

struct scan_index {
	struct scan_entry *v;	/* sorted by name */
	size_t n;
	struct scan_by_nr *by_nr[ARCH_COUNT];	/* by number, then name */
	size_t n_by_nr[ARCH_COUNT];
	int64_t max_nr[ARCH_COUNT];	/* ARM's private calls not counted */
};

void scan_syscalls(struct scan_index *idx);
void scan_index_free(struct scan_index *idx);

#endif
