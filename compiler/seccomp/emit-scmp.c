/* SPDX-License-Identifier: MIT */
/*
 * emit-scmp.c - the second seccomp backend: the IR compiled by
 * libseccomp from disjoint boxes (disjoint.c), exported as raw BPF.
 *
 * It exists to cross-check the native code generator (emit-bpf.c) with
 * an independent one, and it owns what leash knows about libseccomp's
 * own behaviour (emit-scmp.h), which emit-json.c needs to predict what
 * runc will build from a JSON profile:
 *
 *  - rules are added by syscall *name*: libseccomp translates a number
 *    through the host's table to a name and back, so a number means the
 *    host's syscall, not the arch's;
 *  - on x86, s390(x), ppc(64) and mips o32 a socket or SysV IPC rule is
 *    also added to socketcall()/ipc(), with arg0 replaced (emit_scmp_mux());
 *  - on 32-bit arches *and x32* only the low half of an argument is
 *    compared (emit_scmp_arch_is32());
 *  - it has no rule for "every number above N", nor for numbers missing
 *    from its tables on a foreign arch: a prologue handles those
 *    (emit_scmp_stub_prepend()), as runc's -ENOSYS stub does.
 */
#include "seccomp/emit-scmp.h"

#include <errno.h>
#include <stdarg.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOW32 0xffffffffull
#define X32_BIT 0x40000000u

/* libseccomp's pseudo syscall numbers for the multiplexed families. */
#define PNR_SOCKET_FIRST (-120)
#define PNR_SOCKET_LAST (-100)
#define PNR_IPC_FIRST (-224)
#define PNR_IPC_LAST (-200)

static void scmp_ctx_release(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

#define _cleanup_scmp_ _cleanup_(scmp_ctx_release)

/* ---- libseccomp facts ----------------------------------------------------- */

bool emit_scmp_arch_is32(enum leash_arch a)
{
	return a == ARCH_X32 ||
	       !(arch_info(a)->audit_arch & __AUDIT_ARCH_64BIT);
}

bool emit_scmp_mux(uint32_t token, const char *name, int64_t *mux_nr,
	      uint32_t *call)
{
	int r, m;

	if (!token)
		return false;
	r = seccomp_syscall_resolve_name_arch(token, name);
	if (r >= PNR_SOCKET_FIRST && r <= PNR_SOCKET_LAST)
		*call = (uint32_t)(-r % 100);
	else if (r >= PNR_IPC_FIRST && r <= PNR_IPC_LAST)
		*call = (uint32_t)(-r % 200);
	else
		return false;
	/* The pseudo number rewritten: the arch's socketcall() or ipc(). */
	m = seccomp_syscall_resolve_name_rewrite(token, name);
	if (m < 0)
		return false;
	*mux_nr = m;
	return true;
}

void emit_scmp_mux_boxes(const struct dj_boxes *boxes, uint32_t call, bool is32,
		    struct dj_boxes *out)
{
	size_t i;

	for (i = 0; i < boxes->n; i++) {
		struct dj_box b = boxes->v[i];

		/* libseccomp's EQ with mask DATUM_MAX, on the arch's width. */
		b.a[0].mask = is32 ? LOW32 : ~0ull;
		b.a[0].value = call;
		VEC_PUSH(out, b);
	}
}

int emit_scmp_export(scmp_filter_ctx ctx, struct sock_filter **prog, size_t *len)
{
	/*
	 * libseccomp 2.5 exports to a file descriptor only
	 * (seccomp_export_bpf_mem() is 2.6): an anonymous memory file
	 * needs no file system and no cleanup.
	 */
	_cleanup_close_ int fd = memfd_create("leash-bpf", MFD_CLOEXEC);
	struct sock_filter *p;
	struct stat st;
	size_t got = 0;
	int rc;

	if (fd < 0)
		return -errno;
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		return rc;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size <= 0 || st.st_size % sizeof(*p))
		return -EINVAL;
	p = xmalloc((size_t)st.st_size);
	while (got < (size_t)st.st_size) {
		ssize_t n = pread(fd, (char *)p + got, (size_t)st.st_size - got,
				  (off_t)got);

		if (n <= 0) {
			free(p);
			return n < 0 ? -errno : -EIO;
		}
		got += (size_t)n;
	}
	*prog = p;
	*len = got / sizeof(*p);
	return 0;
}

