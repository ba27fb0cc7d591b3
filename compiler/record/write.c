/* SPDX-License-Identifier: MIT */
/*
 * write.c - the policy 'leash record' writes (write.h).
 *
 * Everything is sorted (calls by name, values by number, paths by
 * bytes), so the same observations give the same bytes.  The
 * generalization rules for paths are the ones man/leash.1 documents
 * under "leash record"; each rule's comment in the output says which
 * one made it.
 */
#include "record/write.h"
#include "record/store.h"
#include "common/sigs.h"
#include "front/front.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- groups.leash ------------------------------------------------------ */

static void expand(struct leash_ctx *ctx, struct ast_group *g,
		   struct rec_group *out, unsigned depth)
{
	size_t i, k;

	if (depth > LEASH_MAX_NEST)
		return;
	for (i = 0; i < g->members.n; i++) {
		const char *m = g->members.v[i].s;

		if (m[0] == '@') {
			struct ast_group *sub = res_find_group(ctx, m);

			if (sub)
				expand(ctx, sub, out, depth + 1);
			continue;
		}
		for (k = 0; k < out->members.n; k++)
			if (!strcmp(out->members.v[k], m))
				break;
		if (k == out->members.n)
			VEC_PUSH(&out->members, xstrdup(m));
	}
}

int rec_groups_load(struct rec_group **out, size_t *n)
{
	static const char src[] = "leash 1;\ninclude <groups.leash>;\n";
	struct leash_ctx ctx;
	size_t i;
	int rc = 0;

	*out = NULL;
	*n = 0;
	leash_ctx_init(&ctx, stderr);
	if (res_load_buffer(&ctx, "<record>", src, sizeof(src) - 1) < 0 ||
	    res_names(&ctx) < 0) {
		rc = -EINVAL;
		goto done;
	}
	*out = xcalloc(ctx.groups.n + 1, sizeof(**out));
	for (i = 0; i < ctx.groups.n; i++) {
		struct rec_group *g = &(*out)[(*n)++];

		g->name = xstrdup(ctx.groups.v[i]->name.s);
		expand(&ctx, ctx.groups.v[i], g, 0);
	}
done:
	leash_ctx_fini(&ctx);
	return rc;
}

void rec_groups_free(struct rec_group *g, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < g[i].members.n; k++)
			free(g[i].members.v[k]);
		free(g[i].members.v);
		free(g[i].name);
	}
	free(g);
}

/* ---- naming values --------------------------------------------------- */

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Names that are not the kind's own values though they share its
 * prefix (sub-values of one option, aliases, masks). */
static bool excluded(enum rec_kind k, const char *name)
{
	static const char *const pr[] = {
		"PR_CAP_AMBIENT_", "PR_ENDIAN_", "PR_FPEMU_", "PR_FP_",
		"PR_MCE_KILL_", "PR_MTE_", "PR_PAC_AP", "PR_SCHED_CORE_",
		"PR_SET_MM_", "PR_SPEC_", "PR_SYS_DISPATCH_", "PR_TAGGED_",
		"PR_TIMING_", "PR_TSC_", "PR_UNALIGN_", "PR_SVE_VL_",
		"PR_SME_VL_", "PR_SET_PTRACER_ANY", "PR_SET_VMA_ANON_NAME",
	};
	static const char *const f[] = {
		"F_OK", "F_LOCK", "F_TEST", "F_TLOCK", "F_ULOCK", "F_OWNER_",
		"F_RDLCK", "F_WRLCK", "F_UNLCK", "F_EXLCK", "F_SHLCK",
		"F_SEAL_", "F_LINUX_SPECIFIC_BASE",
	};
	static const char *const af[] = {
		"AF_LOCAL", "AF_ROUTE", "AF_FILE", "AF_MAX",
	};
	static const char *const per[] = { "PER_MASK", "PER_CLEAR_ON_SETID" };
	static const char *const io[] = { "TIOCM_", "TIOCPKT_", "TIOCSER_" };
	static const char *const st[] = {
		"SOCK_CLOEXEC", "SOCK_NONBLOCK", "SOCK_MAX", "SOCK_TYPE_MASK",
	};
	const char *const *v;
	size_t i, n;

	switch (k) {
	case RK_PRCTL: v = pr; n = ARRAY_SIZE(pr); break;
	case RK_FCNTL: v = f; n = ARRAY_SIZE(f); break;
	case RK_FAMILY: v = af; n = ARRAY_SIZE(af); break;
	case RK_PERSONA: v = per; n = ARRAY_SIZE(per); break;
	case RK_IOCTL: v = io; n = ARRAY_SIZE(io); break;
	case RK_SOCKTYPE: v = st; n = ARRAY_SIZE(st); break;
	default: return false;
	}
	for (i = 0; i < n; i++)
		if (has_prefix(name, v[i]))
			return true;
	return false;
}

