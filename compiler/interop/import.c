/* SPDX-License-Identifier: MIT */
/*
 * import.c - 'leash import': a Docker/OCI/podman seccomp profile (or an
 * OCI config.json) turned into a readable policy that compiles to the
 * same filter and settings.
 *
 * The profile is read by scmp-json.c (the same reader the tests use as
 * the oracle), so what is imported is what runc would load.  Four
 * things do not carry over one to one and are decided here:
 *
 *  - The runtimes apply a profile as a set: libseccomp keeps one
 *    unconditional rule per syscall over any conditional one, and runc
 *    skips rules whose action is the default's.  leash reads rules top
 *    down, first match wins.  So rules that libseccomp would ignore are
 *    left out (with a comment saying why), and the rest cannot disagree
 *    whatever their order, which frees the output to group rules by
 *    action.  Conditional rules of different actions that overlap are
 *    the one case left to libseccomp's own order: a warning says so.
 *  - dockerd decides "includes"/"excludes" by the daemon's capabilities,
 *    architecture and kernel.  Capabilities become `when cap`, decided
 *    by the capabilities section (Docker's set unless --caps says
 *    otherwise); the host architecture becomes `when arch` over the
 *    ABIs that archMap gives that host; minKernel is decided here, for
 *    the running kernel or --kernel, and a warning says so.
 *  - An OCI config.json brings its other settings: capabilities (the
 *    bounding set: leash has one set, a difference is a warning),
 *    process, filesystem and limits sections (import-write.c).  A
 *    config without linux.seccomp gets `default allow`, no filter.
 *  - libseccomp compares every argument on 64 bits.  An argument the
 *    kernel reads as 32 bits is declared `:64` so the import means the
 *    same, with a warning: such a comparison can be bypassed.
 */
#include "interop/import-int.h"
#include "interop/import.h"
#include "common/sigs.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

/* ---- reporting ------------------------------------------------------------- */

const struct leash_loc *imp_at(struct imp *im, int line, int col)
{
	im->at = src_loc(im->src, line, col);
	return &im->at;
}

/*
 * The action of an entry or of the default, as runc builds it, with
 * podman's symbolic errno where no number is given.  -1 on error.
 */
static int64_t resolve_action(struct imp *im, enum sj_action a,
			      const char *str, bool has_ret, uint64_t ret,
			      const char *sym, int line, int col)
{
	uint64_t v;

	if (a == SJ_ACT_NONE || a == SJ_ACT_INVALID) {
		diag_error(im->d, imp_at(im, line, col), "unknown action '%s'",
		       str ? str : "");
		return -1;
	}
	if (sym && *sym) {
		/* podman resolves it with the host's numbers. */
		if (!errno_lookup(arch_native(), sym, &v)) {
			diag_error(im->d, imp_at(im, line, col),
				   "unknown errno name '%s'",
				   sym);
			return -1;
		}
		if (has_ret && v != ret)
			diag_warning(im->d, imp_at(im, line, col),
				     "errno '%s' (%llu) and errnoRet %llu "
				     "disagree: runc uses errnoRet",
				     sym, (unsigned long long)v,
				     (unsigned long long)ret);
		if (!has_ret && (a == SJ_ACT_ERRNO || a == SJ_ACT_TRACE)) {
			has_ret = true;
			ret = v;
		}
	}
	if (has_ret && a == SJ_ACT_ERRNO && ret > 4095) {
		diag_error(im->d, imp_at(im, line, col),
			   "errno %llu is out of range (0..4095)",
			   (unsigned long long)ret);
		return -1;
	}
	if (has_ret && a == SJ_ACT_TRACE && ret > 0xffff) {
		diag_error(im->d, imp_at(im, line, col),
			   "trace data %llu is out of range (0..65535)",
			   (unsigned long long)ret);
		return -1;
	}
	return sj_action_value(a, has_ret, ret);
}

/* ---- architectures ---------------------------------------------------------- */

/* moby's name for the host whose native ABI @a is. */
static const char *const moby_name[ARCH_COUNT] = {
	[ARCH_X86_64] = "amd64", [ARCH_X86] = "x86", [ARCH_X32] = "x32",
	[ARCH_AARCH64] = "arm64", [ARCH_ARM] = "arm",
	[ARCH_RISCV64] = "riscv64", [ARCH_PPC64LE] = "ppc64le",
	[ARCH_PPC64] = "ppc64", [ARCH_PPC] = "ppc", [ARCH_S390X] = "s390x",
	[ARCH_S390] = "s390", [ARCH_MIPS] = "mips", [ARCH_MIPSEL] = "mipsel",
	[ARCH_MIPS64] = "mips64", [ARCH_MIPS64EL] = "mipsel64",
	[ARCH_LOONGARCH64] = "loong64",
};

