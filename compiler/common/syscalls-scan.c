/* SPDX-License-Identifier: MIT */
/*
 * syscalls-scan.c - syscall names and numbers on every arch leash knows,
 * collected from their sources.
 *
 * This runs at build time: tools/gen-syscall-table.c prints the index as
 * compiler/syscalls-table.h, which syscalls.c searches.  Scanning
 * libseccomp costs some 20,000 calls and several milliseconds, far more
 * than compiling a policy, so no leash process pays it.  test-tables
 * also runs it, and checks that the compiled-in table still equals what
 * the installed libseccomp says.
 *
 * Sources, in order of authority:
 *  1. libseccomp's tables (seccomp_syscall_resolve_name_arch()), for every
 *     arch it supports;
 *  2. syscalls-loongarch64.h, generated from the kernel headers by
 *     tools/gen-loongarch-syscalls.sh, for loongarch64 while libseccomp
 *     lacks it (2.5.x);
 *  3. newer_syscalls[] below: syscalls newer than libseccomp 2.5.4 knows,
 *     used only where 1 and 2 have no number.
 *
 * Everything is folded into one index sorted by name holding the number
 * on each arch, plus a per-arch index sorted by number for the reverse
 * lookup.  libseccomp resolves a name quickly (a gperf hash) but a number
 * only by a linear scan, and it cannot list its names at all.
 *
 * NOTE: libseccomp "munges" the socketcall() and ipc() families: on arches
 * where those multiplexers exist (x86, s390, s390x, ppc, ppc64, mips o32)
 * it returns a negative pseudo number (__PNR_socket ...) for "socket" even
 * when the arch also has a direct syscall (x86 socket = 359, since Linux
 * 4.3), and adds rules for both forms when it builds a filter.  leash
 * wants the number the kernel puts in seccomp_data.nr, so a munged name
 * takes its direct number from libseccomp's number-to-name table, and a
 * call with no direct number (x86 accept, s390x recv) is reported as
 * multiplexed.
 */
#include "common/syscalls-scan.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

/* One row of a fixed table: syscalls-loongarch64.h uses it. */
struct sc_fixed {
	const char *name;
	int nr;
};

#include "common/syscalls-loongarch64.h"

#define ARCH_BIT(a) (1u << (a))
#define ALL_ARCHES ((1u << ARCH_COUNT) - 1)
#define NOT_X32 (ALL_ARCHES & ~ARCH_BIT(ARCH_X32))
#define X86_64_ABI (ARCH_BIT(ARCH_X86_64) | ARCH_BIT(ARCH_X32))

/*
 * Syscalls newer than libseccomp 2.5.4 (which stops at 450
 * set_mempolicy_home_node; Debian's 2.5.4-1+deb12u1 adds up to 456
 * futex_requeue).  Since Linux 5.1 (424 pidfd_send_signal) every arch
 * takes new syscalls at one unified number, to which the arch's table
 * base is added (unified_base()); the exceptions are marked.
 *
 * Checked against the upstream patches that wired them up (x86
 * syscall_{32,64}.tbl, arm, powerpc, s390, mips syscall_{o32,n64}.tbl
 * and scripts/syscall.tbl for the asm-generic arches), and by probing an
 * x86_64 Linux 6.18 kernel: with bad arguments, each x86_64 number below
 * and each 451..469 through int $0x80 (i386) failed with an errno other
 * than ENOSYS (uretprobe raised SIGILL, as it does outside a uprobe
 * trampoline).  The exception is map_shadow_stack, compiled out of that
 * kernel (CONFIG_X86_USER_SHADOW_STACK=n).  x32 could not be probed
 * (CONFIG_X86_X32_ABI=n there) and follows the table.  Linux 6.18 has
 * nothing at 470.
 */