static bool kind_name(enum rec_kind k, const char *name)
{
	switch (k) {
	case RK_FAMILY: return has_prefix(name, "AF_");
	case RK_SOCKTYPE: return has_prefix(name, "SOCK_");
	case RK_IOCTL:
		return has_prefix(name, "TC") || has_prefix(name, "TIOC");
	case RK_PRCTL: return has_prefix(name, "PR_");
	case RK_PERSONA: return has_prefix(name, "PER_");
	case RK_FCNTL: return has_prefix(name, "F_");
	default: return false;
	}
}

/* The built-in name of value @v of kind @k on @arch: the shortest, then
 * the first in byte order, of the names that qualify; NULL if none. */
static const char *value_name(enum rec_kind k, enum leash_arch arch,
			      uint64_t v)
{
	const char *best = NULL, *n;
	uint64_t cv;
	size_t i;

	if (k == RK_IOCTL && v < 0x100)
		return NULL;	/* TCSANOW and the like are not requests */
	for (i = 0; (n = const_name_at(i)); i++) {
		if (!kind_name(k, n) || excluded(k, n) ||
		    !const_lookup(arch, n, &cv) || cv != v)
			continue;
		if (!best || strlen(n) < strlen(best) ||
		    (strlen(n) == strlen(best) && strcmp(n, best) < 0))
			best = n;
	}
	return best;
}

static void put_value(struct strbuf *sb, enum rec_kind k,
		      enum leash_arch arch, uint64_t v)
{
	static const char *const ns[] = {
		"CLONE_NEWNS", "CLONE_NEWUTS", "CLONE_NEWIPC",
		"CLONE_NEWUSER", "CLONE_NEWPID", "CLONE_NEWNET",
		"CLONE_NEWCGROUP", "CLONE_NEWTIME",
	};
	const char *name;
	uint64_t cv, rest = v;
	bool first = true;
	size_t i;

	if (k == RK_NS && v) {
		for (i = 0; i < ARRAY_SIZE(ns); i++)
			if (const_lookup(arch, ns[i], &cv) && (rest & cv) == cv) {
				sb_printf(sb, "%s%s", first ? "" : " | ", ns[i]);
				rest &= ~cv;
				first = false;
			}
		if (rest)
			sb_printf(sb, "%s0x%llx", first ? "" : " | ",
				  (unsigned long long)rest);
		return;
	}
	name = value_name(k, arch, v);
	if (name)
		sb_puts(sb, name);
	else if (v < 10 || k == RK_SIGNAL || k == RK_SOCKETCALL)
		sb_printf(sb, "%llu", (unsigned long long)v);
	else
		sb_printf(sb, "0x%llx", (unsigned long long)v);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- seccomp --------------------------------------------------------- */

/*
 * One call as the policy names it, over every arch it was seen on.  The
 * rules are the same on every arch: a Docker/OCI profile (the json, oci
 * and docker targets) cannot give a call different rules per arch, and
 * a policy that 'leash check' refuses is no use.  So a call seen on
 * one arch is allowed on all the policy's arches that have it.
 */
struct seen {
	const char *name;
	uint64_t count;
	const struct rec_call *per[ARCH_COUNT];
	bool covered;
};

static int seen_cmp(const void *a, const void *b)
{
	return strcmp(((const struct seen *)a)->name,
		      ((const struct seen *)b)->name);
}

static const char *const socketcalls[] = {
	NULL, "socket", "bind", "connect", "listen", "accept", "getsockname",
	"getpeername", "socketpair", "send", "recv", "sendto", "recvfrom",
	"shutdown", "setsockopt", "getsockopt", "sendmsg", "recvmsg",
	"accept4", "recvmmsg", "sendmmsg",
};

/*
 * Whether spec @i of @name can be checked on every arch @s was seen
 * on; *an is the argument's name (the kernel's, or argN where the
 * arches name it differently).
 */
static bool spec_usable(const struct seen *s, const struct rec_argspec *sp,
			const char **an, bool *named)
{
	const char *first = NULL;
	size_t a;

	*named = true;
	for (a = 0; a < ARCH_COUNT; a++) {
		const struct syscall_sig *sig;

		if (!s->per[a])
			continue;
		sig = sig_lookup_arch(s->name, a);
		if (!sig || sp->idx >= sig->nargs)
			return false;
		if (!first)
			first = sig->arg[sp->idx];
		else if (strcmp(first, sig->arg[sp->idx]))
			*named = false;
	}
	*an = first;
	return first != NULL;
}

/* The union over the arches of the values of spec @i, sorted. */
static uint64_t *spec_values(const struct seen *s, unsigned i, size_t *n,
			     bool *overflow)
{
	uint64_t *v = NULL;
	size_t a, k, cap = 0;

	*n = 0;
	*overflow = false;
	for (a = 0; a < ARCH_COUNT; a++) {
		const struct rec_vals *rv;

		if (!s->per[a])
			continue;
		rv = &s->per[a]->vals[i];
		*overflow |= rv->overflow;
		for (k = 0; k < rv->n; k++) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 16;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[(*n)++] = rv->v[k];
		}
	}
	if (!v)
		v = xcalloc(1, sizeof(*v));
	*n = u64_sort_uniq(v, *n);
	return v;
}