static const enum leash_arch family[ARCH_COUNT] = {
	[ARCH_X86_64] = ARCH_X86_64, [ARCH_X86] = ARCH_X86_64,
	[ARCH_X32] = ARCH_X86_64, [ARCH_AARCH64] = ARCH_AARCH64,
	[ARCH_ARM] = ARCH_AARCH64, [ARCH_RISCV64] = ARCH_RISCV64,
	[ARCH_PPC64LE] = ARCH_PPC64LE, [ARCH_PPC64] = ARCH_PPC64,
	[ARCH_PPC] = ARCH_PPC64, [ARCH_S390X] = ARCH_S390X,
	[ARCH_S390] = ARCH_S390X, [ARCH_MIPS] = ARCH_MIPS64,
	[ARCH_MIPSEL] = ARCH_MIPS64EL, [ARCH_MIPS64] = ARCH_MIPS64,
	[ARCH_MIPS64EL] = ARCH_MIPS64EL, [ARCH_LOONGARCH64] = ARCH_LOONGARCH64,
};

static void add_arch(struct imp *im, const char *docker, int line, int col,
		     const char *host)
{
	const struct arch_info *ai = arch_by_docker_name(docker);

	if (!ai) {
		_cleanup_free_ char *c = xasprintf("architecture %s (", docker);

		if (im->head.s && strstr(im->head.s, c))
			return;
		diag_warning(im->d, imp_at(im, line, col),
			     "architecture '%s' is not one leash compiles for: "
			     "left out",
			     docker);
		sb_printf(&im->head, "# left out: architecture %s (not one "
			  "leash compiles for)\n", docker);
		return;
	}
	if (!(im->selected & 1u << ai->id)) {
		im->arch[im->n_arch++] = ai->id;
		im->selected |= 1u << ai->id;
	}
	if (!im->host[ai->id])
		im->host[ai->id] = host;
}

/*
 * The policy's arches: every ABI archMap names (or "architectures"),
 * and for each the host dockerd would run it on, which decides
 * "includes": {"arches"}.  An ABI under its own archMap entry belongs
 * to that host; one that is only some host's sub-architecture belongs
 * to the first such host.
 */
static void pick_arches(struct imp *im)
{
	const struct sj_profile *p = im->p;
	size_t i, k;

	for (i = 0; i < p->n_arch_map; i++) {
		const struct sj_arch_map *am = &p->arch_map[i];
		const struct arch_info *ai;

		if (!am->arch)
			continue;
		ai = arch_by_docker_name(am->arch);
		if (ai)
			im->host[ai->id] = moby_name[ai->id];
	}
	for (i = 0; i < p->n_arch_map; i++) {
		const struct sj_arch_map *am = &p->arch_map[i];
		const struct arch_info *ai;
		const char *host;

		if (!am->arch)
			continue;
		ai = arch_by_docker_name(am->arch);
		host = ai ? moby_name[ai->id] : "";
		if (im->for_host && strcmp(im->for_host, host))
			continue;
		add_arch(im, am->arch, 0, 0, host);
		for (k = 0; k < am->sub.n; k++)
			add_arch(im, am->sub.v[k],
				 am->sub.loc ? am->sub.loc[k][0] : 0,
				 am->sub.loc ? am->sub.loc[k][1] : 0, host);
	}
	for (i = 0; i < p->arches.n; i++)
		add_arch(im, p->arches.v[i], p->arches.loc[i][0],
			 p->arches.loc[i][1], NULL);
	/* A plain list: each ABI runs on the host of its family's 64-bit
	 * arch when the list has that arch (x86 on amd64), else its own. */
	for (i = 0; i < im->n_arch; i++) {
		enum leash_arch a = im->arch[i], f = family[a];

		if (!im->host[a])
			im->host[a] = moby_name[im->selected & 1u << f ? f : a];
		/* One host runs every listed arch. */
		if (im->for_host && p->arches.n)
			im->host[a] = im->for_host;
	}
	if (!im->n_arch && im->for_host && p->n_arch_map)
		diag_warning(im->d, imp_at(im, 0, 0),
			     "archMap has no entry for host '%s': the runtime "
			     "loads its native arch only",
			     im->for_host);
	/* Without a list the runtime loads the host's arch only. */
	if (!im->n_arch) {
		enum leash_arch a = arch_native();

		im->arch[im->n_arch++] = a;
		im->selected = 1u << a;
		im->host[a] = moby_name[a];
	}
}