static const struct {
	const char *name;
	int nr;
	uint32_t arches;
} newer_syscalls[] = {
	{ "cachestat", 451, ALL_ARCHES },
	{ "fchmodat2", 452, ALL_ARCHES },
	/*
	 * "64" ABI only in syscall_64.tbl, so not x32; reserved on every
	 * other arch by commit 2fd0ebad27bc (Linux 6.7), where it returns
	 * ENOSYS until the arch implements shadow stacks.
	 */
	{ "map_shadow_stack", 453, NOT_X32 },
	{ "futex_wake", 454, ALL_ARCHES },
	{ "futex_wait", 455, ALL_ARCHES },
	{ "futex_requeue", 456, ALL_ARCHES },
	{ "statmount", 457, ALL_ARCHES },
	{ "listmount", 458, ALL_ARCHES },
	{ "lsm_get_self_attr", 459, ALL_ARCHES },
	{ "lsm_set_self_attr", 460, ALL_ARCHES },
	{ "lsm_list_modules", 461, ALL_ARCHES },
	{ "mseal", 462, ALL_ARCHES },
	{ "setxattrat", 463, ALL_ARCHES },
	{ "getxattrat", 464, ALL_ARCHES },
	{ "listxattrat", 465, ALL_ARCHES },
	{ "removexattrat", 466, ALL_ARCHES },
	{ "open_tree_attr", 467, ALL_ARCHES },
	{ "file_getattr", 468, ALL_ARCHES },
	{ "file_setattr", 469, ALL_ARCHES },
	/*
	 * x86-64 only ("common" in syscall_64.tbl: x32 too), in the hole
	 * below 387 that the 64-bit table keeps for its own calls.
	 * uretprobe (Linux 6.11) is only legal from the uprobe trampoline
	 * (SIGILL elsewhere); uprobe is Linux 6.17.
	 */
	{ "uretprobe", 335, X86_64_ABI },
	{ "uprobe", 336, X86_64_ABI },
	/* Linux 6.4: __NR_arch_specific_syscall (244) + 14. */
	{ "riscv_hwprobe", 258, ARCH_BIT(ARCH_RISCV64) },
};

/*
 * Where an arch's table starts: mips numbers each ABI from its own base
 * (o32 4000, n64 5000), x32 sets __X32_SYSCALL_BIT.
 */
static int64_t unified_base(enum leash_arch a)
{
	switch (a) {
	case ARCH_MIPS:
	case ARCH_MIPSEL:
		return 4000;
	case ARCH_MIPS64:
	case ARCH_MIPS64EL:
		return 5000;
	case ARCH_X32:
		return arch_info(a)->nr_bias;
	default:
		return 0;
	}
}

/*
 * The numbers to ask libseccomp about when collecting names: 1024 from
 * the table base covers every arch (the highest today is x32's 547), and
 * ARM keeps a few private calls (cacheflush, set_tls, ...) at
 * __ARM_NR_BASE 0x0f0000.
 */
#define SCAN_SPAN 1024
#define ARM_NR_BASE 0x0f0000
#define ARM_PRIVATE_SPAN 16

/* A (name, arch, number) one of the sources knows. */
struct sc_seen {
	char *name;
	int arch;
	int64_t nr;
	bool scmp;			/* from libseccomp's number scan */
};

VEC(seen_vec, struct sc_seen);