/* ---- the prologue ----------------------------------------------------------- */

static size_t part_size(const struct scmp_stub_part *p)
{
	return (p->sel != SCMP_STUB_ANY ? 2 : 0) + 2 * p->n_eqs +
	       (p->has_above ? 2 : 0);
}

static void put_ins(struct sock_filter *out, size_t *pc, uint16_t code,
		    uint8_t jt, uint8_t jf, uint32_t k)
{
	out[*pc].code = code;
	out[*pc].jt = jt;
	out[*pc].jf = jf;
	out[*pc].k = k;
	(*pc)++;
}

/* ja to @target from the instruction at *@pc. */
static void put_ja(struct sock_filter *out, size_t *pc, size_t target)
{
	put_ins(out, pc, BPF_JMP | BPF_JA, 0, 0, (uint32_t)(target - *pc - 1));
}

/*
 * Layout (every conditional jump skips at most one instruction, so no
 * jump is ever too long; the far ones are BPF_JA, 32 bits):
 *
 *	ld arch; { jeq AUDIT,0,1; ja SECTION }...; ja FILTER
 *   SECTION:
 *	ld nr
 *	{ [jset BIT30 ...; ja NEXT_PART]  { jeq NR,0,1; ret ACTION }...
 *	  [jgt ABOVE,0,1; ret ACTION]  NEXT_PART: }...
 *	ja FILTER
 *   FILTER: the original program
 */
int emit_scmp_stub_prepend(const struct scmp_stub_part *parts, size_t n,
		      struct sock_filter **prog, size_t *len)
{
	_cleanup_free_ uint32_t *audits = NULL;
	_cleanup_free_ size_t *sec_start = NULL;
	struct sock_filter *out;
	size_t n_sec = 0, total, pc = 0, s, i;

	if (n == 0)
		return 0;
	audits = xcalloc(n, sizeof(*audits));
	sec_start = xcalloc(n, sizeof(*sec_start));
	for (i = 0; i < n; i++) {
		for (s = 0; s < n_sec; s++)
			if (audits[s] == parts[i].audit_arch)
				break;
		if (s == n_sec)
			audits[n_sec++] = parts[i].audit_arch;
	}
	total = 1 + 2 * n_sec + 1;
	for (s = 0; s < n_sec; s++) {
		sec_start[s] = total;
		total += 2;		/* ld nr ... ja FILTER */
		for (i = 0; i < n; i++)
			if (parts[i].audit_arch == audits[s])
				total += part_size(&parts[i]);
	}
	if (total + *len > BPF_MAXINSNS)
		return -E2BIG;

	out = xcalloc(total + *len, sizeof(*out));
	put_ins(out, &pc, BPF_LD | BPF_W | BPF_ABS, 0, 0, 4);
	for (s = 0; s < n_sec; s++) {
		put_ins(out, &pc, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, audits[s]);
		put_ja(out, &pc, sec_start[s]);
	}
	put_ja(out, &pc, total);
	for (s = 0; s < n_sec; s++) {
		put_ins(out, &pc, BPF_LD | BPF_W | BPF_ABS, 0, 0, 0);
		for (i = 0; i < n; i++) {
			const struct scmp_stub_part *p = &parts[i];
			size_t next = pc + part_size(p), e;

			if (p->audit_arch != audits[s])
				continue;
			if (p->sel != SCMP_STUB_ANY) {
				/* Leave the part unless bit 30 is as wanted. */
				bool want = p->sel == SCMP_STUB_X32;

				put_ins(out, &pc, BPF_JMP | BPF_JSET | BPF_K,
					want ? 1 : 0, want ? 0 : 1, X32_BIT);
				put_ja(out, &pc, next);
			}
			for (e = 0; e < p->n_eqs; e++) {
				put_ins(out, &pc, BPF_JMP | BPF_JEQ | BPF_K, 0,
					1, p->eqs[e].nr);
				put_ins(out, &pc, BPF_RET | BPF_K, 0, 0,
					p->eqs[e].action);
			}
			if (p->has_above) {
				put_ins(out, &pc, BPF_JMP | BPF_JGT | BPF_K, 0,
					1, p->above);
				put_ins(out, &pc, BPF_RET | BPF_K, 0, 0,
					p->above_action);
			}
		}
		put_ja(out, &pc, total);
	}
	memcpy(out + total, *prog, *len * sizeof(*out));
	free(*prog);
	*prog = out;
	*len += total;
	return 0;
}