/*
 * The condition of @s into @cond (empty: none), the declared argument
 * names into @decl, and what a reader should know into @note.
 * Constants are named as on @arch, the first arch the call was seen
 * on (x86 and x86_64 agree on every name used here).
 */
static void condition(const struct seen *s, enum leash_arch arch,
		      struct strbuf *decl, struct strbuf *cond,
		      struct strbuf *note)
{
	unsigned n = 0, i, maxidx = 0;
	const struct rec_argspec *sp = rec_argspecs(s->name, &n);
	const struct syscall_sig *sig = sig_lookup_arch(s->name, arch);
	bool any = false, all_named = true;
	char argn[8];
	size_t k, nv;

	for (i = 0; i < n; i++) {
		const char *an;
		bool named, overflow;
		_cleanup_free_ uint64_t *v = NULL;

		if (!spec_usable(s, &sp[i], &an, &named))
			continue;
		if (!named) {
			snprintf(argn, sizeof(argn), "arg%u", sp[i].idx);
			an = argn;
			all_named = false;
		}
		v = spec_values(s, i, &nv, &overflow);
		if (overflow) {
			sb_printf(note, " more than %d values of %s: no "
				  "condition;", REC_MAX_VALS, an);
			continue;
		}
		if (sp[i].kind == RK_PROT) {
			if (nv && v[nv - 1])	/* PROT_EXEC seen */
				continue;
			sb_printf(cond, "%s(%s & PROT_EXEC) == 0",
				  any ? " && " : "", an);
		} else {
			sb_puts(cond, any ? " && " : "");
			if (sp[i].mask_text)
				sb_printf(cond, "(%s & %s)", an,
					  sp[i].mask_text);
			else
				sb_puts(cond, an);
			if (nv == 1 && sp[i].kind == RK_NS && !v[0]) {
				sb_puts(cond, " == 0");
			} else {
				sb_puts(cond, " in { ");
				for (k = 0; k < nv; k++) {
					if (k)
						sb_puts(cond, ", ");
					put_value(cond, sp[i].kind, arch, v[k]);
				}
				sb_puts(cond, " }");
			}
			if (sp[i].kind == RK_SIGNAL || sp[i].kind ==
			    RK_SOCKETCALL)
				sb_puts(note, sp[i].kind == RK_SIGNAL ?
					" signals" : " calls");
			for (k = 0; k < nv; k++) {
				const char *sn = NULL;

				if (sp[i].kind == RK_SIGNAL)
					sn = v[k] && v[k] < 65 ?
					     sigabbrev_np((int)v[k]) : NULL;
				else if (sp[i].kind == RK_SOCKETCALL)
					sn = v[k] < ARRAY_SIZE(socketcalls) ?
					     socketcalls[v[k]] : NULL;
				else
					break;
				sb_printf(note, " %llu=%s%s",
					  (unsigned long long)v[k],
					  sp[i].kind == RK_SIGNAL && sn ?
					  "SIG" : "", sn ? sn : "?");
			}
			if (sp[i].kind == RK_SIGNAL ||
			    sp[i].kind == RK_SOCKETCALL)
				sb_puts(note, ";");
		}
		any = true;
		if (sp[i].idx > maxidx)
			maxidx = sp[i].idx;
	}
	if (!any || !all_named || !sig)
		return;
	sb_putc(decl, '(');
	for (k = 0; k <= maxidx; k++)
		sb_printf(decl, "%s%s", k ? ", " : "", sig->arg[k]);
	sb_putc(decl, ')');
}

static enum leash_arch first_arch(const struct seen *s)
{
	size_t a;

	for (a = 0; a < ARCH_COUNT; a++)
		if (s->per[a])
			return a;
	return ARCH_COUNT;
}

static void put_call(struct strbuf *sb, const struct seen *s)
{
	struct strbuf decl = { 0 }, cond = { 0 }, note = { 0 };

	if (!strcmp(s->name, "clone3"))
		sb_puts(&note, " its flags are in memory, out of a "
			"filter's reach;");
	if (s->count)
		condition(s, first_arch(s), &decl, &cond, &note);
	sb_printf(sb, "\t\tallow %s%s%s%s;  # %llu%s\n", s->name,
		  decl.len ? decl.s : "", cond.len ? " if " : "",
		  cond.len ? cond.s : "", (unsigned long long)s->count,
		  note.len ? note.s : "");
	sb_free(&decl);
	sb_free(&cond);
	sb_free(&note);
}

static bool has_condition(const struct seen *s)
{
	const struct rec_argspec *sp;
	const char *an;
	unsigned n, i;
	bool named;

	sp = rec_argspecs(s->name, &n);
	for (i = 0; i < n; i++)
		if (spec_usable(s, &sp[i], &an, &named))
			return true;
	return false;
}