static uint32_t host_mask(const struct imp *im, const struct sj_strs *hosts)
{
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < im->n_arch; i++)
		if (im->host[im->arch[i]] &&
		    sj_strs_has(hosts, im->host[im->arch[i]]))
			m |= 1u << im->arch[i];
	return m;
}

/* ---- per entry: conditions, names ------------------------------------------ */

static char *arch_cond(const struct imp *im, uint32_t m)
{
	struct strbuf sb = { 0 };
	size_t i, n = 0;

	for (i = 0; i < im->n_arch; i++)
		if (m & 1u << im->arch[i])
			n++;
	if (n > im->n_arch - n) {
		char *inner = arch_cond(im, im->selected & ~m);
		char *r = xasprintf(im->n_arch - n > 1 ? "!%s" : "!(%s)",
				    inner);

		free(inner);
		return r;
	}
	for (i = 0; i < im->n_arch; i++) {
		if (!(m & 1u << im->arch[i]))
			continue;
		sb_printf(&sb, "%s%sarch %s", sb.len ? " || " : "",
			  !sb.len && n > 1 ? "(" : "",
			  arch_info(im->arch[i])->name);
	}
	if (n > 1)
		sb_putc(&sb, ')');
	return sb_steal(&sb);
}

/*
 * Turn the entry's includes/excludes into a `when` condition, decide
 * what is decided here (minKernel, unknown capabilities), and say
 * whether the rule applies under the chosen capabilities.
 */
static void entry_when(struct imp *im, struct rule *r)
{
	const struct sj_syscall *s = r->s;
	struct strbuf sb = { 0 };
	size_t i;
	int c;

	r->applies = true;
	r->mask = im->selected;
	for (i = 0; i < s->includes.caps.n; i++) {
		const char *cn = s->includes.caps.v[i];

		c = cap_by_name(cn);
		if (c < 0) {
			diag_warning(im->d, imp_at(im, s->line, s->col),
				     "unknown capability '%s': Docker never "
				     "grants it, so this rule never applies",
				     cn);
			r->skip = true;
			r->why_skip = xasprintf("needs capability %s, which "
						"leash does not know", cn);
			continue;
		}
		sb_printf(&sb, "%scap %s", sb.len ? " && " : "",
			  cap_name(c));
		r->applies &= (im->caps >> c & 1) != 0;
	}
	for (i = 0; i < s->excludes.caps.n; i++) {
		const char *cn = s->excludes.caps.v[i];

		c = cap_by_name(cn);
		if (c < 0) {
			diag_warning(im->d, imp_at(im, s->line, s->col),
				     "unknown capability '%s' in excludes: "
				     "never held, ignored",
				     cn);
			continue;
		}
		sb_printf(&sb, "%s!cap %s", sb.len ? " && " : "",
			  cap_name(c));
		r->applies &= !(im->caps >> c & 1);
	}
	if (s->includes.arches.n)
		r->mask &= host_mask(im, &s->includes.arches);
	if (s->excludes.arches.n)
		r->mask &= ~host_mask(im, &s->excludes.arches);
	if (!r->mask && !r->skip) {
		r->skip = true;
		r->why_skip = xstrdup("for hosts this policy has no arch of");
	} else if (r->mask != im->selected) {
		_cleanup_free_ char *a = arch_cond(im, r->mask);

		sb_printf(&sb, "%s%s", sb.len ? " && " : "", a);
	}
	if (s->includes.min_kernel && *s->includes.min_kernel) {
		bool ok = sj_kernel_ge(im->kernel, s->includes.min_kernel);

		diag_warning(im->d, imp_at(im, s->line, s->col),
			     "minKernel %s decided for kernel %s: %s",
			     s->includes.min_kernel, im->kernel,
			     ok ? "the rule applies" : "left out");
		if (ok)
			sb_printf(&r->notes, "Docker: minKernel %s; kernel %s "
				  "has it, so this applies.\n",
				  s->includes.min_kernel, im->kernel);
		else if (!r->skip) {
			r->skip = true;
			r->why_skip = xasprintf("needs kernel %s, not %s",
						s->includes.min_kernel,
						im->kernel);
		}
	}
	if (s->excludes.min_kernel && *s->excludes.min_kernel) {
		bool ge = sj_kernel_ge(im->kernel, s->excludes.min_kernel);

		diag_warning(im->d, imp_at(im, s->line, s->col),
			     "excludes minKernel %s decided for kernel %s: %s",
			     s->excludes.min_kernel, im->kernel,
			     ge ? "left out" : "the rule applies");
		if (!ge)
			sb_printf(&r->notes, "Docker: not from kernel %s on; "
				  "kernel %s is older, so this applies.\n",
				  s->excludes.min_kernel, im->kernel);
		else if (!r->skip) {
			r->skip = true;
			r->why_skip = xasprintf("not from kernel %s on (this "
						"is %s)",
						s->excludes.min_kernel,
						im->kernel);
		}
	}
	r->when = sb_steal(&sb);
}