/* ---- the backend ------------------------------------------------------------ */

struct scmp_state {
	const struct ir_filter *f;
	struct diag *d;
	VEC(part_vec, struct scmp_stub_part) parts;
	size_t n_boxes;		/* so far, over all arches */
};

static const char *sys_name(const struct ir_arch *a, const struct ir_syscall *s)
{
	const char *n = s->name ? s->name : syscall_name(a->arch, s->nr);

	return n ? n : "?";
}

static const struct ir_syscall *find_sys(const struct ir_arch *a, int64_t nr)
{
	size_t lo = 0, hi = a->n_sys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->sys[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->n_sys && a->sys[lo].nr == nr ? &a->sys[lo] : NULL;
}

static bool box_is_full(const struct dj_box *b)
{
	int i;

	for (i = 0; i < DJ_ARGS; i++)
		if (b->a[i].mask)
			return false;
	return true;
}

/* One box as libseccomp comparisons; returns how many. */
static unsigned box_cmps(const struct dj_box *b, bool is32,
			 struct scmp_arg_cmp cmp[DJ_ARGS])
{
	uint64_t full = is32 ? LOW32 : ~0ull;
	unsigned n = 0;
	int i;

	for (i = 0; i < DJ_ARGS; i++) {
		const struct dj_pat *p = &b->a[i];

		if (!p->mask)
			continue;
		cmp[n].arg = (unsigned)i;
		if (p->mask == full) {
			cmp[n].op = SCMP_CMP_EQ;
			cmp[n].datum_a = p->value;
			cmp[n].datum_b = 0;
		} else {
			cmp[n].op = SCMP_CMP_MASKED_EQ;
			cmp[n].datum_a = p->mask;
			cmp[n].datum_b = p->value;
		}
		n++;
	}
	return n;
}

static void boxes_free(struct dj_boxes **per_sys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		VEC_FREE(&(*per_sys)[i]);
	free(*per_sys);
	*per_sys = NULL;
}

/*
 * The socketcall()/ipc() rules libseccomp derives from the socket and
 * IPC syscalls on @a must already be what the policy says for those
 * calls of the multiplexer, or the filter would not be exact.
 */
static int check_mux(struct scmp_state *st, const struct ir_arch *a,
		     const struct dj_boxes *boxes)
{
	const struct arch_info *ai = arch_info(a->arch);
	struct dj_boxes mux_rules = { 0 };
	size_t i;
	int r;

	for (i = 0; i < a->n_sys; i++) {
		const char *name = sys_name(a, &a->sys[i]);
		const struct ir_syscall *m;
		int64_t mux_nr;
		uint32_t call;

		if (!boxes[i].n || !emit_scmp_mux(ai->scmp_token, name, &mux_nr,
					     &call))
			continue;
		emit_scmp_mux_boxes(&boxes[i], call, emit_scmp_arch_is32(a->arch),
			       &mux_rules);
		m = find_sys(a, mux_nr);
		r = m ? dj_covered(&mux_rules, &boxes[m - a->sys], 0) : 0;
		VEC_FREE(&mux_rules);
		if (r != 1)
			return diag_fail(
				st->d, NULL, -EINVAL,
				"on %s, libseccomp applies the rules for '%s' "
				"to %s(%u, ...) too, where this policy says "
				"otherwise; give %s the same rules for that "
				"call or leave %s out",
				ai->name, name,
				syscall_name(a->arch, mux_nr) ?: "?", call,
				syscall_name(a->arch, mux_nr) ?: "?", ai->name);
	}
	return 0;
}

VEC(eq_vec, struct scmp_stub_eq);

/* The disjoint boxes of each syscall of @a, refused where libseccomp
 * would compare fewer bits than they do. */
static int build_boxes(struct scmp_state *st, const struct ir_arch *a,
		       struct dj_boxes *boxes)
{
	const struct arch_info *ai = arch_info(a->arch);
	bool is32 = emit_scmp_arch_is32(a->arch);
	size_t i, j;
	int rc = 0;

	for (i = 0; i < a->n_sys && rc == 0; i++) {
		const struct ir_syscall *s = &a->sys[i];

		rc = dj_build(s, a->default_action, 0, &boxes[i]);
		if (rc == -E2BIG)
			rc = diag_fail(st->d, NULL, rc,
				       "the rules for '%s' on %s need more "
				       "than %d disjoint rules",
				       sys_name(a, s), ai->name, DJ_BUDGET);
		else if (rc < 0)
			rc = diag_fail(st->d, NULL, rc,
				       "cannot rewrite the rules for '%s' on "
				       "%s",
				       sys_name(a, s), ai->name);
		for (j = 0; rc == 0 && is32 && j < boxes[i].n; j++)
			if (!dj_box_is32(&boxes[i].v[j]))
				rc = diag_fail(st->d, NULL, -EINVAL,
					  "libseccomp compares only the low 32 "
					  "bits of arguments on %s, but the "
					  "rules for '%s' compare all 64",
					  ai->name, sys_name(a, s));
	}
	return rc;
}

static int check_budget(struct scmp_state *st, const struct ir_arch *a,
			const struct dj_boxes *boxes)
{
	size_t i;

	for (i = 0; i < a->n_sys; i++)
		st->n_boxes += boxes[i].n;
	/* At least one instruction each: see emit-json.c check_total(). */
	if (st->n_boxes > BPF_MAXINSNS)
		return diag_fail(st->d, NULL, -E2BIG,
				 "the policy needs %zu rules, more than the "
				 "kernel's %d BPF instructions can hold",
				 st->n_boxes, BPF_MAXINSNS);
	return 0;
}

/*
 * The number libseccomp is to know @s by, in @num: 0, or 1 when it
 * lacks the call and its whole-call rule went to @eqs for the prologue
 * instead, or an error.
 */
static int scmp_number(struct scmp_state *st, const struct ir_arch *a,
		       const struct ir_syscall *s, const struct dj_boxes *bx,
		       bool muxed, int *num, struct eq_vec *eqs)
{
	const struct arch_info *ai = arch_info(a->arch);
	const char *name = sys_name(a, s);
	int onarch;

	/*
	 * Numbers are the host's (see the header comment): on the host's
	 * own arch the IR's number is right as it is, on any other the
	 * name must go through libseccomp's tables.
	 */
	onarch = seccomp_syscall_resolve_name_arch(ai->scmp_token, name);
	if (a->arch == arch_native() && !muxed) {
		*num = (int)s->nr;
	} else if ((onarch < 0 && !muxed) ||
		   (*num = seccomp_syscall_resolve_name(name)) ==
			   __NR_SCMP_ERROR) {
		/* libseccomp lacks it: only a whole-call rule can go into
		 * the prologue instead. */
		if (bx->n != 1 || !box_is_full(&bx->v[0]))
			return diag_fail(st->d, NULL, -EINVAL,
					 "libseccomp does not know '%s' on %s, "
					 "and its rules depend on arguments",
					 name, ai->name);
		VEC_PUSH(eqs, ((struct scmp_stub_eq){ (uint32_t)s->nr,
						      bx->v[0].action }));
		return 1;
	} else if (!muxed && onarch != s->nr) {
		return diag_fail(st->d, NULL, -EINVAL,
				 "libseccomp numbers '%s' %d on %s, leash %lld",
				 name, onarch, ai->name, (long long)s->nr);
	}
	return 0;
}

/* One libseccomp rule per box of syscall @name, under number @num. */
static int add_boxes(struct scmp_state *st, scmp_filter_ctx ctx,
		     const struct ir_arch *a, const char *name,
		     const struct dj_boxes *bx, bool muxed, int num)
{
	bool is32 = emit_scmp_arch_is32(a->arch);
	size_t k, j;
	int rc = 0;

	/*
	 * Last box first: the boxes are disjoint, so any order means the
	 * same, but libseccomp 2.5's rule insertion is very sensitive to
	 * it.  Over 200 random policies this order took a 6.1 s one to
	 * 0.9 s and one of over 20 s to 0.13 s, and no other above 0.6 s.
	 */
	for (k = bx->n; k > 0 && rc == 0; k--) {
		struct scmp_arg_cmp cmp[DJ_ARGS];
		unsigned n;

		j = k - 1;
		n = box_cmps(&bx->v[j], is32, cmp);

		/*
		 * Exact adds refuse socket/IPC rules with arguments on
		 * multiplexing arches (EINVAL); the plain add multiplexes,
		 * which check_mux() has vetted.
		 */
		if (muxed)
			rc = seccomp_rule_add_array(ctx, bx->v[j].action, num,
						    n, cmp);
		else
			rc = seccomp_rule_add_exact_array(
				ctx, bx->v[j].action, num, n, cmp);
		if (rc < 0)
			rc = diag_fail(st->d, NULL, rc,
				       "cannot add a rule for '%s' on %s: %s",
				       name, arch_info(a->arch)->name,
				       strerror(-rc));
	}
	return rc;
}

static int add_sys_rules(struct scmp_state *st, scmp_filter_ctx ctx,
			 const struct ir_arch *a, const struct ir_syscall *s,
			 const struct dj_boxes *bx, struct eq_vec *eqs)
{
	const char *name = sys_name(a, s);
	int64_t mux_nr;
	uint32_t call;
	bool muxed = emit_scmp_mux(arch_info(a->arch)->scmp_token, name,
				   &mux_nr, &call);
	int num, rc;

	/*
	 * A private syscall (ARM's set_tls, ...) lies above the table,
	 * where the prologue answers 'unknown': the prologue must decide
	 * it first, by number, so only whole-call rules fit.
	 */
	if (s->nr > a->max_nr) {
		if (bx->n > 1 || (bx->n == 1 && !box_is_full(&bx->v[0])))
			return diag_fail(st->d, NULL, -EINVAL,
					 "the libseccomp backend cannot check "
					 "the arguments of %s's private syscall "
					 "'%s'", arch_info(a->arch)->name, name);
		VEC_PUSH(eqs, ((struct scmp_stub_eq){ (uint32_t)s->nr,
			bx->n ? bx->v[0].action : a->default_action }));
		return 0;
	}
	if (!bx->n)
		return 0;
	rc = scmp_number(st, a, s, bx, muxed, &num, eqs);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	return add_boxes(st, ctx, a, name, bx, muxed, num);
}

/* What the prologue does for @a: the calls in @eqs and every number
 * above the table. */
static void add_stub_part(struct scmp_state *st, const struct ir_arch *a,
			  struct eq_vec *eqs)
{
	struct scmp_stub_part part = { 0 };

	part.audit_arch = arch_info(a->arch)->audit_arch;
	part.sel = a->arch == ARCH_X86_64 ? SCMP_STUB_NOT_X32 :
		   a->arch == ARCH_X32	  ? SCMP_STUB_X32 :
					    SCMP_STUB_ANY;
	part.eqs = TAKE_PTR(eqs->v);
	part.n_eqs = eqs->n;
	/*
	 * Always, even when the unknown action is the default: on
	 * x86_64 libseccomp sends every number with bit 31 set to
	 * the bad-arch action, where the IR says "above the table".
	 */
	part.has_above = true;
	part.above = (uint32_t)a->max_nr;
	part.above_action = a->unknown_action;
	VEC_PUSH(&st->parts, part);
}

/* A filter for @a alone with no rule yet. */
static int empty_ctx(struct scmp_state *st, const struct ir_arch *a,
		     scmp_filter_ctx *out)
{
	const struct arch_info *ai = arch_info(a->arch);
	_cleanup_scmp_ scmp_filter_ctx ctx = NULL;
	int rc;

	if (!ai->scmp_token)
		return diag_fail(st->d, NULL, -EOPNOTSUPP,
				 "libseccomp %u.%u.%u lacks arch %s",
				 seccomp_version()->major,
				 seccomp_version()->minor,
				 seccomp_version()->micro, ai->name);
	ctx = seccomp_init(a->default_action);
	if (!ctx)
		return diag_fail(st->d, NULL, -EINVAL,
				 "seccomp_init() refused the default action of "
				 "%s",
				 ai->name);
	if (a->arch != arch_native()) {
		rc = seccomp_arch_add(ctx, ai->scmp_token);
		if (rc == 0)
			rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (rc < 0)
			return diag_fail(st->d, NULL, rc,
					 "cannot add arch %s: %s", ai->name,
					 strerror(-rc));
	}
	*out = TAKE_PTR(ctx);
	return 0;
}

/*
 * The instructions libseccomp makes for @s alone on @a, beyond an empty
 * filter's @base; 0 when it refused (the whole build says why).  See
 * budget_parts().
 */
static long sys_part(struct scmp_state *st, const struct ir_arch *a,
		     const struct ir_syscall *s, const struct dj_boxes *bx,
		     long base)
{
	struct diag quiet;
	struct scmp_state one = { st->f, &quiet, { 0 }, 0 };
	_cleanup_scmp_ scmp_filter_ctx ctx = NULL;
	struct eq_vec eqs = { 0 };
	struct sock_filter *prog = NULL;
	size_t len = 0;
	int rc;

	diag_init(&quiet, NULL);
	rc = empty_ctx(&one, a, &ctx);
	if (rc == 0)
		rc = add_sys_rules(&one, ctx, a, s, bx, &eqs);
	if (rc == 0)
		rc = emit_scmp_export(ctx, &prog, &len);
	free(prog);
	VEC_FREE(&eqs);
	diag_fini(&quiet);
	if (rc == -E2BIG)
		return BPF_MAXINSNS + 1;
	return rc == 0 && (long)len > base ? (long)len - base : 0;
}

/*
 * libseccomp's export time grows much faster than the program it
 * writes: a 27-line policy took it 8 to 16 s to refuse, while each
 * syscall's rules alone export in milliseconds.  The whole program holds
 * each syscall's code, so a syscall over the kernel's limit alone, or
 * parts that together are more than twice the limit, settle it before
 * the whole is built.  Only syscalls with argument rules are measured:
 * the others cost an instruction or two each.
 */
static int budget_parts(struct scmp_state *st, const struct ir_arch *a,
			const struct dj_boxes *boxes)
{
	_cleanup_scmp_ scmp_filter_ctx empty = NULL;
	struct sock_filter *prog = NULL;
	size_t i, len = 0;
	long total = 0, part;
	int rc;

	rc = empty_ctx(st, a, &empty);
	if (rc == 0)
		rc = emit_scmp_export(empty, &prog, &len);
	free(prog);
	if (rc < 0)
		return 0;	/* the whole build says why */
	for (i = 0; i < a->n_sys; i++) {
		if (boxes[i].n == 0 || (boxes[i].n == 1 &&
					box_is_full(&boxes[i].v[0])))
			continue;
		part = sys_part(st, a, &a->sys[i], &boxes[i], (long)len);
		if (part > BPF_MAXINSNS)
			return diag_fail(st->d, NULL, -E2BIG,
					 "the rules for '%s' on %s alone make "
					 "more than the kernel's %d BPF "
					 "instructions in libseccomp",
					 sys_name(a, &a->sys[i]),
					 arch_info(a->arch)->name,
					 BPF_MAXINSNS);
		total += part;
	}
	if (total > 2 * BPF_MAXINSNS)
		return diag_fail(st->d, NULL, -E2BIG,
				 "libseccomp makes %ld BPF instructions of "
				 "the rules on %s one syscall at a time, over "
				 "twice the kernel's %d: refused before it "
				 "builds the whole, which takes it minutes on "
				 "such rules",
				 total, arch_info(a->arch)->name,
				 BPF_MAXINSNS);
	return 0;
}

static int add_arch_rules(struct scmp_state *st, scmp_filter_ctx ctx,
			  const struct ir_arch *a)
{
	struct dj_boxes *boxes = xcalloc(a->n_sys ? a->n_sys : 1,
					 sizeof(*boxes));
	struct eq_vec eqs = { 0 };
	size_t i;
	int rc;

	rc = build_boxes(st, a, boxes);
	if (rc == 0)
		rc = check_budget(st, a, boxes);
	if (rc == 0)
		rc = check_mux(st, a, boxes);
	if (rc == 0)
		rc = budget_parts(st, a, boxes);
	for (i = 0; i < a->n_sys && rc == 0; i++)
		rc = add_sys_rules(st, ctx, a, &a->sys[i], &boxes[i], &eqs);
	if (rc == 0)
		add_stub_part(st, a, &eqs);
	VEC_FREE(&eqs);
	boxes_free(&boxes, a->n_sys);
	return rc;
}

static int arch_ctx(struct scmp_state *st, const struct ir_arch *a,
		    scmp_filter_ctx *out)
{
	_cleanup_scmp_ scmp_filter_ctx ctx = NULL;
	int rc;

	rc = empty_ctx(st, a, &ctx);
	if (rc == 0)
		rc = add_arch_rules(st, ctx, a);
	if (rc < 0)
		return rc;
	*out = TAKE_PTR(ctx);
	return 0;
}

/*
 * NOTE: without x32 in the filter, libseccomp's x86_64 code sends every
 * number with bit 30 to the bad-arch action except 0xffffffff, which it
 * lets through to the rules for ptrace's "skip this call" (and so to the
 * default action).  The language kills them all (docs/language.md 4).
 */
static void add_x32_guard(struct scmp_state *st)
{
	const struct ir_filter *f = st->f;
	struct scmp_stub_part part = { 0 };
	bool x86_64 = false, x32 = false;
	size_t i;

	for (i = 0; i < f->n_arches; i++) {
		x86_64 |= f->arches[i].arch == ARCH_X86_64;
		x32 |= f->arches[i].arch == ARCH_X32;
	}
	if (x32 && !x86_64) {
		/*
		 * The other way round: libseccomp takes every number from
		 * 0x40000000 up for x32 (a '>=' test, not bit 30), so an
		 * x86_64 number of 0x80000000..0xbfffffff would reach x32's
		 * rules.  Below 0x40000000 libseccomp kills by itself.
		 */
		part.audit_arch = arch_info(ARCH_X86_64)->audit_arch;
		part.sel = SCMP_STUB_NOT_X32;
		part.has_above = true;
		part.above = 0x7fffffffu;
		part.above_action = f->bad_arch_action;
		VEC_PUSH(&st->parts, part);
		return;
	}
	if (!x86_64 || x32)
		return;
	part.audit_arch = arch_info(ARCH_X86_64)->audit_arch;
	part.sel = SCMP_STUB_X32;
	part.has_above = true;
	part.above = X32_BIT - 1;	/* every number with bit 30 */
	part.above_action = f->bad_arch_action;
	VEC_PUSH(&st->parts, part);
}

int emit_scmp(const struct ir_filter *f, int optimize,
	      struct sock_filter **prog, size_t *len, struct diag *d)
{
	struct scmp_state st = { f, d, { 0 }, 0 };
	unsigned before = d->n_errors;
	_cleanup_scmp_ scmp_filter_ctx ctx = NULL;
	size_t i;
	int rc = 0;

	*prog = NULL;
	*len = 0;
	if (f->n_arches == 0)
		return diag_fail(st.d, NULL, -EINVAL,
				 "the filter has no architecture");
	for (i = 0; i < f->n_arches && rc == 0; i++) {
		scmp_filter_ctx one = NULL;

		if (f->arches[i].default_action != f->arches[0].default_action)
			rc = diag_fail(st.d, NULL, -EINVAL,
				       "one filter has one default action, but "
				       "%s and %s differ",
				       arch_info(f->arches[0].arch)->name,
				       arch_info(f->arches[i].arch)->name);
		if (rc == 0)
			rc = arch_ctx(&st, &f->arches[i], &one);
		if (rc == 0 && !ctx) {
			ctx = one;
		} else if (rc == 0) {
			/* Merge one-arch filters: each keeps its own rules. */
			rc = seccomp_merge(ctx, one);
			if (rc < 0) {
				seccomp_release(one);
				rc = diag_fail(
					st.d, NULL, rc,
					"cannot combine %s with the other "
					"arches (%s)",
					arch_info(f->arches[i].arch)->name,
					rc == -EDOM ? "byte order differs"
						    : strerror(-rc));
			}
		}
	}
	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				      f->bad_arch_action);
	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (rc == 0 && optimize > 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE,
				      (uint32_t)optimize);
	if (rc == 0)
		add_x32_guard(&st);
	if (rc == 0)
		rc = emit_scmp_export(ctx, prog, len);
	if (rc == 0)
		rc = emit_scmp_stub_prepend(st.parts.v, st.parts.n, prog, len);
	if (rc == 0 && *len > BPF_MAXINSNS)
		rc = -E2BIG;
	/* Each failure above said why once; these had nobody to say it. */
	if (rc == -E2BIG && d->n_errors == before)
		diag_error(d, NULL,
			   "the filter needs more than the kernel's %d "
			   "instructions",
			   BPF_MAXINSNS);
	else if (rc < 0 && d->n_errors == before)
		diag_error(d, NULL, "%s", strerror(-rc));
	if (rc < 0) {
		free(*prog);
		*prog = NULL;
		*len = 0;
	}
	for (i = 0; i < st.parts.n; i++)
		free(st.parts.v[i].eqs);
	VEC_FREE(&st.parts);
	return rc;
}