/*
 * Allowed though a run may not make them.  A denied exit leaves a
 * thread spinning (seccomp/vital.c).  Whether a shell's 'wait' sleeps
 * in rt_sigsuspend, or the kernel resumes an interrupted sleep through
 * restart_syscall, depends on timing, not on what the program does; a
 * shell whose rt_sigsuspend fails spins forever.
 */
static const char *const vital[] = {
	"exit", "exit_group", "restart_syscall", "rt_sigreturn",
	"rt_sigsuspend",
};

static void put_calls(struct strbuf *sb, const struct rec_obs *o,
		      const struct rec_write_opts *w, bool additions,
		      bool *used_groups)
{
	struct seen *s = NULL;
	size_t n = 0, cap = 0, i, g, k, a;
	enum leash_arch lead = ARCH_COUNT;
	uint64_t nr;

	for (a = 0; a < ARCH_COUNT; a++) {
		if (!o->calls[a])
			continue;
		if (lead == ARCH_COUNT)
			lead = a;
		for (nr = 0; nr < REC_MAX_NR; nr++) {
			const struct rec_call *c = &o->calls[a][nr];
			const char *name;

			if (!c->count)
				continue;
			name = syscall_name(a, (int64_t)(nr +
					    arch_info(a)->nr_bias));
			if (!name)
				continue;
			for (i = 0; i < n; i++)
				if (!strcmp(s[i].name, name))
					break;
			if (i == n) {
				if (n == cap) {
					cap = cap ? 2 * cap : 128;
					s = xrealloc(s, cap * sizeof(*s));
				}
				s[n++] = (struct seen){ .name = name };
			}
			s[i].count += c->count;
			s[i].per[a] = c;
		}
	}
	/* Calls no program does without, though a short run may not make
	 * them: a denied exit leaves a thread spinning (seccomp/vital.c). */
	for (g = 0; !additions && lead != ARCH_COUNT && g < ARRAY_SIZE(vital);
	     g++) {
		for (i = 0; i < n; i++)
			if (!strcmp(s[i].name, vital[g]))
				break;
		if (i == n) {
			if (n == cap) {
				cap = cap ? 2 * cap : 128;
				s = xrealloc(s, cap * sizeof(*s));
			}
			s[n++] = (struct seen){ .name = vital[g] };
		}
	}
	if (s)
		qsort(s, n, sizeof(*s), seen_cmp);

	/*
	 * --for a container target: the runtime (runc, crun) makes these
	 * after it loads the filter, with arguments of its own (Go's
	 * runtime signals its threads, maps memory as it likes), so the
	 * group goes first and whole, and a condition recorded on one of
	 * its calls would be dead under it: those calls are not repeated.
	 */
	if (w->runtime_calls)
		sb_printf(sb, "\t\tallow %s;  # %s (--for %s): what runc and "
			  "crun call after loading the filter\n",
			  w->runtime_calls, w->runtime ? w->runtime : "",
			  w->runtime_for ? w->runtime_for : "a runtime");
	for (g = 0; !additions && w->runtime && g < w->n_groups; g++) {
		const struct rec_group *gr = &w->groups[g];

		if (strcmp(gr->name, w->runtime))
			continue;
		for (k = 0; k < gr->members.n; k++)
			for (i = 0; i < n; i++)
				if (!strcmp(s[i].name, gr->members.v[k]))
					s[i].covered = true;
		sb_printf(sb, "\t\tallow %s;  # --for %s: what runc and "
			  "crun call after loading the filter\n", gr->name,
			  w->runtime_for ? w->runtime_for : "a runtime");
		*used_groups = true;
	}
	/* A group whose every call (on the first arch) was seen, none of
	 * them with an argument condition: first match wins, so a group
	 * holding mmap would allow what the condition on mmap forbids. */
	for (g = 0; !additions && lead != ARCH_COUNT && g < w->n_groups; g++) {
		const struct rec_group *gr = &w->groups[g];
		size_t members = 0;
		uint64_t total = 0;
		bool whole = true;

		for (k = 0; k < gr->members.n && whole; k++) {
			const char *m = gr->members.v[k];

			if (syscall_nr(lead, m, NULL) < 0)
				continue;
			members++;
			for (i = 0; i < n; i++)
				if (!strcmp(s[i].name, m))
					break;
			if (i == n || !s[i].count || has_condition(&s[i]))
				whole = false;
			else
				total += s[i].count;
		}
		if (!whole || members < 2)
			continue;
		for (k = 0; k < gr->members.n; k++)
			for (i = 0; i < n; i++)
				if (!strcmp(s[i].name, gr->members.v[k]))
					s[i].covered = true;
		sb_printf(sb, "\t\tallow %s;  # %llu, all %zu calls of the "
			  "group\n", gr->name, (unsigned long long)total,
			  members);
		*used_groups = true;
	}
	for (i = 0; i < n; i++) {
		if (s[i].covered)
			continue;
		if (s[i].count)
			put_call(sb, &s[i]);
		else
			sb_printf(sb, "\t\tallow %s;  # 0: not seen, but "
				  "timing decides whether it is made, and a "
				  "denial spins\n", s[i].name);
	}
	free(s);
}

