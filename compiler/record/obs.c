/* SPDX-License-Identifier: MIT */
/*
 * obs.c - the observations of 'leash record' (obs.h).
 */
#include "record/obs.h"

#include <stdlib.h>
#include <string.h>

#define NS_MASK 0x7e020080ull	/* every CLONE_NEW* bit, CLONE_NEWTIME too */
#define NS_TEXT "(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | " \
		"CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | " \
		"CLONE_NEWCGROUP | CLONE_NEWTIME)"
/* clone()'s low byte is the exit signal, so CLONE_NEWTIME is not a flag
 * there (the kernel refuses it for clone and takes it for unshare). */
#define NS_MASK_CLONE 0x7e020000ull
#define NS_TEXT_CLONE "(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | " \
		      "CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | " \
		      "CLONE_NEWCGROUP)"

/*
 * The calls whose arguments decide how dangerous they are, and which
 * argument.  clone3's flags are in memory, out of a filter's reach, so
 * it has none.  x86's old one-pointer mmap has no prot argument: the
 * writer drops a spec past a call's signature on an arch.
 */
static const struct rec_argspec specs[] = {
	{ "socket", 0, RK_FAMILY, ~0ull, NULL },
	{ "socket", 1, RK_SOCKTYPE, 0xf, "0xf" },
	{ "socketpair", 0, RK_FAMILY, ~0ull, NULL },
	{ "socketpair", 1, RK_SOCKTYPE, 0xf, "0xf" },
	{ "ioctl", 1, RK_IOCTL, ~0ull, NULL },
	{ "prctl", 0, RK_PRCTL, ~0ull, NULL },
	{ "clone", 0, RK_NS, NS_MASK_CLONE, NS_TEXT_CLONE },
	{ "unshare", 0, RK_NS, NS_MASK, NS_TEXT },
	{ "setns", 1, RK_NS, NS_MASK, NS_TEXT },
	{ "personality", 0, RK_PERSONA, ~0ull, NULL },
	{ "mmap", 2, RK_PROT, 0x4, "PROT_EXEC" },
	{ "mmap2", 2, RK_PROT, 0x4, "PROT_EXEC" },
	{ "mprotect", 2, RK_PROT, 0x4, "PROT_EXEC" },
	{ "pkey_mprotect", 2, RK_PROT, 0x4, "PROT_EXEC" },
	{ "kill", 1, RK_SIGNAL, ~0ull, NULL },
	{ "tkill", 1, RK_SIGNAL, ~0ull, NULL },
	{ "tgkill", 2, RK_SIGNAL, ~0ull, NULL },
	{ "fcntl", 1, RK_FCNTL, ~0ull, NULL },
	{ "fcntl64", 1, RK_FCNTL, ~0ull, NULL },
	/* A filter cannot read socketcall's arguments (they are in
	 * memory), but it can tell socket() from connect(). */
	{ "socketcall", 0, RK_SOCKETCALL, ~0ull, NULL },
};

const struct rec_argspec *rec_argspecs(const char *name, unsigned *n)
{
	size_t i;

	*n = 0;
	for (i = 0; i < ARRAY_SIZE(specs); i++)
		if (!strcmp(specs[i].call, name))
			break;
	if (i == ARRAY_SIZE(specs))
		return NULL;
	while (i + *n < ARRAY_SIZE(specs) &&
	       !strcmp(specs[i + *n].call, name))
		(*n)++;
	return &specs[i];
}

void obs_init(struct rec_obs *o)
{
	memset(o, 0, sizeof(*o));
}

static void vals_free(struct rec_vals *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void obs_fini(struct rec_obs *o)
{
	size_t a, i;

	for (a = 0; a < ARCH_COUNT; a++) {
		if (!o->calls[a])
			continue;
		for (i = 0; i < REC_MAX_NR; i++) {
			vals_free(&o->calls[a][i].vals[0]);
			vals_free(&o->calls[a][i].vals[1]);
		}
		free(o->calls[a]);
	}
	for (i = 0; i < o->cap_paths; i++)
		free(o->paths[i].path);
	free(o->paths);
	vals_free(&o->sockets);
	vals_free(&o->bind_ports);
	vals_free(&o->connect_ports);
	for (i = 0; i < CAP_COUNT; i++)
		free(o->cap_why[i]);
	memset(o, 0, sizeof(*o));
}

struct rec_call *obs_call(struct rec_obs *o, enum leash_arch arch,
			  uint64_t nr)
{
	struct rec_call *c;

	if (nr >= REC_MAX_NR || (unsigned)arch >= ARCH_COUNT)
		return NULL;
	if (!o->calls[arch])
		o->calls[arch] = xcalloc(REC_MAX_NR, sizeof(struct rec_call));
	c = &o->calls[arch][nr];
	if (c->count++ == 0)
		o->dirty = true;
	return c;
}

void obs_value(struct rec_obs *o, struct rec_vals *s, uint64_t v)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return;
	if (s->overflow)
		return;
	o->dirty = true;
	if (s->n == REC_MAX_VALS) {
		s->overflow = true;
		return;
	}
	VEC_PUSH(s, v);
}

static void paths_grow(struct rec_obs *o)
{
	struct rec_path *old = o->paths;
	size_t oldcap = o->cap_paths, i;

	o->cap_paths = oldcap ? oldcap * 2 : 256;
	o->paths = xcalloc(o->cap_paths, sizeof(*o->paths));
	for (i = 0; i < oldcap; i++) {
		size_t h;

		if (!old[i].path)
			continue;
		h = str_hash(old[i].path) & (o->cap_paths - 1);
		while (o->paths[h].path)
			h = (h + 1) & (o->cap_paths - 1);
		o->paths[h] = old[i];
	}
	free(old);
}

void obs_path(struct rec_obs *o, const char *path, unsigned modes)
{
	size_t h;

	if ((o->n_paths + 1) * 2 > o->cap_paths)
		paths_grow(o);
	h = str_hash(path) & (o->cap_paths - 1);
	while (o->paths[h].path) {
		if (!strcmp(o->paths[h].path, path)) {
			if ((o->paths[h].modes | modes) != o->paths[h].modes)
				o->dirty = true;
			o->paths[h].modes |= modes;
			return;
		}
		h = (h + 1) & (o->cap_paths - 1);
	}
	o->paths[h].path = xstrdup(path);
	o->paths[h].modes = modes;
	o->n_paths++;
	o->dirty = true;
}

void obs_cap(struct rec_obs *o, int cap, const char *why)
{
	if (cap < 0 || cap >= CAP_COUNT || (o->caps & (1ull << cap)))
		return;
	o->caps |= 1ull << cap;
	o->cap_why[cap] = xstrdup(why);
	o->dirty = true;
}

static int path_cmp(const void *a, const void *b)
{
	const struct rec_path *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

struct rec_path **obs_paths_sorted(const struct rec_obs *o, size_t *n)
{
	struct rec_path **v = xcalloc(o->n_paths + 1, sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < o->cap_paths; i++)
		if (o->paths[i].path)
			v[(*n)++] = &o->paths[i];
	qsort(v, *n, sizeof(*v), path_cmp);
	return v;
}