static bool known_on(const struct imp *im, const char *name, uint32_t m)
{
	bool mux;
	size_t i;

	for (i = 0; i < im->n_arch; i++)
		if ((m & 1u << im->arch[i]) &&
		    (syscall_nr(im->arch[i], name, &mux) >= 0 || mux))
			return true;
	return false;
}

void imp_push_name(struct sj_strs *s, const char *n)
{
	if (sj_strs_has(s, n))
		return;
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = xstrdup(n);
}

static void entry_names(struct imp *im, struct rule *r)
{
	const struct sj_syscall *s = r->s;
	const char *one[1];
	const char *const *v = (const char *const *)s->names.v;
	size_t n = s->names.n, i;

	if (s->name && *s->name) {
		if (s->names.n) {
			diag_error(im->d, imp_at(im, s->line, s->col),
				   "'name' and 'names' were both given");
			return;
		}
		one[0] = s->name;
		v = one;
		n = 1;
	}
	for (i = 0; i < n; i++) {
		int line = s->names.loc && v != one ? s->names.loc[i][0] :
						      s->line;
		int col = s->names.loc && v != one ? s->names.loc[i][1] :
						     s->col;

		if (!*v[i]) {
			diag_error(im->d, imp_at(im, line, col),
				   "empty syscall name");
			continue;
		}
		if (r->skip) {
			imp_push_name(&r->names, v[i]);
			continue;
		}
		if (!syscall_known_anywhere(v[i])) {
			diag_warning(im->d, imp_at(im, line, col),
				     "unknown syscall '%s': runtimes ignore "
				     "it; kept as a comment",
				     v[i]);
			sb_printf(&r->notes, "unknown to leash: %s\n", v[i]);
			continue;
		}
		if (!known_on(im, v[i], r->mask)) {
			diag_warning(im->d, imp_at(im, line, col),
				     "'%s' is not a syscall on the arches this "
				     "rule applies to; kept as a comment",
				     v[i]);
			sb_printf(&r->notes, "not on these arches: %s\n",
				  v[i]);
			continue;
		}
		imp_push_name(&r->names, v[i]);
	}
	r->dead = xcalloc(r->names.n + 1, sizeof(*r->dead));
}

static void entry_args(struct imp *im, const struct sj_syscall *s)
{
	size_t i;

	for (i = 0; i < s->n_args; i++) {
		const struct sj_arg *a = &s->args[i];

		if (a->op == _SCMP_CMP_MIN)
			diag_error(im->d,
				   imp_at(im, a->op_line ? a->op_line : a->line,
					  a->op_line ? a->op_col : a->col),
				   "unknown operator '%s'",
				   a->op_str ? a->op_str : "");
		else if (a->index > 5)
			diag_error(im->d, imp_at(im, a->line, a->col),
				   "argument index %u: syscalls have 6 "
				   "arguments (0..5)",
				   a->index);
	}
}

/* ---- what runc matches: for the overlap check ------------------------------ */

static bool cmp_holds(const struct sj_arg *a, uint64_t v)
{
	switch (a->op) {
	case SCMP_CMP_NE: return v != a->value;
	case SCMP_CMP_LT: return v < a->value;
	case SCMP_CMP_LE: return v <= a->value;
	case SCMP_CMP_EQ: return v == a->value;
	case SCMP_CMP_GE: return v >= a->value;
	case SCMP_CMP_GT: return v > a->value;
	case SCMP_CMP_MASKED_EQ:
		return (v & a->value) == (a->value_two & a->value);
	default: return false;
	}
}

bool imp_repeats_index(const struct sj_syscall *s)
{
	unsigned seen = 0;
	size_t i;

	for (i = 0; i < s->n_args; i++) {
		if (seen & 1u << s->args[i].index)
			return true;
		seen |= 1u << s->args[i].index;
	}
	return false;
}