/* ---- filesystem ------------------------------------------------------ */

/*
 * The generalization rules (man/leash.1, "leash record"):
 *
 *  1. A program executed is named, never a tree: rx "FILE".
 *  2. A file read in a system tree (/usr/lib, /usr/lib64, /usr/lib32,
 *     /usr/libx32, /usr/local/lib, /usr/libexec, /usr/share) allows the
 *     tree of its package or arch, read-only: the tree
 *     /usr/lib/python3.11 (written as a tree glob).
 *     Libraries, modules, locales and encodings load each other by name
 *     as the input decides; a file written there, a file right in one
 *     of those directories and any other file of /usr are named.
 *  3. Where secrets live (/etc, /root, /boot, and a home directory's
 *     own files), each file is named.
 *  4. /proc/PID/...: the whole of /proc with the modes used (a PID
 *     differs at every run); /dev/pts/N and /dev/shm: their directory; any other
 *     file of /proc, /dev or /sys is named.
 *  5. Anything else is the program's data: a directory it opened allows
 *     its tree, a file it used allows the directory that holds it, with
 *     the modes used.  Never "/" nor a top-level directory other than
 *     /tmp: a file there is named.
 *  A rule inside another with no mode the outer one lacks is dropped.
 */
enum fs_class { FS_EXEC, FS_SYSTREE, FS_SECRET, FS_PSEUDO, FS_DATA };

struct fs_rule {
	char *path;		/* a file, or a directory's tree glob */
	unsigned modes;
	unsigned files;		/* how many paths it stands for */
	enum fs_class cls;
	bool lib;		/* mapped executable too: 'm' */
};

static const char *const systrees[] = {
	"/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/libx32",
	"/usr/local/lib", "/usr/libexec", "/usr/share",
};

static const char *const top_keep[] = {
	"/usr", "/etc", "/var", "/home", "/root", "/boot", "/proc", "/sys",
	"/dev", "/run", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
	"/libx32", "/opt", "/srv", "/mnt", "/media",
};

static bool under(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(p, dir, n) && p[n] == '/';
}

/* The directory holding @p ("/a/b" for "/a/b/c"), or NULL for "/x". */
static char *parent(const char *p)
{
	const char *s = strrchr(p, '/');

	return s && s != p ? xstrndup(p, (size_t)(s - p)) : NULL;
}

/* Whether a tree rule on @dir would be too wide (rule 5). */
static bool too_wide(const char *dir)
{
	size_t i;

	if (!dir || !strcmp(dir, "/") || !strchr(dir + 1, '/')) {
		if (dir && !strcmp(dir, "/tmp"))
			return false;
		if (!dir || !strcmp(dir, "/"))
			return true;
		for (i = 0; i < ARRAY_SIZE(top_keep); i++)
			if (!strcmp(dir, top_keep[i]))
				return true;
		return false;
	}
	return false;
}

/* The rules, with a hash of their paths: a run can open thousands of
 * files, and the policy is rewritten as the run goes. */
struct fs_set {
	struct fs_rule *v;
	size_t n, cap;
	size_t *idx;		/* index + 1 into v; 0: empty */
	size_t icap;
};

static size_t *slot(struct fs_set *fs, const char *path)
{
	size_t h = str_hash(path) & (fs->icap - 1);

	while (fs->idx[h] && strcmp(fs->v[fs->idx[h] - 1].path, path))
		h = (h + 1) & (fs->icap - 1);
	return &fs->idx[h];
}

static void reindex(struct fs_set *fs)
{
	size_t i;

	free(fs->idx);
	fs->icap = 64;
	while (fs->icap < 2 * (fs->n + 1))
		fs->icap *= 2;
	fs->idx = xcalloc(fs->icap, sizeof(*fs->idx));
	for (i = 0; i < fs->n; i++)
		*slot(fs, fs->v[i].path) = i + 1;
}

static struct fs_rule *rule_at(struct fs_set *fs, const char *path)
{
	size_t k = *slot(fs, path);

	return k ? &fs->v[k - 1] : NULL;
}

static void add_rule(struct fs_set *fs, char *path, unsigned modes,
		     enum fs_class cls, bool lib)
{
	struct fs_rule *r;

	if (2 * (fs->n + 1) > fs->icap)
		reindex(fs);
	r = rule_at(fs, path);
	if (r) {
		r->modes |= modes;
		r->files++;
		free(path);
		return;
	}
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? 2 * fs->cap : 64;
		fs->v = xrealloc(fs->v, fs->cap * sizeof(*fs->v));
	}
	fs->v[fs->n++] = (struct fs_rule){ path, modes, 1, cls, lib };
	*slot(fs, path) = fs->n;
}

