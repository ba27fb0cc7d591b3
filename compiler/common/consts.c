/* SPDX-License-Identifier: MIT */
/*
 * consts.c - the built-in constants of docs/language.md section 2 (EPERM,
 * AF_INET, CLONE_NEWUSER, ...), errno names both ways, and capability
 * names (section 5).
 *
 * The numbers are not typed here: tools/gen-consts.py extracts them from
 * the kernel source into consts-table.h, sorted by name, so every lookup
 * is a binary search.  Values are per arch (docs/language.md section 2):
 * an entry's value holds unless one of its few overrides names the arch.
 */
#include "common/tables.h"

#include <string.h>
#include <strings.h>

#include "common/consts-table.h"

_Static_assert(ARRAY_SIZE(cap_names) == CAP_COUNT,
	       "consts-table.h and tables.h disagree on the capabilities");

/* The "did you mean" budget shared with syscalls.c and arch.c. */
static size_t suggest_limit(const char *name)
{
	return strlen(name) <= 4 ? 1 : 2;
}

static const struct const_entry *bsearch_name(const struct const_entry *v,
					      size_t n, const char *name)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(name, v[mid].name);
		if (c == 0)
			return &v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * The value of @e on @arch.
 * Returns false when the kernel does not define the name there.
 */
static bool entry_value(const struct const_entry *e, enum leash_arch arch,
			uint64_t *value)
{
	const struct const_override *o = &const_overrides[e->first];
	unsigned i;

	for (i = 0; i < e->count; i++) {
		if (o[i].arch != arch)
			continue;
		if (o[i].present && value)
			*value = o[i].value;
		return o[i].present;
	}
	if (value)
		*value = e->value;
	return true;
}

static const struct const_entry *find(const char *name)
{
	return bsearch_name(consts_table, ARRAY_SIZE(consts_table), name);
}

bool const_lookup(enum leash_arch arch, const char *name, uint64_t *value)
{
	const struct const_entry *e = find(name);

	return e && entry_value(e, arch, value);
}

bool const_known(const char *name)
{
	return find(name) != NULL;
}

const char *const_name_at(size_t i)
{
	return i < ARRAY_SIZE(consts_table) ? consts_table[i].name : NULL;
}

bool const_any(const char *name, uint64_t *value)
{
	const struct const_entry *e = find(name);

	if (e && value)
		*value = e->value;
	return e != NULL;
}

bool const_uniform(const char *name, uint32_t arches)
{
	const struct const_entry *e = find(name);
	uint64_t v, first = 0;
	bool seen = false;
	int a;

	if (!e)
		return false;
	for (a = 0; a < ARCH_COUNT; a++) {
		if (!(arches & (UINT32_C(1) << a)))
			continue;
		if (!entry_value(e, (enum leash_arch)a, &v))
			return false;
		if (seen && v != first)
			return false;
		first = v;
		seen = true;
	}
	return seen;
}

/*
 * Upper-case @name into @buf, or return NULL when it does not fit (no
 * built-in name is that long, so nothing would be near it anyway).
 */
static const char *upcase(const char *name, char *buf, size_t size)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		if (i + 1 >= size)
			return NULL;
		buf[i] = (name[i] >= 'a' && name[i] <= 'z') ?
			 (char)(name[i] - 'a' + 'A') : name[i];
	}
	buf[i] = '\0';
	return buf;
}

const char *const_suggest(const char *name)
{
	const char *best = NULL, *n;
	char buf[64];
	size_t limit, best_d, d, i;

	/* Built-ins are upper case: "af_inet" means AF_INET. */
	n = upcase(name, buf, sizeof(buf));
	if (!n)
		return NULL;
	if (strcmp(n, name) != 0 && find(n))
		return find(n)->name;
	limit = suggest_limit(n);
	best_d = limit + 1;
	for (i = 0; i < ARRAY_SIZE(consts_table); i++) {
		d = edit_distance(n, consts_table[i].name, limit);
		if (d < best_d) {
			best_d = d;
			best = consts_table[i].name;
			if (d == 0)
				break;
		}
	}
	return best;
}

bool errno_lookup(enum leash_arch arch, const char *name, uint64_t *value)
{
	const struct const_entry *e = find(name);

	return e && (e->flags & CONST_ERRNO) && entry_value(e, arch, value);
}

/*
 * A scan of the canonical names: a few hundred entries, and only
 * printing needs it (explain, test, import), never the compiler's loops.
 */
const char *errno_name(enum leash_arch arch, uint64_t value)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(consts_table); i++) {
		const struct const_entry *e = &consts_table[i];

		if ((e->flags & CONST_ERRNO_CANON) &&
		    entry_value(e, arch, &v) && v == value)
			return e->name;
	}
	return NULL;
}

/* @name without a leading "CAP_" in any case. */
static const char *strip_cap(const char *name)
{
	return strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;
}

int cap_by_name(const char *name)
{
	const char *n = strip_cap(name);
	int i;

	for (i = 0; i < CAP_COUNT; i++)
		if (strcasecmp(n, cap_names[i]) == 0)
			return i;
	return -1;
}

const char *cap_name(int cap)
{
	if (cap < 0 || cap >= CAP_COUNT)
		return NULL;
	return cap_names[cap];
}

const char *cap_suggest(const char *name)
{
	const char *best = NULL, *n;
	char buf[64];
	size_t limit, best_d, d;
	int i;

	n = upcase(strip_cap(name), buf, sizeof(buf));
	if (!n || !*n)
		return NULL;
	limit = suggest_limit(n);
	best_d = limit + 1;
	for (i = 0; i < CAP_COUNT; i++) {
		d = edit_distance(n, cap_names[i], limit);
		if (d < best_d) {
			best_d = d;
			best = cap_names[i];
		}
	}
	return best;
}

/*
 * Docker's default capability set (moby oci/caps/defaults.go), which
 * docs/language.md section 5 lists for "base docker".
 */
static const char *const docker_default[] = {
	"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
	"SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE",
	"SYS_CHROOT", "KILL", "AUDIT_WRITE",
};

uint64_t caps_docker_default(void)
{
	uint64_t set = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(docker_default); i++) {
		int cap = cap_by_name(docker_default[i]);

		/* Every one of them predates CAP_COUNT's kernel by years. */
		if (cap >= 0)
			set |= UINT64_C(1) << cap;
	}
	return set;
}