/* runc: the comparisons ANDed, or ORed when one argument is compared
 * twice (libseccomp refuses the AND, runc adds one rule each). */
static bool entry_holds(const struct sj_syscall *s, const uint64_t v[6])
{
	bool any = imp_repeats_index(s);
	size_t i;

	for (i = 0; i < s->n_args; i++) {
		bool h = cmp_holds(&s->args[i], v[s->args[i].index]);

		if (any && h)
			return true;
		if (!any && !h)
			return false;
	}
	return !any;
}

VEC(val_vec, uint64_t);

static void boundary(struct val_vec *v, const struct sj_arg *a)
{
	uint64_t x = a->op == SCMP_CMP_MASKED_EQ ? a->value_two & a->value :
						   a->value;

	VEC_PUSH(v, x);
	VEC_PUSH(v, x - 1);
	VEC_PUSH(v, x + 1);
	if (a->op == SCMP_CMP_MASKED_EQ) {
		VEC_PUSH(v, x | ~a->value);
		VEC_PUSH(v, x ^ a->value);
	}
}

/* Whether some call matches both entries, over the boundaries of their
 * constants (exact for comparisons of one argument with constants). */
static bool overlap(const struct sj_syscall *a, const struct sj_syscall *b)
{
	struct val_vec v[6] = { { 0 } };
	size_t i, n[6], idx[6] = { 0 }, total = 1, k;
	uint64_t x[6] = { 0 };
	bool hit = false;
	int p;

	for (i = 0; i < a->n_args; i++)
		boundary(&v[a->args[i].index], &a->args[i]);
	for (i = 0; i < b->n_args; i++)
		boundary(&v[b->args[i].index], &b->args[i]);
	for (p = 0; p < 6; p++) {
		VEC_PUSH(&v[p], 0);
		VEC_PUSH(&v[p], ~0ull);
		n[p] = v[p].n;
		if (total < 1u << 20)
			total *= n[p];
	}
	for (k = 0; k < total && k < (1u << 20) && !hit; k++) {
		size_t r = k;

		for (p = 0; p < 6; p++) {
			idx[p] = r % n[p];
			r /= n[p];
			x[p] = v[p].v[idx[p]];
		}
		hit = entry_holds(a, x) && entry_holds(b, x);
	}
	for (p = 0; p < 6; p++)
		VEC_FREE(&v[p]);
	return hit;
}

bool imp_has_name(const struct rule *r, const char *n, size_t *at)
{
	size_t i;

	for (i = 0; i < r->names.n; i++)
		if (!strcmp(r->names.v[i], n)) {
			if (at)
				*at = i;
			return true;
		}
	return false;
}

/*
 * Name @k of @r is left out of the import, with a warning and a note:
 * libseccomp lets @u decide it instead, because @u is unconditional and
 * @r has conditions (@u_wins), or because @u, a whole-call rule too,
 * comes first.
 */
static void leave_out(struct imp *im, struct rule *r, size_t k,
		      const struct rule *u, bool u_wins)
{
	const struct leash_loc *at = imp_at(im, r->s->line, r->s->col);
	const char *name = r->names.v[k];

	r->dead[k] = true;
	if (u_wins) {
		diag_warning(im->d, at, "libseccomp ignores this rule for "
			     "'%s': the unconditional rule of line %d wins; "
			     "left out", name, u->s->line);
		sb_printf(&r->notes, "left out for %s: the unconditional rule "
			  "of line %d wins in libseccomp\n", name,
			  u->s->line);
	} else {
		diag_warning(im->d, at, "'%s' already has another action at "
			     "line %d, which libseccomp keeps; left out here",
			     name, u->s->line);
		sb_printf(&r->notes, "left out for %s: line %d comes first "
			  "and libseccomp keeps it\n", name, u->s->line);
	}
}

/*
 * Leave out what libseccomp would not apply, so that the remaining
 * rules give the same answer in any order: a conditional rule under an
 * unconditional one of another action for the same syscall, and rules
 * whose action is the default's (runc skips them).
 */