static void classify(const struct rec_path *p, struct fs_set *fs)
{
	const char *s = p->path;
	unsigned m = p->modes & (RP_READ | RP_WRITE | RP_EXEC);
	size_t i;

	if (p->modes & RP_EXEC) {
		add_rule(fs, xstrdup(s), m | RP_READ, FS_EXEC, false);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(systrees); i++) {
		const char *rest, *slash;

		if (!under(s, systrees[i]))
			continue;
		rest = s + strlen(systrees[i]) + 1;
		slash = strchr(rest, '/');
		if ((p->modes & RP_WRITE) || (!slash && !(p->modes & RP_DIR)))
			break;	/* named: rule 2's exception */
		add_rule(fs, slash ?
			 xasprintf("%.*s/**", (int)(slash - s), s) :
			 xasprintf("%s/**", s), RP_READ, FS_SYSTREE,
			 strstr(systrees[i], "/lib") != NULL);
		return;
	}
	if (under(s, "/usr")) {	/* rule 2: anything else of /usr, named */
		add_rule(fs, xstrdup(s), m, FS_SYSTREE, false);
		return;
	}
	if (under(s, "/proc")) {
		const char *r = s + 6;

		while (*r >= '0' && *r <= '9')
			r++;
		if (r > s + 6 && (*r == '/' || !*r)) {
			add_rule(fs, xstrdup("/proc/**"), m, FS_PSEUDO,
				 false);
			return;
		}
	}
	if (under(s, "/dev/pts") || under(s, "/dev/shm")) {
		add_rule(fs, xasprintf("%.8s/**", s), m, FS_PSEUDO,
			 false);
		return;
	}
	if (under(s, "/proc") || under(s, "/dev") || under(s, "/sys") ||
	    !strcmp(s, "/proc") || !strcmp(s, "/dev") || !strcmp(s, "/sys")) {
		add_rule(fs, (p->modes & RP_DIR) && under(s, "/sys") ?
			 xasprintf("%s/**", s) : xstrdup(s), m, FS_PSEUDO,
			 false);
		return;
	}
	if (under(s, "/etc") || under(s, "/root") || under(s, "/boot") ||
	    (under(s, "/home") && !strchr(s + 6, '/')) ||
	    (under(s, "/home") && strchr(s + 6, '/') &&
	     !strchr(strchr(s + 6, '/') + 1, '/'))) {
		add_rule(fs, xstrdup(s), m, FS_SECRET, false);
		return;
	}
	if (p->modes & RP_DIR) {
		if (too_wide(s))
			add_rule(fs, xstrdup(s), m, FS_DATA, false);
		else
			add_rule(fs, xasprintf("%s/**", s), m, FS_DATA,
				 false);
		return;
	}
	{
		_cleanup_free_ char *dir = parent(s);

		if (too_wide(dir) || (p->modes & RP_WRITE && !dir))
			add_rule(fs, xstrdup(s), m, FS_DATA, false);
		else
			add_rule(fs, xasprintf("%s/**", dir), m,
				 FS_DATA, false);
	}
}

static int rule_cmp(const void *a, const void *b)
{
	const struct fs_rule *x = a, *y = b;

	if (x->cls != y->cls)
		return (int)x->cls - (int)y->cls;
	return strcmp(x->path, y->path);
}

/* Whether @inner is inside tree rule @outer with no mode it lacks. */
static bool subsumed(const struct fs_rule *inner, const struct fs_rule *outer)
{
	size_t n = strlen(outer->path);
	unsigned om = outer->modes | (outer->cls == FS_SYSTREE ? RP_READ : 0);

	if (inner == outer || n < 3 || strcmp(outer->path + n - 3, "/**"))
		return false;
	if ((inner->modes & ~om) || (inner->lib && !outer->lib))
		return false;
	if (strncmp(inner->path, outer->path, n - 2))
		return false;
	return inner->cls != FS_EXEC;
}

static void put_modes(struct strbuf *sb, unsigned m, bool lib)
{
	char buf[8];
	size_t k = 0;

	if (m & RP_READ)
		buf[k++] = 'r';
	if (m & RP_WRITE)
		buf[k++] = 'w';
	if (m & RP_EXEC)
		buf[k++] = 'x';
	if (lib)
		buf[k++] = 'm';
	if (!k)
		buf[k++] = 'r';
	buf[k] = '\0';
	sb_printf(sb, "%-3s", buf);
}

static void put_string(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_putc(sb, '\\');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '"');
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* Whether a tree rule of an ancestor directory of @r covers it. */
static bool covered(struct fs_set *fs, const struct fs_rule *r)
{
	_cleanup_free_ char *p = xstrdup(r->path);
	size_t len = strlen(p);
	char *slash;

	if (len > 3 && !strcmp(p + len - 3, "/**"))
		p[len - 3] = '\0';
	for (;;) {
		const struct fs_rule *outer;
		char *tree = xasprintf("%s/**", p);

		outer = rule_at(fs, tree);
		free(tree);
		if (outer && subsumed(r, outer))
			return true;
		slash = strrchr(p, '/');
		if (!slash || slash == p)
			return false;
		*slash = '\0';
	}
}

