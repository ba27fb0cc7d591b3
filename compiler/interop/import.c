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

static void vreport(struct imp *im, const char *lvl, int line, int col,
		    const char *fmt, va_list ap)
{
	if (line > 0)
		fprintf(stderr, "%s:%d:%d: %s: ", im->path, line,
			col > 0 ? col : 1, lvl);
	else
		fprintf(stderr, "%s: %s: ", im->path, lvl);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	if (!strcmp(lvl, "error"))
		im->errors++;
}

void imp_report(struct imp *im, const char *lvl, int line, int col,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(im, lvl, line, col, fmt, ap);
	va_end(ap);
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
		imp_report(im, "error", line, col, "unknown action '%s'",
		       str ? str : "");
		return -1;
	}
	if (sym && *sym) {
		if (!errno_lookup(sym, &v)) {
			imp_report(im, "error", line, col, "unknown errno name "
			       "'%s'", sym);
			return -1;
		}
		if (has_ret && v != ret)
			imp_report(im, "warning", line, col, "errno '%s' (%llu) "
			       "and errnoRet %llu disagree: runc uses "
			       "errnoRet", sym, (unsigned long long)v,
			       (unsigned long long)ret);
		if (!has_ret && (a == SJ_ACT_ERRNO || a == SJ_ACT_TRACE)) {
			has_ret = true;
			ret = v;
		}
	}
	if (has_ret && a == SJ_ACT_ERRNO && ret > 4095) {
		imp_report(im, "error", line, col, "errno %llu is out of range "
		       "(0..4095)", (unsigned long long)ret);
		return -1;
	}
	if (has_ret && a == SJ_ACT_TRACE && ret > 0xffff) {
		imp_report(im, "error", line, col, "trace data %llu is out of "
		       "range (0..65535)", (unsigned long long)ret);
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
		imp_report(im, "warning", line, col, "architecture '%s' is not "
		       "one leash compiles for: left out", docker);
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
		imp_report(im, "warning", 0, 0, "archMap has no entry for host "
		       "'%s': the runtime loads its native arch only",
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
			imp_report(im, "warning", s->line, s->col, "unknown "
			       "capability '%s': Docker never grants it, so "
			       "this rule never applies", cn);
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
			imp_report(im, "warning", s->line, s->col, "unknown "
			       "capability '%s' in excludes: never held, "
			       "ignored", cn);
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

		imp_report(im, "warning", s->line, s->col, "minKernel %s decided "
		       "for kernel %s: %s", s->includes.min_kernel,
		       im->kernel, ok ? "the rule applies" : "left out");
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

		imp_report(im, "warning", s->line, s->col, "excludes minKernel %s "
		       "decided for kernel %s: %s", s->excludes.min_kernel,
		       im->kernel, ge ? "left out" : "the rule applies");
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
			imp_report(im, "error", s->line, s->col, "'name' and "
			       "'names' were both given");
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
			imp_report(im, "error", line, col, "empty syscall name");
			continue;
		}
		if (r->skip) {
			imp_push_name(&r->names, v[i]);
			continue;
		}
		if (!syscall_known_anywhere(v[i])) {
			imp_report(im, "warning", line, col, "unknown syscall "
			       "'%s': runtimes ignore it; kept as a comment",
			       v[i]);
			sb_printf(&r->notes, "unknown to leash: %s\n", v[i]);
			continue;
		}
		if (!known_on(im, v[i], r->mask)) {
			imp_report(im, "warning", line, col, "'%s' is not a "
			       "syscall on the arches this rule applies to; "
			       "kept as a comment", v[i]);
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
			imp_report(im, "error", a->op_line ? a->op_line : a->line,
			       a->op_line ? a->op_col : a->col,
			       "unknown operator '%s'",
			       a->op_str ? a->op_str : "");
		else if (a->index > 5)
			imp_report(im, "error", a->line, a->col, "argument index "
			       "%u: syscalls have 6 arguments (0..5)",
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
					r->dead[k] = true;
					imp_report(im, "warning", r->s->line,
					       r->s->col, "libseccomp ignores "
					       "this rule for '%s': the "
					       "unconditional rule of line %d "
					       "wins; left out",
					       r->names.v[k], u->s->line);
					sb_printf(&r->notes, "left out for %s: "
						  "the unconditional rule of "
						  "line %d wins in "
						  "libseccomp\n",
						  r->names.v[k], u->s->line);
					break;
				}
				if (j > i || r->dead[k])
					continue;
				if (!r->s->n_args && !u->s->n_args &&
				    (r->mask & ~u->mask) == 0) {
					r->dead[k] = true;
					imp_report(im, "warning", r->s->line,
					       r->s->col, "'%s' already has "
					       "another action at line %d, "
					       "which libseccomp keeps; left "
					       "out here", r->names.v[k],
					       u->s->line);
					sb_printf(&r->notes, "left out for %s: "
						  "line %d comes first and "
						  "libseccomp keeps it\n",
						  r->names.v[k], u->s->line);
					break;
				}
				if (r->s->n_args && u->s->n_args &&
					 overlap(r->s, u->s))
					imp_report(im, "warning", r->s->line,
					       r->s->col, "this rule and line "
					       "%d overlap for '%s' with "
					       "different actions: libseccomp "
					       "orders them its own way, the "
					       "import puts them by action",
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

			fprintf(stderr, "leash import: unknown capability "
				"'%s'%s%s%s\n", t,
				sug ? " (did you mean '" : "", sug ? sug : "",
				sug ? "'?)" : "");
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
	struct note_vec notes = { 0 };
	struct ast_policy *pol;
	int rc;

	char *log = NULL;
	size_t log_len = 0;
	FILE *df = open_memstream(&log, &log_len);

	if (!df)
		die_oom();
	/* Its warnings (a rule the profile repeats) would point into a
	 * file nobody sees: only a failure is shown. */
	leash_ctx_init(&ctx, df);
	rc = res_load_buffer(&ctx, "<import>", text->s, text->len);
	if (rc == 0)
		rc = front_finish(&ctx);
	pol = rc == 0 ? res_find_policy(&ctx, im->name) : NULL;
	if (rc == 0 && !pol)
		rc = -EINVAL;
	if (rc == 0)
		rc = build_seccomp(&ctx, pol, BACKEND_NATIVE, TARGET_BPF, &sc,
				   &notes);
	if (rc == 0 && diag_failed(&ctx.diag))
		rc = -EINVAL;
	notes_free(&notes);
	seccomp_out_free(&sc);
	leash_ctx_fini(&ctx);
	fclose(df);
	if (rc < 0)
		fprintf(stderr, "%s%s: error: leash cannot compile the import "
			"(a bug in 'leash import'); nothing written\n",
			log ? log : "", im->path);
	free(log);
	return rc;
}

/* "LINE:COL: message" from a reader, as a located error. */
static void parse_error(struct imp *im, struct strbuf *err, const char *what)
{
	int line = 0, col = 0, at = 0;
	const char *msg = err->s ? err->s : what;

	if (sscanf(msg, "%d:%d: %n", &line, &col, &at) == 2 && at)
		msg += at;
	imp_report(im, "error", line, col, "%s", msg);
	sb_free(err);
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
		imp_report(im, "warning", l->line, l->col, "--caps is ignored: "
		       "the config's capabilities%s decide", c->has_caps ?
		       "" : " (none: process.capabilities is absent)");
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
		imp_report(im, "warning", l->line, l->col, "the %s set (%s) "
		       "differs from the bounding set (%s): leash has one "
		       "set, the bounding set is imported", set_name[i], a.s,
		       b.s);
	}
	if (c->cap_ambient & ~c->cap_bounding)
		imp_report(im, "warning", l->line, l->col, "ambient capabilities "
		       "outside the bounding set: `ambient` adds them to the "
		       "set");
	if (c->cap_inheritable != c->cap_ambient)
		imp_report(im, "warning", l->line, l->col, "the inheritable set "
		       "is not imported: leash makes it the ambient set");
	for (i = 0; i < c->unknown_caps.n; i++)
		imp_report(im, "warning", l->line, l->col, "capability '%s' is "
		       "unknown to leash: left out", c->unknown_caps.v[i]);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: leash import PROFILE.json|CONFIG.json [-p NAME] "
		"[-o FILE]\n"
		"       [--caps docker|none|CAP,...] [--kernel VERSION] "
		"[--host HOST|all]\n"
		"\n"
		"Turn a Docker, OCI or podman seccomp profile into a leash "
		"policy that\ncompiles to the same filter; from an OCI "
		"config.json, also its capabilities,\nnoNewPrivileges, user, "
		"namespaces, read-only root, masked and read-only\npaths, "
		"rlimits and resources (its capabilities then replace "
		"--caps).\n"
		"  -p, --policy NAME   the policy's name (default: the file's "
		"base name)\n"
		"  --caps SET          the capabilities that decide "
		"\"includes\"/\"excludes\"\n"
		"                      (default: docker, Docker's default "
		"set)\n"
		"  --kernel VERSION    the kernel that decides minKernel "
		"(default: this one)\n"
		"  --host HOST         the host that decides archMap and "
		"\"arches\" (moby's\n"
		"                      names: amd64, arm64, ...; default: "
		"this one; 'all':\n"
		"                      every arch, with `when arch`)\n"
		"  -o, --output FILE   write there (default: standard "
		"output)\n");
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
		imp_report(im, "error", p->default_line, p->default_col,
		       "SCMP_ACT_NOTIFY cannot be the default action");
		def = -1;
	}
	im->def = (uint32_t)def;
	for (i = 0; i < p->flags.n; i++)
		imp_report(im, "warning", p->flags.loc[i][0], p->flags.loc[i][1],
		       "flag %s has no leash counterpart: left out",
		       p->flags.v[i]);
	if (p->listener_path)
		imp_report(im, "warning", 0, 0, "listenerPath has no leash "
		       "counterpart: left out");
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
	if (im->errors)
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
	return im->errors ? -EINVAL : 0;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "caps", required_argument, NULL, 'c' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "host", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct imp im = { 0 };
	struct strbuf out = { 0 }, err = { 0 };
	struct sj_profile *prof = NULL;
	struct oci_doc doc = { 0 };
	bool caps_opt = false;
	_cleanup_free_ char *buf = NULL, *name = NULL;
	const char *output = NULL, *host = NULL;
	struct utsname u;
	size_t len;
	int c, rc;

	im.caps = caps_docker_default();
	im.caps_docker = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': im.name = optarg; break;
		case 'o': output = optarg; break;
		case 'c':
			if (parse_caps(&im, optarg) < 0)
				return EXIT_USAGE;
			caps_opt = true;
			break;
		case 'k': im.kernel = optarg; break;
		case 'H': host = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	im.path = argv[optind];
	if (!im.kernel)
		im.kernel = uname(&u) == 0 ? u.release : "0";
	if (!host)
		host = moby_name[arch_native()];
	if (strcmp(host, "all")) {
		size_t i;

		for (i = 0; i < ARCH_COUNT && strcmp(moby_name[i], host); i++)
			;
		if (i == ARCH_COUNT) {
			fprintf(stderr, "leash import: unknown host '%s' "
				"(amd64, arm64, s390x, ... or all)\n", host);
			return EXIT_USAGE;
		}
		im.for_host = host;
	}
	if (!im.name)
		im.name = name = name_from_path(im.path);
	if (strchr(im.name, '"') || strchr(im.name, '\\') || !*im.name) {
		fprintf(stderr, "leash import: bad policy name '%s'\n",
			im.name);
		return EXIT_USAGE;
	}
	rc = read_file(strcmp(im.path, "-") ? im.path : "/dev/stdin", &buf,
		       &len, LEASH_MAX_FILE_SIZE);
	if (rc < 0) {
		fprintf(stderr, "leash import: %s: %s\n", im.path,
			rc == -EFBIG ? "file too large" : strerror(-rc));
		return EXIT_INPUT;
	}
	if (oci_detect(buf, len) == OCI_KIND_CONFIG) {
		if (oci_read(buf, len, &doc, &err) < 0 || doc.n != 1) {
			parse_error(&im, &err, "cannot read the config");
			oci_doc_free(&doc);
			return EXIT_INPUT;
		}
		im.oci = &doc.c[0];
		im.buf = buf;
		im.len = len;
		config_caps(&im, caps_opt);
	}
	if ((!im.oci || im.oci->seccomp_kind == OCI_SECCOMP_PROFILE) &&
	    sj_parse(buf, len, &prof, &err) < 0) {
		parse_error(&im, &err, "cannot read the profile");
		oci_doc_free(&doc);
		return EXIT_INPUT;
	}
	im.p = prof;
	rc = import_profile(&im, &out);
	if (rc == 0)
		rc = self_check(&im, &out);
	if (rc == 0 && output) {
		_cleanup_free_ char *d = xstrdup(output), *b = xstrdup(output);

		rc = write_atomic(dirname(d), basename(b), out.s, out.len);
		if (rc < 0)
			fprintf(stderr, "leash import: %s: %s\n", output,
				strerror(-rc));
	} else if (rc == 0) {
		fwrite(out.s, 1, out.len, stdout);
		rc = fflush(stdout) ? -EIO : 0;
	}
	rules_free(&im);
	sb_free(&im.head);
	sb_free(&out);
	sj_profile_destroy(&prof);
	oci_doc_free(&doc);
	return rc < 0 ? EXIT_INPUT : 0;
}