static void settle(struct imp *im)
{
	size_t i, j, k, at;

	for (i = 0; i < im->n_r; i++) {
		struct rule *r = &im->r[i];

		if (!r->skip && r->act == im->def) {
			r->skip = true;
			r->why_skip = xstrdup("the default's action: runc "
					      "skips it");
		}
	}
	for (i = 0; i < im->n_r; i++) {
		struct rule *r = &im->r[i];

		if (r->skip || !r->applies)
			continue;
		for (k = 0; k < r->names.n; k++) {
			for (j = 0; j < im->n_r; j++) {
				struct rule *u = &im->r[j];

				if (j == i || u->skip || !u->applies ||
				    u->act == r->act ||
				    !imp_has_name(u, r->names.v[k], &at) ||
				    u->dead[at] || !(u->mask & r->mask))
					continue;
				if (r->s->n_args && !u->s->n_args &&
				    (r->mask & ~u->mask) == 0) {
					leave_out(im, r, k, u, true);
					break;
				}
				if (j > i || r->dead[k])
					continue;
				if (!r->s->n_args && !u->s->n_args &&
				    (r->mask & ~u->mask) == 0) {
					leave_out(im, r, k, u, false);
					break;
				}
				if (r->s->n_args && u->s->n_args &&
					 overlap(r->s, u->s))
					diag_warning(im->d,
						     imp_at(im, r->s->line,
							    r->s->col),
						     "this rule and line %d "
						     "overlap for '%s' with "
						     "different actions: "
						     "libseccomp orders them "
						     "its own way, the import "
						     "puts them by action",
						     u->s->line, r->names.v[k]);
			}
		}
	}
}

/* ---- the command ------------------------------------------------------------- */