static void put_filesystem(struct strbuf *sb, const struct rec_obs *o)
{
	static const char *const heads[] = {
		"programs executed: each named",
		"system trees, read-only: the tree of each package or arch "
		"used",
		"where secrets live: each file named",
		"/proc, /dev, /sys",
		"the program's data: the directories it used, with the modes "
		"used",
	};
	struct fs_set fs = { 0 };
	size_t np, i;
	struct rec_path **paths = obs_paths_sorted(o, &np);
	int last = -1;

	reindex(&fs);
	for (i = 0; i < np; i++)
		if (printable(paths[i]->path))
			classify(paths[i], &fs);
	free(paths);
	if (!fs.n) {
		free(fs.idx);
		free(fs.v);
		return;
	}
	qsort(fs.v, fs.n, sizeof(*fs.v), rule_cmp);
	reindex(&fs);
	sb_puts(sb, "\n\tfilesystem {\n");
	for (i = 0; i < fs.n; i++) {
		const struct fs_rule *r = &fs.v[i];

		if (covered(&fs, r))
			continue;
		if ((int)r->cls != last) {
			sb_printf(sb, "%s\t\t# %s\n", last < 0 ? "" : "\n",
				  heads[r->cls]);
			last = (int)r->cls;
		}
		sb_puts(sb, "\t\tallow ");
		put_modes(sb, r->modes, r->lib);
		sb_putc(sb, ' ');
		put_string(sb, r->path);
		sb_printf(sb, ";  # %u path%s\n", r->files,
			  r->files == 1 ? "" : "s");
	}
	sb_puts(sb, "\t}\n");
	for (i = 0; i < fs.n; i++)
		free(fs.v[i].path);
	free(fs.v);
	free(fs.idx);
}

/* ---- network and capabilities ------------------------------------------ */

/* AppArmor's family names, which the language uses (check-sections.c). */
static const char *family_word(uint64_t fam, char *buf, size_t len)
{
	static const char *const known[] = {
		"unix", "inet", "inet6", "netlink", "packet", "ax25", "ipx",
		"appletalk", "netrom", "bridge", "atmpvc", "x25", "rose",
		"netbeui", "security", "key", "ash", "econet", "atmsvc", "rds",
		"sna", "irda", "pppox", "wanpipe", "llc", "ib", "mpls", "can",
		"tipc", "bluetooth", "iucv", "rxrpc", "isdn", "phonet",
		"ieee802154", "caif", "alg", "nfc", "vsock", "kcm", "qipcrtr",
		"smc", "xdp", "mctp",
	};
	const char *n = value_name(RK_FAMILY, arch_native(), fam);
	size_t i, k;

	if (!n)
		return NULL;
	for (k = 0; n[3 + k] && k + 1 < len; k++)
		buf[k] = (char)(n[3 + k] | 0x20);
	buf[k] = '\0';
	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(buf, known[i]))
			return buf;
	return NULL;
}

static void put_ports(struct strbuf *sb, const char *what,
		      const struct rec_vals *s)
{
	_cleanup_free_ uint64_t *v = xcalloc(s->n + 1, sizeof(*v));
	size_t i;

	if (!s->n)
		return;
	memcpy(v, s->v, s->n * sizeof(*v));
	qsort(v, s->n, sizeof(*v), u64_cmp);
	sb_printf(sb, "\t\tallow %s tcp ", what);
	for (i = 0; i < s->n; i++)
		sb_printf(sb, "%s%llu", i ? ", " : "",
			  (unsigned long long)v[i]);
	sb_printf(sb, ";%s\n", s->overflow ? "  # and more: see seccomp" :
		  "");
}

static void put_network(struct strbuf *sb, const struct rec_obs *o,
			bool additions)
{
	static const char *const types[16] = {
		[1] = "stream", [2] = "dgram", [3] = "raw", [4] = "rdm",
		[5] = "seqpacket", [10] = "packet",
	};
	_cleanup_free_ uint64_t *v = xcalloc(o->sockets.n + 1, sizeof(*v));
	struct strbuf list = { 0 }, skipped = { 0 };
	size_t i;

	if (additions && !o->sockets.n && !o->bind_ports.n &&
	    !o->connect_ports.n)
		return;
	if (!additions && !o->sockets.n) {
		sb_puts(sb, "\n\t# network: no socket was opened (socket() "
			"is not allowed above).\n");
		return;
	}
	/* --base: only ports may have been denied (no memcpy from an
	 * empty set's NULL). */
	if (o->sockets.n) {
		memcpy(v, o->sockets.v, o->sockets.n * sizeof(*v));
		qsort(v, o->sockets.n, sizeof(*v), u64_cmp);
	}
	for (i = 0; i < o->sockets.n; i++) {
		char buf[32];
		const char *fam = family_word(v[i] >> 8, buf, sizeof(buf));
		const char *type = types[v[i] & 0xf];

		if (!fam) {
			sb_printf(&skipped, " %llu",
				  (unsigned long long)(v[i] >> 8));
			continue;
		}
		sb_printf(&list, "%s%s%s%s", list.len ? ", " : "", fam,
			  type ? " " : "", type ? type : "");
	}
	sb_puts(sb, "\n\tnetwork {\n");
	if (list.len)
		sb_printf(sb, "\t\tallow %s;\n", list.s);
	if (skipped.len)
		sb_printf(sb, "\t\t# families with no name here:%s\n",
			  skipped.s);
	put_ports(sb, "bind", &o->bind_ports);
	put_ports(sb, "connect", &o->connect_ports);
	sb_puts(sb, "\t}\n");
	sb_free(&list);
	sb_free(&skipped);
}