static int cmp_seen(const void *a, const void *b)
{
	const struct sc_seen *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->arch != y->arch)
		return x->arch < y->arch ? -1 : 1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static int cmp_by_nr(const void *a, const void *b)
{
	const struct scan_by_nr *x = a, *y = b;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool is_socket_pnr(int r)
{
	return r <= __PNR_socket && r >= __PNR_sendmmsg;
}

static bool is_ipc_pnr(int r)
{
	return r <= __PNR_semop && r >= __PNR_shmctl;
}

static void scan_range(struct seen_vec *seen, enum leash_arch a,
		       int64_t lo, int64_t n)
{
	uint32_t tok = arch_info(a)->scmp_token;
	int64_t nr;

	for (nr = lo; nr < lo + n; nr++) {
		char *s = seccomp_syscall_resolve_num_arch(tok, (int)nr);
		struct sc_seen e = { s, (int)a, nr, true };

		if (s)
			VEC_PUSH(seen, e);
	}
}

static void add_seen(struct seen_vec *seen, const char *name,
		     enum leash_arch a, int64_t nr)
{
	struct sc_seen e = { xstrdup(name), (int)a, nr, false };

	VEC_PUSH(seen, e);
}

/* Every (name, arch, number) any source knows, unsorted. */
static void collect(struct seen_vec *seen)
{
	size_t i;
	int a;

	for (a = 0; a < ARCH_COUNT; a++) {
		if (!arch_info(a)->scmp_token)
			continue;
		scan_range(seen, a, unified_base(a), SCAN_SPAN);
		if (a == ARCH_ARM)
			scan_range(seen, a, ARM_NR_BASE, ARM_PRIVATE_SPAN);
	}
	for (i = 0; i < ARRAY_SIZE(loongarch64_syscalls); i++)
		add_seen(seen, loongarch64_syscalls[i].name, ARCH_LOONGARCH64,
			 loongarch64_syscalls[i].nr);
	for (i = 0; i < ARRAY_SIZE(newer_syscalls); i++)
		for (a = 0; a < ARCH_COUNT; a++)
			if (newer_syscalls[i].arches & ARCH_BIT(a))
				add_seen(seen, newer_syscalls[i].name, a,
					 unified_base(a) +
						 newer_syscalls[i].nr);
}

/*
 * The number of @e on arch @a.  @first..@last are every source's
 * sightings of this name (sorted by arch): libseccomp's number scan
 * supplies the direct number of a munged call, our own tables the
 * numbers libseccomp has none for.
 */
static void resolve_entry(struct scan_entry *e, enum leash_arch a,
			  const struct sc_seen *first,
			  const struct sc_seen *last, uint32_t has_socketcall,
			  uint32_t has_ipc)
{
	uint32_t tok = arch_info(a)->scmp_token;
	const struct sc_seen *s;
	bool munged;
	int r;

	e->nr[a] = -1;
	if (tok) {
		r = seccomp_syscall_resolve_name_arch(tok, e->name);
		if (r >= 0) {
			e->nr[a] = r;
			return;
		}
	} else {
		r = __NR_SCMP_ERROR;
	}
	/*
	 * A scan sighting counts only for a munged name: for any other,
	 * libseccomp's name table has the last word on its own arches.
	 */
	munged = is_socket_pnr(r) || is_ipc_pnr(r);
	for (s = first; s <= last; s++) {
		if (s->arch == (int)a && (!s->scmp || munged)) {
			e->nr[a] = s->nr;
			return;
		}
	}
	if ((is_socket_pnr(r) && (has_socketcall & ARCH_BIT(a))) ||
	    (is_ipc_pnr(r) && (has_ipc & ARCH_BIT(a))))
		e->muxed |= ARCH_BIT(a);
}

static bool on_some_arch(const struct scan_entry *e)
{
	int a;

	for (a = 0; a < ARCH_COUNT; a++)
		if (e->nr[a] >= 0)
			return true;
	return false;
}

static void build_by_nr(struct scan_index *idx)
{
	size_t i;
	int a;

	for (a = 0; a < ARCH_COUNT; a++) {
		struct scan_by_nr *v = xcalloc(idx->n, sizeof(*v));
		size_t n = 0;

		idx->max_nr[a] = -1;
		for (i = 0; i < idx->n; i++) {
			int64_t nr = idx->v[i].nr[a];

			if (nr < 0)
				continue;
			v[n].nr = nr;
			v[n].name = idx->v[i].name;
			n++;
			/*
			 * ARM's private calls sit far above the table:
			 * counting them would leave no room for "unknown"
			 * (docs/language.md 4) to catch the calls a newer
			 * kernel adds after 469.
			 */
			if (a == ARCH_ARM && nr >= ARM_NR_BASE)
				continue;
			if (nr > idx->max_nr[a])
				idx->max_nr[a] = nr;
		}
		qsort(v, n, sizeof(*v), cmp_by_nr);
		idx->by_nr[a] = v;
		idx->n_by_nr[a] = n;
	}
}

void scan_syscalls(struct scan_index *idx)
{
	struct seen_vec seen = { 0 };
	uint32_t has_socketcall = 0, has_ipc = 0;
	size_t i, j;
	int a;

	memset(idx, 0, sizeof(*idx));
	collect(&seen);
	qsort(seen.v, seen.n, sizeof(*seen.v), cmp_seen);

	for (a = 0; a < ARCH_COUNT; a++) {
		uint32_t tok = arch_info(a)->scmp_token;

		if (tok && seccomp_syscall_resolve_name_arch(tok,
							     "socketcall") >= 0)
			has_socketcall |= ARCH_BIT(a);
		if (tok && seccomp_syscall_resolve_name_arch(tok, "ipc") >= 0)
			has_ipc |= ARCH_BIT(a);
	}

	idx->v = xcalloc(seen.n, sizeof(*idx->v));
	for (i = 0; i < seen.n; i = j) {
		struct scan_entry *e = &idx->v[idx->n++];

		memset(e, 0, sizeof(*e));	/* the slot may be reused */

		for (j = i + 1; j < seen.n; j++)
			if (strcmp(seen.v[j].name, seen.v[i].name) != 0)
				break;
		e->name = TAKE_PTR(seen.v[i].name);
		for (a = 0; a < ARCH_COUNT; a++)
			resolve_entry(e, a, &seen.v[i], &seen.v[j - 1],
				      has_socketcall, has_ipc);
		if (!e->muxed && !on_some_arch(e)) {
			/* libseccomp's two tables disagree: trust names. */
			free(e->name);
			idx->n--;
		}
	}
	for (i = 0; i < seen.n; i++)
		free(seen.v[i].name);
	VEC_FREE(&seen);

	build_by_nr(idx);
}

void scan_index_free(struct scan_index *idx)
{
	size_t i;
	int a;

	for (i = 0; i < idx->n; i++)
		free(idx->v[i].name);
	free(idx->v);
	for (a = 0; a < ARCH_COUNT; a++)
		free(idx->by_nr[a]);
	memset(idx, 0, sizeof(*idx));
}