static bool is_ident(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* The policy name from the file name: "docker-default.json" ->
 * "docker-default". */
static char *name_from_path(const char *path)
{
	_cleanup_free_ char *copy = xstrdup(path);
	char *base = xstrdup(basename(copy)), *dot = strrchr(base, '.');

	if (dot && dot != base)
		*dot = '\0';
	if (!*base || !strcmp(base, "-")) {
		free(base);
		base = xstrdup("imported");
	}
	return base;
}

static int parse_caps(struct imp *im, const char *arg)
{
	_cleanup_free_ char *copy = xstrdup(arg);
	char *save = NULL, *t;

	if (!strcmp(arg, "docker")) {
		im->caps = caps_docker_default();
		im->caps_docker = true;
		return 0;
	}
	im->caps = 0;
	im->caps_docker = false;
	if (!strcmp(arg, "none") || !*arg)
		return 0;
	for (t = strtok_r(copy, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		int c = cap_by_name(t);

		if (c < 0) {
			const char *sug = cap_suggest(t);

			diag_plain_error(im->d, "unknown capability '%s'%s%s%s",
					 t, sug ? " (did you mean '" : "",
					 sug ? sug : "", sug ? "'?)" : "");
			return -EINVAL;
		}
		im->caps |= 1ull << c;
	}
	return 0;
}

/* The import must be a policy leash accepts; anything else is a bug
 * here, and nothing is written. */
static int self_check(struct imp *im, const struct strbuf *text)
{
	struct leash_ctx ctx;
	struct seccomp_out sc = { 0 };
	struct ast_policy *pol;
	int rc;

	/* Its warnings (a rule the profile repeats) would point into a
	 * file nobody sees: only a failure is shown. */
	leash_ctx_init(&ctx, NULL);
	rc = res_load_buffer(&ctx, "<import>", text->s, text->len);
	if (rc == 0)
		rc = front_finish(&ctx);
	pol = rc == 0 ? res_find_policy(&ctx, im->name) : NULL;
	if (rc == 0 && !pol)
		rc = -EINVAL;
	if (rc == 0)
		rc = build_seccomp(&ctx, pol, BACKEND_NATIVE, 0, &sc);
	if (rc == 0 && diag_failed(&ctx.diag))
		rc = -EINVAL;
	if (rc < 0)
		diag_error(im->d, imp_at(im, 0, 0),
			   "leash cannot compile the import (a bug in 'leash "
			   "import'): %s; nothing written",
			   diag_first_error(&ctx.diag)
				   ? diag_first_error(&ctx.diag)
				   : strerror(-rc));
	build_seccomp_free(&sc);
	leash_ctx_fini(&ctx);
	return rc;
}

static void cap_names(struct strbuf *sb, uint64_t set)
{
	int c;

	for (c = 0; c < CAP_COUNT; c++)
		if (set >> c & 1)
			sb_printf(sb, "%s%s", sb->len ? " " : "",
				  cap_name(c));
	if (!sb->len)
		sb_puts(sb, "none");
}

/* A config's own capabilities replace --caps: they are what the
 * container runs with, so they also decide `when cap`.  leash has one
 * set for bounding, permitted and effective: the bounding set is taken,
 * and a difference is said. */
static void config_caps(struct imp *im, bool caps_opt)
{
	const struct oci_container *c = im->oci;
	const struct oci_loc *l = &c->caps_loc;
	static const char *const set_name[] = { "effective", "permitted" };
	uint64_t set[2] = { c->cap_effective, c->cap_permitted };
	size_t i;

	if (caps_opt)
		diag_warning(im->d, imp_at(im, l->line, l->col),
			     "--caps is ignored: the config's capabilities%s "
			     "decide",
			     c->has_caps ? ""
					 : " (none: process.capabilities is "
					   "absent)");
	im->caps_docker = false;
	im->caps = c->has_caps ? c->cap_bounding : 0;
	im->ambient = c->has_caps ? c->cap_ambient : 0;
	if (!c->has_caps)
		return;
	for (i = 0; i < 2; i++) {
		_cleanup_(sb_free) struct strbuf a = { 0 }, b = { 0 };

		if (set[i] == c->cap_bounding)
			continue;
		cap_names(&a, set[i]);
		cap_names(&b, c->cap_bounding);
		diag_warning(im->d, imp_at(im, l->line, l->col),
			     "the %s set (%s) differs from the bounding set "
			     "(%s): leash has one set, the bounding set is "
			     "imported",
			     set_name[i], a.s, b.s);
	}
	if (c->cap_ambient & ~c->cap_bounding)
		diag_warning(im->d, imp_at(im, l->line, l->col),
			     "ambient capabilities outside the bounding set: "
			     "`ambient` adds them to the set");
	if (c->cap_inheritable != c->cap_ambient)
		diag_warning(im->d, imp_at(im, l->line, l->col),
			     "the inheritable set is not imported: leash makes "
			     "it the ambient set");
	for (i = 0; i < c->unknown_caps.n; i++)
		diag_warning(im->d, imp_at(im, l->line, l->col),
			     "capability '%s' is unknown to leash: left out",
			     c->unknown_caps.v[i]);
}


static void rules_free(struct imp *im)
{
	size_t i, k;

	for (i = 0; i < im->n_r; i++) {
		struct rule *r = &im->r[i];

		free(r->when);
		free(r->why_skip);
		for (k = 0; k < r->names.n; k++)
			free(r->names.v[k]);
		free(r->names.v);
		free(r->dead);
		sb_free(&r->notes);
	}
	free(im->r);
}

/* The profile's rules, decided and settled into im->r. */
static int read_rules(struct imp *im)
{
	const struct sj_profile *p = im->p;
	size_t i;
	int64_t def;

	def = resolve_action(im, p->default_action, p->default_action_str,
			     p->has_default_errno_ret, p->default_errno_ret,
			     p->default_errno_name, p->default_line,
			     p->default_col);
	if (def >= 0 && p->default_action == SJ_ACT_NOTIFY) {
		diag_error(im->d, imp_at(im, p->default_line, p->default_col),
		       "SCMP_ACT_NOTIFY cannot be the default action");
		def = -1;
	}
	im->def = (uint32_t)def;
	for (i = 0; i < p->flags.n; i++)
		diag_warning(im->d,
			     imp_at(im, p->flags.loc[i][0], p->flags.loc[i][1]),
			     "flag %s has no leash counterpart: left out",
			     p->flags.v[i]);
	if (p->listener_path)
		diag_warning(im->d, imp_at(im, 0, 0),
			     "listenerPath has no leash counterpart: left out");
	pick_arches(im);
	im->r = xcalloc(p->n_sys + 1, sizeof(*im->r));
	for (i = 0; i < p->n_sys; i++) {
		const struct sj_syscall *s = &p->sys[i];
		struct rule *r = &im->r[im->n_r++];
		int64_t a;

		r->s = s;
		a = resolve_action(im, s->action, s->action_str,
				   s->has_errno_ret, s->errno_ret,
				   s->errno_name, s->action_line ?
				   s->action_line : s->line, s->action_line ?
				   s->action_col : s->col);
		r->act = (uint32_t)a;
		entry_args(im, s);
		entry_when(im, r);
		entry_names(im, r);
	}
	if (im->d->n_errors != im->errors)
		return -EINVAL;
	settle(im);
	return 0;
}

static int import_profile(struct imp *im, struct strbuf *out)
{
	if (im->p && read_rules(im) < 0)
		return -EINVAL;
	sb_printf(out, "# %s - imported by 'leash import' from %s.\n",
		  im->name, im->path);
	if (im->p)
		sb_printf(out, "#\n# \"includes\"/\"excludes\": capabilities "
			  "are decided by the capabilities\n# section "
			  "below, architectures for %s%s, and minKernel "
			  "for\n# kernel %s.\n", im->for_host ? "host " : "",
			  im->for_host ? im->for_host :
			  "the host each ABI runs on", im->kernel);
	if (im->head.len)
		sb_printf(out, "#\n%s", im->head.s);
	sb_printf(out, "\nleash 1;\n\npolicy ");
	if (is_ident(im->name))
		sb_puts(out, im->name);
	else
		sb_printf(out, "\"%s\"", im->name);
	sb_puts(out, " {\n");
	if (im->p)
		imp_put_seccomp(im, out);
	else
		sb_puts(out, "    # The config has no linux.seccomp: no filter."
			"\n    seccomp {\n        default allow;\n    }\n");
	imp_put_caps(im, out);
	if (im->oci)
		imp_put_config(im, out);
	sb_puts(out, "}\n");
	return im->d->n_errors != im->errors ? -EINVAL : 0;
}

/* The options that shape the import, checked before the input is read:
 * a mistake there is the caller's, not the input's (-EDOM). */
static int apply_opts(struct imp *im, const struct imp_opts *o,
		      const char *path)
{
	static struct utsname u;
	const char *host = o->host;
	size_t i;

	im->caps = caps_docker_default();
	im->caps_docker = true;
	if (o->caps && parse_caps(im, o->caps) < 0)
		return -EDOM;
	im->kernel = o->kernel;
	if (!im->kernel)
		im->kernel = uname(&u) == 0 ? u.release : "0";
	if (!host)
		host = moby_name[arch_native()];
	if (strcmp(host, "all")) {
		for (i = 0; i < ARCH_COUNT && strcmp(moby_name[i], host); i++)
			;
		if (i == ARCH_COUNT) {
			diag_plain_error(im->d,
					 "unknown host '%s' (amd64, arm64, "
					 "s390x, ... or all)",
					 host);
			return -EDOM;
		}
		im->for_host = host;
	}
	im->name = o->name ? xstrdup(o->name) : name_from_path(path);
	if (strchr(im->name, '"') || strchr(im->name, '\\') || !*im->name) {
		diag_plain_error(im->d, "bad policy name '%s'", im->name);
		return -EDOM;
	}
	return 0;
}

/* Read the config or profile of @im->src into @doc and @prof. */
static int read_input(struct imp *im, const struct imp_opts *o,
		      struct oci_doc *doc, struct sj_profile **prof)
{
	const struct src_file *src = im->src;

	if (oci_detect(src) == OCI_KIND_CONFIG) {
		if (oci_read(src, doc, im->d) < 0)
			return -EINVAL;
		if (doc->n != 1) {
			diag_error(im->d, imp_at(im, 0, 0),
				   "cannot read the config");
			return -EINVAL;
		}
		im->oci = &doc->c[0];
		im->buf = src->buf;
		im->len = src->len;
		config_caps(im, o->caps != NULL);
	}
	if ((!im->oci || im->oci->seccomp_kind == OCI_SECCOMP_PROFILE) &&
	    sj_parse(src, prof, im->d) < 0)
		return -EINVAL;
	im->p = *prof;
	return 0;
}

int imp_run(const char *path, const struct imp_opts *o, struct strbuf *out,
	    struct diag *d)
{
	const char *shown = strcmp(path, "-") ? path : "<stdin>";
	struct imp im = { .d = d, .path = shown, .errors = d->n_errors };
	struct sj_profile *prof = NULL;
	struct oci_doc doc = { 0 };
	struct src_file *src = NULL;
	char *buf = NULL;
	size_t len;
	int rc;

	rc = apply_opts(&im, o, path);
	if (rc == 0) {
		rc = read_file(strcmp(path, "-") ? path : "/dev/stdin", &buf,
			       &len, LEASH_MAX_FILE_SIZE);
		if (rc < 0)
			diag_file_error(d, shown, "%s", rc == -EFBIG ?
					"file too large" : strerror(-rc));
	}
	if (rc == 0) {
		src = src_file_new(path, shown, buf, len);
		im.src = src;
		rc = read_input(&im, o, &doc, &prof);
	}
	if (rc == 0)
		rc = import_profile(&im, out);
	if (rc == 0)
		rc = self_check(&im, out);
	rules_free(&im);
	sb_free(&im.head);
	free((char *)im.name);
	sj_profile_destroy(&prof);
	oci_doc_free(&doc);
	src_file_free(src);
	return rc;
}
