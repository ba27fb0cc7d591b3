/* SPDX-License-Identifier: MIT */
/*
 * store.c - an earlier recorded policy for 'leash record --merge'
 * (store.h).
 *
 * The observations travel in the policy itself, as comment lines in a
 * block of their own, so that a merge unites what the runs saw (counts
 * added, value sets and paths united) and generalizes again from all of
 * it, rather than reading back a generalized text.  A user's edits
 * outside the '>>> leash record' / '<<< leash record' blocks are kept.
 */
#include "record/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BEGIN "# >>> leash record: "
#define END "# <<< leash record: "
#define OBS "observations"

static void save_vals(struct strbuf *out, const char *what,
		      const struct rec_vals *s)
{
	uint64_t *v = xcalloc(s->n + 1, sizeof(*v));
	size_t i, n;

	if (s->n)
		memcpy(v, s->v, s->n * sizeof(*v));
	n = u64_sort_uniq(v, s->n);
	for (i = 0; i < n; i++)
		sb_printf(out, "# %s %llu\n", what, (unsigned long long)v[i]);
	if (s->overflow)
		sb_printf(out, "# %s-overflow\n", what);
	free(v);
}

void rec_obs_save(const struct rec_obs *o, struct strbuf *out)
{
	struct rec_path **p;
	size_t a, nr, k, n, i;

	sb_puts(out, "# v1\n");
	if (o->root)
		sb_puts(out, "# root\n");
	for (a = 0; a < ARCH_COUNT; a++) {
		if (!o->calls[a])
			continue;
		for (nr = 0; nr < REC_MAX_NR; nr++) {
			const struct rec_call *c = &o->calls[a][nr];

			if (!c->count)
				continue;
			sb_printf(out, "# call %s %zu %llu\n",
				  arch_info(a)->name, nr,
				  (unsigned long long)c->count);
			for (k = 0; k < 2; k++) {
				char what[32];

				snprintf(what, sizeof(what), "val%zu", k);
				save_vals(out, what, &c->vals[k]);
			}
		}
	}
	save_vals(out, "socket", &o->sockets);
	save_vals(out, "bind", &o->bind_ports);
	save_vals(out, "connect", &o->connect_ports);
	for (i = 0; i < CAP_COUNT; i++)
		if (o->caps & (1ull << i))
			sb_printf(out, "# cap %zu %s\n", i, o->cap_why[i]);
	p = obs_paths_sorted(o, &n);
	for (i = 0; i < n; i++)
		sb_printf(out, "# path %u %s\n", p[i]->modes, p[i]->path);
	free(p);
}

static bool num(const char **s, uint64_t *v)
{
	char *end;

	if (**s < '0' || **s > '9')
		return false;
	errno = 0;
	*v = strtoull(*s, &end, 10);
	if (errno)
		return false;
	*s = end;
	if (**s == ' ')
		(*s)++;
	return true;
}

/* One observation line (after "# "); false when it is not one. */
static bool load_line(const char *s, struct rec_obs *o,
		      struct rec_call **cur)
{
	uint64_t v, nr, count;
	unsigned k;

