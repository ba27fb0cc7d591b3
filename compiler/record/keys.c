/* SPDX-License-Identifier: MIT */
/*
 * keys.c - the set of call keys 'leash record --verify' keeps: which
 * calls succeeded while recording (keys.h).
 */
#include "record/keys.h"
#include "record/trace.h"

#include <stdlib.h>
#include <string.h>

struct rec_keys {
	char **v;		/* open addressing, cap a power of two */
	size_t n, cap;
};

struct rec_keys *rec_keys_new(void)
{
	struct rec_keys *k = xcalloc(1, sizeof(*k));

	k->cap = 1024;
	k->v = xcalloc(k->cap, sizeof(*k->v));
	return k;
}

void rec_keys_free(struct rec_keys *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->cap; i++)
		free(k->v[i]);
	free(k->v);
	free(k);
}

static uint64_t key_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The first free slot for @s (not in the set). */
static size_t key_slot(const struct rec_keys *k, const char *s)
{
	size_t i;

	for (i = (size_t)key_hash(s) & (k->cap - 1); k->v[i];
	     i = (i + 1) & (k->cap - 1))
		;
	return i;
}

bool keys_has(const struct rec_keys *k, const char *s)
{
	size_t i;

	for (i = (size_t)key_hash(s) & (k->cap - 1); k->v[i];
	     i = (i + 1) & (k->cap - 1))
		if (!strcmp(k->v[i], s))
			return true;
	return false;
}

void keys_add(struct rec_keys *k, const char *s)
{
	size_t i;

	if (keys_has(k, s))
		return;
	if (2 * (k->n + 1) > k->cap) {
		struct rec_keys big = { xcalloc(2 * k->cap, sizeof(char *)), 0,
					2 * k->cap };

		for (i = 0; i < k->cap; i++)
			if (k->v[i])
				big.v[key_slot(&big, k->v[i])] = k->v[i];
		free(k->v);
		k->v = big.v;
		k->cap = big.cap;
	}
	k->v[key_slot(k, s)] = xstrdup(s);
	k->n++;
}