static void put_caps(struct strbuf *sb, const struct rec_obs *o)
{
	int c;

	sb_puts(sb, "\n\tcapabilities {\n\t\tdrop all;");
	if (!o->root) {
		sb_puts(sb, "  # the command ran without privilege\n\t}\n");
		return;
	}
	sb_puts(sb, "  # then what the calls seen needed (inferred: the "
		"kernel\n\t\t\t    # does not report capability checks)\n");
	for (c = 0; c < CAP_COUNT; c++)
		if (o->caps & (1ull << c)) {
			sb_printf(sb, "\t\tadd %s;  # ", cap_name(c));
			if (printable(o->cap_why[c]))
				sb_puts(sb, o->cap_why[c]);
			sb_putc(sb, '\n');
		}
	sb_puts(sb, "\t}\n");
}

/* ---- the policy ------------------------------------------------------ */

static void region(struct strbuf *sb, const char *ind, const char *name,
		   bool begin)
{
	sb_printf(sb, "%s# %s leash record: %s\n", ind, begin ? ">>>" : "<<<",
		  name);
}

void rec_write(const struct rec_obs *o, const struct rec_write_opts *w,
	       struct strbuf *out)
{
	struct strbuf body = { 0 };
	bool groups = false;
	size_t a, n_arch = 0;

	region(&body, "\t", "seccomp", true);
	sb_puts(&body, "\tseccomp {\n");
	sb_printf(&body, "\t\tdefault %s;\n\t\tarch ", w->def);
	for (a = 0, n_arch = 0; a < ARCH_COUNT; a++)
		if (o->calls[a])
			sb_printf(&body, "%s%s", n_arch++ ? ", " : "",
				  arch_info(a)->name);
	if (!n_arch)
		sb_puts(&body, "native");
	sb_puts(&body, ";\n");
	put_calls(&body, o, w, false, &groups);
	sb_puts(&body, "\t}\n");
	region(&body, "\t", "seccomp", false);
	region(&body, "\t", "filesystem", true);
	put_filesystem(&body, o);
	region(&body, "\t", "filesystem", false);
	region(&body, "\t", "network", true);
	put_network(&body, o, false);
	region(&body, "\t", "network", false);
	region(&body, "\t", "capabilities", true);
	put_caps(&body, o);
	region(&body, "\t", "capabilities", false);

	sb_puts(out, "# Recorded by 'leash record'");
	if (w->command && printable(w->command))
		sb_printf(out, " from:\n#     %s", w->command);
	sb_puts(out, "\n# Each call is commented with how often it ran; "
		"man leash(1), \"leash record\",\n# says how paths were "
		"generalized.  Review before use: a policy allows\n# what "
		"the recorded run did, no more.  'leash record --merge' "
		"rewrites\n# the blocks between '>>> leash record' and "
		"'<<< leash record' lines\n# and keeps everything else.\n"
		"\nleash 1;\n\n");
	region(out, "", "include", true);
	if (groups)
		sb_puts(out, "include <groups.leash>;\n");
	region(out, "", "include", false);
	sb_puts(out, "\npolicy ");
	put_string(out, w->name);
	sb_puts(out, " {\n");
	sb_putn(out, body.s, body.len);
	sb_puts(out, "}\n\n");
	region(out, "", "observations (what --merge reads)", true);
	rec_obs_save(o, out);
	region(out, "", "observations (what --merge reads)", false);
	sb_free(&body);
}

void rec_write_additions(const struct rec_obs *o,
			 const struct rec_write_opts *w, struct strbuf *out)
{
	struct strbuf calls = { 0 }, rest = { 0 };
	bool groups = false;

	put_calls(&calls, o, w, true, &groups);
	put_filesystem(&rest, o);
	put_network(&rest, o, true);
	region(out, "\t", "rules to add (--base)", true);
	sb_puts(out, "\t# What the run of 'leash record --base' did that "
		"this policy denies.\n\t# First in the policy, these rules "
		"match before its own; review them.\n");
	if (w->command && printable(w->command))
		sb_printf(out, "\t# The run: %s\n", w->command);
	if (calls.len)
		sb_printf(out, "\tseccomp {\n%s\t}\n", calls.s);
	if (rest.len)
		sb_putn(out, rest.s, rest.len);
	if (!calls.len && !rest.len)
		sb_puts(out, "\t# Nothing: the policy denied nothing the run "
			"did.\n");
	region(out, "\t", "rules to add (--base)", false);
	sb_free(&calls);
	sb_free(&rest);
}