	if (!strcmp(s, "v1"))
		return true;
	if (!strcmp(s, "root")) {
		o->root = true;
		return true;
	}
	if (!strncmp(s, "call ", 5)) {
		const char *sp = strchr(s + 5, ' ');
		_cleanup_free_ char *arch = sp ? xstrndup(s + 5,
					(size_t)(sp - s - 5)) : NULL;
		const struct arch_info *ai = arch ? arch_by_name(arch) : NULL;

		s = sp ? sp + 1 : s;
		if (!ai || !num(&s, &nr) || !num(&s, &count) || *s ||
		    nr >= REC_MAX_NR || !count)
			return false;
		*cur = obs_call(o, ai->id, nr);
		(*cur)->count += count - 1;
		return true;
	}
	for (k = 0; k < 2; k++) {
		char what[16];
		size_t n = (size_t)snprintf(what, sizeof(what), "val%u ", k);

		if (!strncmp(s, what, n)) {
			s += n;
			if (!*cur || !num(&s, &v) || *s)
				return false;
			obs_value(o, &(*cur)->vals[k], v);
			return true;
		}
		snprintf(what, sizeof(what), "val%u-overflow", k);
		if (!strcmp(s, what)) {
			if (!*cur)
				return false;
			(*cur)->vals[k].overflow = true;
			return true;
		}
	}
	{
		static const char *const sets[] = { "socket ", "bind ",
						    "connect " };
		struct rec_vals *dst[] = { &o->sockets, &o->bind_ports,
					   &o->connect_ports };

		for (k = 0; k < 3; k++)
			if (!strncmp(s, sets[k], strlen(sets[k]))) {
				s += strlen(sets[k]);
				if (!num(&s, &v) || *s)
					return false;
				obs_value(o, dst[k], v);
				return true;
			}
	}
	if (!strncmp(s, "cap ", 4)) {
		s += 4;
		if (!num(&s, &v) || v >= CAP_COUNT)
			return false;
		obs_cap(o, (int)v, s);
		return true;
	}
	if (!strncmp(s, "path ", 5)) {
		s += 5;
		if (!num(&s, &v) || v > 15 || *s != '/')
			return false;
		obs_path(o, s, (unsigned)v);
		return true;
	}
	return false;
}

int rec_obs_load(const char *text, struct rec_obs *o, char **err)
{
	const char *p = strstr(text, BEGIN OBS);
	struct rec_call *cur = NULL;
	size_t line = 1;
	const char *q;

	if (!p) {
		*err = xstrdup("no observations block: not a policy that "
			       "leash record wrote");
		return -EINVAL;
	}
	for (q = text; q < p; q++)
		line += *q == '\n';
	p = strchr(p, '\n');
	while (p && *++p) {
		const char *eol = strchr(p, '\n');
		_cleanup_free_ char *l = eol ? xstrndup(p, (size_t)(eol - p)) :
					 xstrdup(p);

		line++;
		if (!strncmp(l, END, strlen(END)))
			return 0;
		if (strncmp(l, "# ", 2) || !load_line(l + 2, o, &cur)) {
			*err = xasprintf("line %zu: not an observation of "
					 "leash record: '%.60s'", line, l);
			return -EINVAL;
		}
		p = eol;
	}
	*err = xstrdup("the observations block has no end");
	return -EINVAL;
}

/* The first block named @name at or after @from, markers and
 * indentation included: [*b, *e).  False when absent. */
static bool block(const char *from, const char *name, const char **b,
		  const char **e)
{
	_cleanup_free_ char *open = xasprintf(BEGIN "%s\n", name);
	_cleanup_free_ char *close = xasprintf(END "%s\n", name);
	const char *s = strstr(from, open), *t;

	if (!s)
		return false;
	t = strstr(s, close);
	if (!t)
		return false;
	while (s > from && (s[-1] == '\t' || s[-1] == ' '))
		s--;
	*b = s;
	*e = t + strlen(close);
	return true;
}

int rec_splice(const char *old, const char *fresh, struct strbuf *out,
	       char **err)
{
	const char *p, *scan = fresh, *cur = old;
	const char *ob, *oe, *fb, *fe;

	/* The blocks come in the same order in both: the writer's.  Both
	 * texts are read forward only, so a name that comes twice (a
	 * hand-edited file) pairs its blocks in order. */
	while ((p = strstr(scan, BEGIN))) {
		const char *nl = strchr(p, '\n');
		_cleanup_free_ char *name = NULL;

		if (!nl)
			break;
		name = xstrndup(p + strlen(BEGIN),
				(size_t)(nl - p - strlen(BEGIN)));
		if (!block(scan, name, &fb, &fe))
			break;
		if (!block(cur, name, &ob, &oe)) {
			*err = xasprintf("it has no block '%s' between '>>> "
					 "leash record' and '<<< leash "
					 "record' lines", name);
			return -EINVAL;
		}
		sb_putn(out, cur, (size_t)(ob - cur));
		sb_putn(out, fb, (size_t)(fe - fb));
		cur = oe;
		scan = fe;
	}
	sb_puts(out, cur);
	return 0;
}
