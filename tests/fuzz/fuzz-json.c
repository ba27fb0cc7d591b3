/* SPDX-License-Identifier: MIT */
/*
 * fuzz-json.c - fuzz target for the readers of untrusted JSON, all on
 * libyaml: sj_parse() and sj_compile() (seccomp profiles), oci_read()
 * and oci_detect() (config.json, docker inspect), jt_parse(), jt_merge()
 * and jt_write() (leash oci-merge).
 *
 * One file, two builds, as fuzz-bundle.c:
 *
 *   clang -fsanitize=fuzzer,... -DLEASH_LIBFUZZER   (tests/fuzz/run-fuzz.sh)
 *       libFuzzer calls LLVMFuzzerTestOneInput().
 *
 *   $(CC) [with --enable-sanitizers: ASan + UBSan]  (make check)
 *       our main() feeds the target every seed (the JSON and policies
 *       under tests/, tests/fuzz/json-seeds/) with its truncations and
 *       one-byte changes, checks the readers' limits with inputs made
 *       here (100,000 levels of nesting, a million values, aliases,
 *       directives) and prints TAP.  With FILE|DIR arguments it replays
 *       those files instead (libFuzzer's crash-* artifacts); with
 *       '--seeds DIR' it writes the seeds to DIR as a corpus.
 *
 * Every input goes to all three readers.  What they return is checked
 * against what their headers promise: an error has a "LINE:COL: "
 * message; a parsed profile, container or tree is well formed and
 * within the limits; a compiled filter passes the kernel's checks; a
 * tree that jt_parse() accepts is JSON by an independent, strict
 * checker, is written as JSON that reads back to the same tree, and
 * merges (RFC 7386) as a plain reference implementation here does;
 * and the seccomp profile oci_read() finds in a config.json is the one
 * at linux.seccomp, as runc's Go decoder finds it.
 */
#include "seccomp/bpf.h"
#include "common/jtree.h"
#include "interop/oci-read.h"
#include "front/flat.h"
#include "seccomp/scmp-json.h"
#include "common/yaml-rd.h"
#include "tests/common/first-error.h"

#include <ctype.h>
#include <errno.h>
#include <linux/audit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define must(cond)                                                             \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz-json: %s:%d: %s\n", __FILE__,    \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

/* "LINE:COL: message", both numbers from 1, as the headers promise. */
static void check_located(const char *who, const struct strbuf *err)
{
	const char *s;
	int i;

	must(err->s && err->len > 0 && strlen(err->s) == err->len);
	s = err->s;
	for (i = 0; i < 2; i++) {
		if (*s < '1' || *s > '9')
			break;
		while (isdigit((unsigned char)*s))
			s++;
		if (*s++ != ':')
			break;
	}
	if (i < 2 || *s != ' ' || !s[1]) {
		fprintf(stderr, "fuzz-json: %s: an error without a location: "
			"'%s'\n", who, err->s);
		must(!"errors are located");
	}
}

/* ---- a strict JSON checker (RFC 8259), independent of libyaml ------------ */

struct jv {
	const unsigned char *p, *end;
	unsigned depth;
};

/* Deeper than any tree jt_parse() accepts: past it, "not valid". */
#define JV_MAX_DEPTH 256

static void jv_ws(struct jv *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool jv_lit(struct jv *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return false;
	j->p += n;
	return true;
}

static bool jv_digits(struct jv *j)
{
	const unsigned char *s = j->p;

	while (j->p < j->end && isdigit(*j->p))
		j->p++;
	return j->p > s;
}

static bool jv_number(struct jv *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (j->p >= j->end || *j->p < '1' || *j->p > '9' ||
		 !jv_digits(j))
		return false;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!jv_digits(j))
			return false;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!jv_digits(j))
			return false;
	}
	return true;
}

/* One UTF-8 character: no overlong form, surrogate or value past 10FFFF. */
static bool jv_utf8(struct jv *j)
{
	unsigned c = *j->p, n, i;
	uint32_t v;

	if (c < 0x80) {
		j->p++;
		return true;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 1, v = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 2, v = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 3, v = c & 0x07;
	else
		return false;
	if ((size_t)(j->end - j->p) <= n)
		return false;
	for (i = 1; i <= n; i++) {
		if ((j->p[i] & 0xc0) != 0x80)
			return false;
		v = v << 6 | (j->p[i] & 0x3f);
	}
	if ((n == 2 && v < 0x800) || (n == 3 && v < 0x10000) ||
	    (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return false;
	j->p += n + 1;
	return true;
}

static void put_utf8(struct strbuf *sb, uint32_t v)
{
	if (v < 0x80) {
		sb_putc(sb, (char)v);
	} else if (v < 0x800) {
		sb_putc(sb, (char)(0xc0 | v >> 6));
		sb_putc(sb, (char)(0x80 | (v & 0x3f)));
	} else if (v < 0x10000) {
		sb_putc(sb, (char)(0xe0 | v >> 12));
		sb_putc(sb, (char)(0x80 | ((v >> 6) & 0x3f)));
		sb_putc(sb, (char)(0x80 | (v & 0x3f)));
	} else {
		sb_putc(sb, (char)(0xf0 | v >> 18));
		sb_putc(sb, (char)(0x80 | ((v >> 12) & 0x3f)));
		sb_putc(sb, (char)(0x80 | ((v >> 6) & 0x3f)));
		sb_putc(sb, (char)(0x80 | (v & 0x3f)));
	}
}

static bool jv_hex4(struct jv *j, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if (j->p >= j->end || !isxdigit(*j->p))
			return false;
		*v = *v << 4 | (uint32_t)(isdigit(*j->p) ? *j->p - '0' :
					  (tolower(*j->p) - 'a' + 10));
		j->p++;
	}
	return true;
}

/* A string, decoded into @out; a lone surrogate is "not valid". */
static bool jv_string(struct jv *j, struct strbuf *out)
{
	static const char esc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	const unsigned char *s;
	const char *e;
	uint32_t v, lo;

	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	sb_puts(out, "");
	while (j->p < j->end && *j->p != '"') {
		if (*j->p < 0x20)
			return false;
		if (*j->p != '\\') {
			s = j->p;
			if (!jv_utf8(j))
				return false;
			sb_putn(out, (const char *)s, (size_t)(j->p - s));
			continue;
		}
		if (++j->p >= j->end)
			return false;
		if (*j->p != 'u') {
			for (e = esc; *e && *e != (char)*j->p; e += 2)
				;
			if (!*e)
				return false;
			sb_putc(out, e[1]);
			j->p++;
			continue;
		}
		j->p++;
		if (!jv_hex4(j, &v))
			return false;
		if (v >= 0xdc00 && v <= 0xdfff)
			return false;
		if (v >= 0xd800 && v <= 0xdbff) {
			if (j->end - j->p < 2 || j->p[0] != '\\' ||
			    j->p[1] != 'u')
				return false;
			j->p += 2;
			if (!jv_hex4(j, &lo) || lo < 0xdc00 || lo > 0xdfff)
				return false;
			v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
		}
		put_utf8(out, v);
	}
	if (j->p >= j->end)
		return false;
	j->p++;
	return true;
}

static struct jt *jv_value(struct jv *j);

/* An array or object: @close ends it, members are "key": value. */
static struct jt *jv_collection(struct jv *j, char close, bool members)
{
	struct jt *c = jt_new(members ? JT_OBJ : JT_ARR), *v;
	struct strbuf key = { 0 };
	struct jt_member m = { 0 };

	if (++j->depth > JV_MAX_DEPTH)
		goto fail;
	j->p++;
	jv_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return c;
	}
	for (;;) {
		jv_ws(j);
		if (members) {
			key.len = 0;
			if (!jv_string(j, &key))
				goto fail;
			jv_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				goto fail;
			jv_ws(j);
		}
		v = jv_value(j);
		if (!v)
			goto fail;
		if (members) {
			m.key_len = key.len;
			m.key = xmalloc(key.len + 1);
			memcpy(m.key, key.s, key.len + 1);
			m.val = v;
			VEC_PUSH(&c->members, m);
		} else {
			jt_push(c, v);
		}
		jv_ws(j);
		if (j->p >= j->end)
			goto fail;
		if (*j->p == close)
			break;
		if (*j->p++ != ',')
			goto fail;
	}
	j->p++;
	j->depth--;
	sb_free(&key);
	return c;
fail:
	sb_free(&key);
	jt_free(c);
	return NULL;
}

static struct jt *jv_scalar(enum jt_kind kind, const unsigned char *s,
			    size_t n)
{
	struct jt *v = jt_new(kind);

	if (kind == JT_NUM || kind == JT_STR) {
		v->s = xmalloc(n + 1);
		memcpy(v->s, s, n);
		v->s[n] = '\0';
		v->len = n;
	}
	return v;
}

static struct jt *jv_value(struct jv *j)
{
	const unsigned char *s = j->p;
	struct strbuf str = { 0 };
	struct jt *v;

	if (j->p >= j->end)
		return NULL;
	switch (*j->p) {
	case '[': return jv_collection(j, ']', false);
	case '{': return jv_collection(j, '}', true);
	case '"':
		if (!jv_string(j, &str)) {
			sb_free(&str);
			return NULL;
		}
		v = jv_scalar(JT_STR, (const unsigned char *)str.s, str.len);
		sb_free(&str);
		return v;
	case 't': return jv_lit(j, "true") ? jt_new(JT_TRUE) : NULL;
	case 'f': return jv_lit(j, "false") ? jt_new(JT_FALSE) : NULL;
	case 'n': return jv_lit(j, "null") ? jt_new(JT_NULL) : NULL;
	default:
		return jv_number(j) ? jv_scalar(JT_NUM, s,
						(size_t)(j->p - s)) : NULL;
	}
}

/* @buf as one JSON text (RFC 8259; a UTF-8 BOM may lead it), or NULL. */
static struct jt *json_read(const char *buf, size_t len)
{
	struct jv j = { (const unsigned char *)buf,
			(const unsigned char *)buf + len, 0 };
	struct jt *v;

	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		j.p += 3;
	jv_ws(&j);
	v = jv_value(&j);
	if (!v)
		return NULL;
	jv_ws(&j);
	if (j.p != j.end) {
		jt_free(v);
		return NULL;
	}
	return v;
}

static bool json_valid(const char *buf, size_t len)
{
	struct jt *v = json_read(buf, len);

	jt_free(v);
	return v != NULL;
}

/* ---- trees: checks, equality, copies, the reference merge ---------------- */

static int key_cmp(const void *x, const void *y)
{
	const struct jt_member *a = *(const struct jt_member *const *)x;
	const struct jt_member *b = *(const struct jt_member *const *)y;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int r = memcmp(a->key, b->key, n);

	if (r)
		return r;
	return a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

/* @obj's members sorted by key (free() the array). */
static const struct jt_member **by_key(const struct jt *obj)
{
	const struct jt_member **idx;
	size_t i;

	idx = xcalloc(obj->members.n + 1, sizeof(*idx));
	for (i = 0; i < obj->members.n; i++)
		idx[i] = &obj->members.v[i];
	qsort(idx, obj->members.n, sizeof(*idx), key_cmp);
	return idx;
}

static const struct jt_member *find(const struct jt_member **idx, size_t n,
				    const struct jt_member *key)
{
	const struct jt_member **hit;

	hit = bsearch(&key, idx, n, sizeof(*idx), key_cmp);
	return hit ? *hit : NULL;
}

/* What jtree.h promises of a parsed tree; @depth counts collections. */
static void check_tree(const struct jt *v, unsigned depth, size_t *nodes)
{
	const struct jt_member **idx;
	struct jv j;
	size_t i;

	must(v && ++*nodes <= JT_MAX_NODES);
	switch (v->kind) {
	case JT_NULL:
	case JT_FALSE:
	case JT_TRUE:
		must(!v->s && !v->items.n && !v->members.n);
		break;
	case JT_NUM:
		must(v->s && strlen(v->s) == v->len);
		j = (struct jv){ (const unsigned char *)v->s,
				 (const unsigned char *)v->s + v->len, 0 };
		must(jv_number(&j) && j.p == j.end);
		break;
	case JT_STR:
		must(v->s && v->s[v->len] == '\0');
		break;
	case JT_ARR:
		must(depth + 1 <= JT_MAX_DEPTH && !v->members.n);
		for (i = 0; i < v->items.n; i++)
			check_tree(v->items.v[i], depth + 1, nodes);
		break;
	case JT_OBJ:
		must(depth + 1 <= JT_MAX_DEPTH && !v->items.n);
		for (i = 0; i < v->members.n; i++) {
			must(v->members.v[i].key &&
			     v->members.v[i].key[v->members.v[i].key_len] ==
				     '\0');
			check_tree(v->members.v[i].val, depth + 1, nodes);
		}
		idx = by_key(v);
		for (i = 1; i < v->members.n; i++)
			must(key_cmp(&idx[i - 1], &idx[i]) != 0);
		free(idx);
		break;
	default:
		must(!"a tree node of no kind");
	}
}

static bool same_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	return na == nb && (!na || memcmp(a, b, na) == 0);
}

/* Equal trees; objects in the same order when @ordered. */
static bool tree_eq(const struct jt *a, const struct jt *b, bool ordered)
{
	const struct jt_member **ia, **ib;
	bool eq = true;
	size_t i;

	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case JT_NUM:
	case JT_STR:
		return same_bytes(a->s, a->len, b->s, b->len);
	case JT_ARR:
		if (a->items.n != b->items.n)
			return false;
		for (i = 0; i < a->items.n; i++)
			if (!tree_eq(a->items.v[i], b->items.v[i], ordered))
				return false;
		return true;
	case JT_OBJ:
		if (a->members.n != b->members.n)
			return false;
		if (ordered) {
			for (i = 0; eq && i < a->members.n; i++)
				eq = same_bytes(a->members.v[i].key,
						a->members.v[i].key_len,
						b->members.v[i].key,
						b->members.v[i].key_len) &&
				     tree_eq(a->members.v[i].val,
					     b->members.v[i].val, true);
			return eq;
		}
		ia = by_key(a);
		ib = by_key(b);
		for (i = 0; eq && i < a->members.n; i++)
			eq = key_cmp(&ia[i], &ib[i]) == 0 &&
			     tree_eq(ia[i]->val, ib[i]->val, false);
		free(ia);
		free(ib);
		return eq;
	default:
		return true;
	}
}

static void add_member(struct jt *obj, const struct jt_member *m,
		       struct jt *val)
{
	struct jt_member c = { 0 };

	c.key = xmalloc(m->key_len + 1);
	memcpy(c.key, m->key, m->key_len + 1);
	c.key_len = m->key_len;
	c.val = val;
	VEC_PUSH(&obj->members, c);
}

static struct jt *tree_dup(const struct jt *v)
{
	struct jt *c = jt_new(v->kind);
	size_t i;

	if (v->s) {
		c->s = xmalloc(v->len + 1);
		memcpy(c->s, v->s, v->len + 1);
		c->len = v->len;
	}
	for (i = 0; i < v->items.n; i++)
		jt_push(c, tree_dup(v->items.v[i]));
	for (i = 0; i < v->members.n; i++)
		add_member(c, &v->members.v[i], tree_dup(v->members.v[i].val));
	return c;
}

/* RFC 7386's MergePatch(Target, Patch), literally, on copies. */
static struct jt *ref_merge(const struct jt *target, const struct jt *patch)
{
	const struct jt_member **pi, **ti;
	const struct jt_member *hit;
	struct jt *out;
	size_t i;

	if (patch->kind != JT_OBJ)
		return tree_dup(patch);
	out = jt_new(JT_OBJ);
	pi = by_key(patch);
	if (target && target->kind == JT_OBJ) {
		for (i = 0; i < target->members.n; i++) {
			const struct jt_member *m = &target->members.v[i];

			hit = find(pi, patch->members.n, m);
			if (!hit)
				add_member(out, m, tree_dup(m->val));
			else if (hit->val->kind != JT_NULL)
				add_member(out, m, ref_merge(m->val, hit->val));
		}
	}
	ti = target && target->kind == JT_OBJ ? by_key(target) : NULL;
	for (i = 0; i < patch->members.n; i++) {
		const struct jt_member *m = &patch->members.v[i];

		if (m->val->kind == JT_NULL ||
		    (ti && find(ti, target->members.n, m)))
			continue;
		add_member(out, m, ref_merge(NULL, m->val));
	}
	free(ti);
	free(pi);
	return out;
}

/* jt_write() @v; the text must be JSON and read back to the same tree. */
static void check_written(const struct jt *v)
{
	struct strbuf text = { 0 }, err = { 0 };
	struct jt *back = NULL;
	size_t nodes = 0;

	jt_write(v, &text);
	must(text.len > 0 && text.s[text.len - 1] == '\n');
	must(json_valid(text.s, text.len));
	if (tc_jt_parse(text.s, text.len, &back, &err) < 0) {
		fprintf(stderr, "fuzz-json: jt_write() wrote what jt_parse() "
			"refuses: %s\n", err.s);
		must(!"jt_write() output reads back");
	}
	check_tree(back, 0, &nodes);
	must(tree_eq(v, back, true));
	jt_free(back);
	sb_free(&text);
	sb_free(&err);
}

/* A small config.json for the input to merge into, and be merged into. */
static const char fixed_config[] =
	"{\"ociVersion\": \"1.0.2\", \"a\": null, \"b\": [1, {\"c\": null}],\n"
	" \"process\": {\"terminal\": false, \"user\": {\"uid\": 0, "
	"\"gid\": 0},\n"
	"  \"args\": [\"sh\"], \"capabilities\": {\"bounding\": "
	"[\"CAP_KILL\"]}},\n"
	" \"root\": {\"path\": \"rootfs\", \"readonly\": true},\n"
	" \"linux\": {\"namespaces\": [{\"type\": \"pid\"}],\n"
	"  \"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", "
	"\"x\": {\"y\": {}}}}}\n";

/* jt_merge(@target, @patch) against the reference, twice (idempotent). */
static void check_merge(const struct jt *target, const struct jt *patch)
{
	struct jt *want = ref_merge(target, patch);
	struct jt *got, *again;

	got = jt_merge(tree_dup(target), tree_dup(patch));
	must(tree_eq(got, want, false));
	check_written(got);
	again = jt_merge(tree_dup(got), tree_dup(patch));
	must(tree_eq(again, got, false));
	jt_free(again);
	jt_free(got);
	jt_free(want);
}

/* jt_get(), jt_set(), jt_del() on a copy of an object. */
static void check_access(const struct jt *v)
{
	struct jt *c;
	const char *k;

	if (v->kind != JT_OBJ || !v->members.n)
		return;
	k = v->members.v[0].key;
	if (strlen(k) != v->members.v[0].key_len)
		return;		/* the API takes C strings */
	c = tree_dup(v);
	must(tree_eq(jt_get(c, k), v->members.v[0].val, true));
	jt_set(c, k, jt_str("x"));
	must(c->members.n == v->members.n && jt_get(c, k)->kind == JT_STR);
	jt_del(c, k);
	must(c->members.n + 1 == v->members.n && !jt_get(c, k));
	jt_free(c);
}

static void fuzz_jtree(const char *buf, size_t len)
{
	struct strbuf err = { 0 };
	struct jt *v = NULL, *fixed = NULL, *ref;
	size_t nodes = 0;
	int rc;

	rc = tc_jt_parse(buf, len, &v, &err);
	if (rc < 0) {
		must((rc == -EINVAL || rc == -E2BIG) && !v);
		check_located("jt_parse", &err);
		sb_free(&err);
		return;
	}
	must(rc == 0 && !err.len);
	check_tree(v, 0, &nodes);
	/* The same tree as a plain JSON parser reads. */
	ref = json_read(buf, len);
	if (!ref) {
		fprintf(stderr, "fuzz-json: jt_parse() accepts what is not "
			"JSON\n");
		must(!"jt_parse() accepts JSON only");
	}
	if (!tree_eq(v, ref, true)) {
		fprintf(stderr, "fuzz-json: jt_parse() reads JSON wrong\n");
		must(!"jt_parse() reads what JSON says");
	}
	jt_free(ref);
	check_written(v);
	check_access(v);
	must(tc_jt_parse(fixed_config, sizeof(fixed_config) - 1, &fixed,
		      &err) == 0);
	check_merge(v, v);
	check_merge(fixed, v);
	check_merge(v, fixed);
	jt_free(fixed);
	jt_free(v);
	sb_free(&err);
}

/* ---- seccomp profiles ---------------------------------------------------- */

static void check_strs(const struct sj_strs *s)
{
	size_t i;

	must(!s->n || (s->v && s->loc));
	for (i = 0; i < s->n; i++)
		must(s->v[i] && s->loc[i][0] >= 1 && s->loc[i][1] >= 1);
}

static void check_filter(const struct sj_filter *f)
{
	check_strs(&f->arches);
	check_strs(&f->caps);
	/* moby's comparison is a total order: reflexive */
	if (f->min_kernel)
		must(sj_kernel_ge(f->min_kernel, f->min_kernel));
}

static void check_action(enum sj_action a, const char *as_written)
{
	must(a == sj_action_by_name(as_written));
	must(sj_action_name(a) != NULL);
}

static void check_profile(const struct sj_profile *p)
{
	size_t i, k;

	check_action(p->default_action, p->default_action_str);
	check_strs(&p->arches);
	check_strs(&p->flags);
	must(!p->n_arch_map || p->arch_map);
	for (i = 0; i < p->n_arch_map; i++)
		check_strs(&p->arch_map[i].sub);
	must(!p->n_sys || p->sys);
	for (i = 0; i < p->n_sys; i++) {
		const struct sj_syscall *s = &p->sys[i];

		must(s->line >= 1 && s->col >= 1);
		check_action(s->action, s->action_str);
		check_strs(&s->names);
		check_filter(&s->includes);
		check_filter(&s->excludes);
		must(!s->n_args || s->args);
		for (k = 0; k < s->n_args; k++) {
			const struct sj_arg *a = &s->args[k];

			must(a->line >= 1 && a->col >= 1 && a->index <= 0xffff);
			must(a->op >= _SCMP_CMP_MIN && a->op < _SCMP_CMP_MAX);
			must(a->op_str || a->op == _SCMP_CMP_MIN);
		}
	}
}

/*
 * libseccomp's time grows with the rules times the arches, and faster
 * with argument conditions: past this much a profile is not compiled,
 * so that a timeout means a bug of leash, not a slow libseccomp.
 */
#define COMPILE_MAX_RULES 300
#define COMPILE_MAX_WORK 3000

static bool small_enough(const struct sj_profile *p)
{
	size_t i, rules = 0, arches = p->arches.n;

	for (i = 0; i < p->n_sys; i++)
		rules += 1 + p->sys[i].names.n + p->sys[i].n_args;
	for (i = 0; i < p->n_arch_map; i++)
		arches += 1 + p->arch_map[i].sub.n;
	return rules <= COMPILE_MAX_RULES &&
	       rules * (arches + 1) <= COMPILE_MAX_WORK;
}

static void check_compile(const struct sj_profile *p, const struct sj_opts *o)
{
	static const struct seccomp_data probes[] = {
		{ .nr = 0, .arch = AUDIT_ARCH_X86_64 },
		{ .nr = 59, .arch = AUDIT_ARCH_X86_64, .args = { 1, 2 } },
		{ .nr = 0x40000001, .arch = AUDIT_ARCH_X86_64 },
		{ .nr = 1000, .arch = AUDIT_ARCH_X86_64 },
		{ .nr = 5, .arch = AUDIT_ARCH_I386 },
		{ .nr = 63, .arch = AUDIT_ARCH_AARCH64 },
		{ .nr = 1, .arch = 0xdeadbeef },
	};
	struct sock_filter *prog = NULL;
	struct strbuf err = { 0 };
	size_t len = 1, i;
	uint32_t ret;
	int rc;

	rc = tc_sj_compile(p, o, &prog, &len, &err);
	if (rc < 0) {
		must(!prog && err.s && err.len > 0);
		sb_free(&err);
		return;
	}
	must(rc == 0);
	if (!prog) {
		/* "neither a default action nor syscalls": no seccomp */
		must(len == 0 && p->default_action == SJ_ACT_NONE &&
		     p->n_sys == 0);
		return;
	}
	must(len > 0 && bpf_check(prog, len) == 0);
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		must(bpf_run(prog, len, &probes[i], &ret, NULL) == 0);
	free(prog);
	sb_free(&err);
}

static void fuzz_seccomp(const char *buf, size_t len)
{
	static const char *const caps[] = { "CAP_CHOWN", "CAP_SYS_ADMIN" };
	struct sj_opts docker = { .mode = SJ_DOCKER, .host_arch = "amd64",
				  .caps = caps, .n_caps = ARRAY_SIZE(caps),
				  .kernel = "6.1" };
	struct sj_opts podman = docker;
	struct strbuf err = { 0 };
	struct sj_profile *p = NULL;

	podman.mode = SJ_PODMAN;
	if (tc_sj_parse(buf, len, &p, &err) < 0) {
		must(!p);
		check_located("sj_parse", &err);
		sb_free(&err);
		return;
	}
	must(p);
	check_profile(p);
	if (small_enough(p)) {
		check_compile(p, NULL);
		check_compile(p, &docker);
		check_compile(p, &podman);
	}
	sj_profile_destroy(&p);
	must(!p);
	sb_free(&err);
}

/* ---- config.json and docker inspect -------------------------------------- */

static void check_loc(struct oci_loc l)
{
	must(l.line >= 0 && l.col >= 0 && !l.line == !l.col);
}

static void check_vec(const struct oci_str_vec *v)
{
	size_t i;

	must(!v->n || v->v);
	for (i = 0; i < v->n; i++)
		must(v->v[i]);
}

static void check_container(const struct oci_container *c,
			    enum oci_kind kind)
{
	size_t i;

	must(c->kind == kind);
	must(!(c->cap_bounding & ~FLAT_ALL_CAPS) &&
	     !(c->cap_effective & ~FLAT_ALL_CAPS) &&
	     !(c->cap_permitted & ~FLAT_ALL_CAPS) &&
	     !(c->cap_inheritable & ~FLAT_ALL_CAPS) &&
	     !(c->cap_ambient & ~FLAT_ALL_CAPS));
	check_vec(&c->unknown_caps);
	check_vec(&c->masked_paths);
	check_vec(&c->readonly_paths);
	check_vec(&c->bind_sources);
	check_vec(&c->ignored);
	for (i = 0; i < c->rlimits.n; i++)
		must(c->rlimits.v[i].type);
	must((c->seccomp_kind == OCI_SECCOMP_PROFILE) == !!c->seccomp);
	if (c->seccomp)
		check_profile(c->seccomp);
	must(c->memory >= 0 && c->pids >= 0);
	must(c->cpus >= 0 && c->cpus < 1e300);	/* not NaN, not inf */
	check_loc(c->caps_loc);
	check_loc(c->nnp_loc);
	check_loc(c->apparmor_loc);
	check_loc(c->readonly_loc);
	check_loc(c->seccomp_loc);
	check_loc(c->memory_loc);
	check_loc(c->pids_loc);
	check_loc(c->ns_loc);
	if (kind == OCI_KIND_CONFIG) {
		must(!c->name && !c->privileged);
		must(c->seccomp_kind != OCI_SECCOMP_DEFAULT);
		return;
	}
	must(c->has_caps && c->cap_ambient == 0);
	must(c->cap_bounding == c->cap_effective &&
	     c->cap_bounding == c->cap_permitted &&
	     c->cap_bounding == c->cap_inheritable);
	must(c->has_utsns && c->has_mntns);
	must(!c->apparmor_profile || *c->apparmor_profile);
	if (c->privileged)
		must(c->seccomp_kind == OCI_SECCOMP_NONE &&
		     c->cap_bounding == FLAT_ALL_CAPS &&
		     !strcmp(c->apparmor_profile, "unconfined"));
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_strs(const struct sj_strs *a, const struct sj_strs *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return false;
	return true;
}

static bool same_filter(const struct sj_filter *a, const struct sj_filter *b)
{
	return same_strs(&a->arches, &b->arches) &&
	       same_strs(&a->caps, &b->caps) &&
	       same_str(a->min_kernel, b->min_kernel);
}

static bool same_arg(const struct sj_arg *a, const struct sj_arg *b)
{
	return a->index == b->index && a->value == b->value &&
	       a->value_two == b->value_two && a->op == b->op &&
	       same_str(a->op_str, b->op_str);
}

static bool same_syscall(const struct sj_syscall *a,
			 const struct sj_syscall *b)
{
	size_t i;

	if (!same_strs(&a->names, &b->names) || !same_str(a->name, b->name) ||
	    a->action != b->action || !same_str(a->action_str, b->action_str) ||
	    a->has_errno_ret != b->has_errno_ret ||
	    a->errno_ret != b->errno_ret ||
	    !same_str(a->errno_name, b->errno_name) ||
	    !same_filter(&a->includes, &b->includes) ||
	    !same_filter(&a->excludes, &b->excludes) ||
	    !same_str(a->comment, b->comment) || a->n_args != b->n_args)
		return false;
	for (i = 0; i < a->n_args; i++)
		if (!same_arg(&a->args[i], &b->args[i]))
			return false;
	return true;
}

/* The same profile, wherever in the text each was read. */
static bool same_profile(const struct sj_profile *a,
			 const struct sj_profile *b)
{
	size_t i;

	if (a->default_action != b->default_action ||
	    !same_str(a->default_action_str, b->default_action_str) ||
	    a->has_default_errno_ret != b->has_default_errno_ret ||
	    a->default_errno_ret != b->default_errno_ret ||
	    !same_str(a->default_errno_name, b->default_errno_name) ||
	    !same_strs(&a->arches, &b->arches) ||
	    !same_strs(&a->flags, &b->flags) ||
	    !same_str(a->listener_path, b->listener_path) ||
	    a->n_arch_map != b->n_arch_map || a->n_sys != b->n_sys)
		return false;
	for (i = 0; i < a->n_arch_map; i++)
		if (!same_str(a->arch_map[i].arch, b->arch_map[i].arch) ||
		    !same_strs(&a->arch_map[i].sub, &b->arch_map[i].sub))
			return false;
	for (i = 0; i < a->n_sys; i++)
		if (!same_syscall(&a->sys[i], &b->sys[i]))
			return false;
	return true;
}

/* Go's encoding/json: a key matches a field under Unicode simple case
 * folding, where K (U+212A) is a 'k' and \u017f an 's'. */
static bool go_fold_eq(const struct jt_member *m, const char *name)
{
	const char *k = m->key, *end = m->key + m->key_len;

	for (; *name; name++) {
		char c = (char)tolower((unsigned char)*name);

		if (c == 'k' && end - k >= 3 && !memcmp(k, "\xe2\x84\xaa", 3))
			k += 3;
		else if (c == 's' && end - k >= 2 && !memcmp(k, "\xc5\xbf", 2))
			k += 2;
		else if (k < end && tolower((unsigned char)*k) == c)
			k++;
		else
			return false;
	}
	return k == end;
}

/* The last member of @obj that matches @name, as Go decodes it; NULL:
 * absent.  (Two matching objects Go would merge; oci_read() refuses
 * a field given twice, so that case never gets here.) */
static const struct jt *go_field(const struct jt *obj, const char *name)
{
	const struct jt *v = NULL;
	size_t i;

	if (!obj || obj->kind != JT_OBJ)
		return NULL;
	for (i = 0; i < obj->members.n; i++)
		if (go_fold_eq(&obj->members.v[i], name))
			v = obj->members.v[i].val;
	return v;
}

/*
 * The profile of a config.json that oci_read() reported is the one runc
 * gets: linux.seccomp as Go finds it, read on its own (wrapped, so that
 * sj_parse() looks at exactly that object).
 */
static void check_config_seccomp(const char *buf, size_t len,
				 const struct oci_container *c)
{
	struct strbuf text = { 0 }, err = { 0 };
	struct sj_profile *p = NULL;
	const struct jt *sc;
	struct jt *root = NULL;

	if (tc_jt_parse(buf, len, &root, &err) < 0) {
		sb_free(&err);
		return;		/* YAML, not JSON: runc would not read it */
	}
	sc = go_field(go_field(root, "linux"), "seccomp");
	if (!sc || sc->kind == JT_NULL) {
		must(c->seccomp_kind == OCI_SECCOMP_NONE);
	} else {
		must(c->seccomp_kind == OCI_SECCOMP_PROFILE);
		sb_puts(&text, "{\"linux\": {\"seccomp\": ");
		jt_write(sc, &text);
		sb_puts(&text, "}}");
		must(tc_sj_parse(text.s, text.len, &p, &err) == 0);
		must(same_profile(p, c->seccomp));
		sj_profile_destroy(&p);
	}
	jt_free(root);
	sb_free(&text);
	sb_free(&err);
}

static void fuzz_oci(const char *buf, size_t len)
{
	enum oci_kind kind = tc_oci_detect(buf, len);
	struct strbuf err = { 0 };
	struct oci_doc d;
	size_t i;

	must(kind >= OCI_KIND_UNKNOWN && kind <= OCI_KIND_INSPECT);
	if (tc_oci_read(buf, len, &d, &err) < 0) {
		must(!d.c && !d.n);
		check_located("oci_read", &err);
		sb_free(&err);
		return;
	}
	must(d.kind == kind);
	must(kind == OCI_KIND_CONFIG || kind == OCI_KIND_INSPECT);
	must(d.n >= 1 && d.c && (kind == OCI_KIND_INSPECT || d.n == 1));
	for (i = 0; i < d.n; i++)
		check_container(&d.c[i], kind);
	if (kind == OCI_KIND_CONFIG)
		check_config_seccomp(buf, len, &d.c[0]);
	oci_doc_free(&d);
	must(!d.c && !d.n);
	sb_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;

	fuzz_seccomp(buf, size);
	fuzz_oci(buf, size);
	fuzz_jtree(buf, size);
	return 0;
}

#ifndef LEASH_LIBFUZZER
/* ---- replay mode: a plain program for make check ------------------------- */

#include "pipeline/driver.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

/* Bigger than the fuzzer's inputs (-max_len=65536), smaller than what
 * leash reads (16 MiB). */
#define MAX_SEED (4u << 20)

static unsigned n_run, n_failed;
static const char *seed_dir;
static unsigned n_seeds;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void keep_seed(const char *buf, size_t len)
{
	char *name = xasprintf("seed-%u", ++n_seeds);

	if (write_atomic(seed_dir, name, buf, len) < 0) {
		n_failed++;
		printf("not ok %u - cannot write %s/%s\n", ++n_run, seed_dir,
		       name);
	}
	free(name);
}

/* Every truncation and four changes of each byte; above 64 bytes, at
 * every Nth byte only: the three readers take milliseconds for a seed
 * of Docker's size (under ASan), and make check should take seconds. */
static unsigned mutate(const char *b, size_t len)
{
	static const int how[] = { 0xff, '"', '[', -1 };
	size_t i, k, step = len / 64 + 1;
	char *m = xmalloc(len + 1);
	unsigned n = 0;

	for (i = 0; i <= len; i += step, n++)
		LLVMFuzzerTestOneInput((const uint8_t *)b, i);
	for (i = 0; i < len; i += step) {
		for (k = 0; k < ARRAY_SIZE(how); k++, n++) {
			memcpy(m, b, len);
			m[i] = how[k] < 0 ? (char)(b[i] + 1) : (char)how[k];
			LLVMFuzzerTestOneInput((const uint8_t *)m, len);
		}
	}
	free(m);
	return n;
}

/* One input, with its mutations when @mutations. */
static void run_input(const char *what, const char *buf, size_t len,
		      bool mutations)
{
	double t = now();
	unsigned n = 0;

	if (seed_dir) {
		keep_seed(buf, len);
		return;
	}
	n_run++;
	fflush(stdout);
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	if (mutations)
		n = mutate(buf, len);
	printf("ok %u - %s: %zu bytes", n_run, what, len);
	if (mutations)
		printf(", %u mutations", n);
	printf(" (%.2fs)\n", now() - t);
}

static void run_file(const char *path, bool mutations)
{
	char *buf;
	size_t len;
	int rc;

	rc = read_file(path, &buf, &len, MAX_SEED);
	if (rc < 0) {
		n_failed++;
		printf("not ok %u - %s: %s\n", ++n_run, path, strerror(-rc));
		return;
	}
	run_input(path, buf, len, mutations);
	free(buf);
}

/* The regular files of @path, or @path; only NAME*SUFFIX when given. */
static void run_path(const char *path, const char *suffix, bool mutations)
{
	struct dirent **de;
	struct stat st;
	int i, n;

	if (stat(path, &st) < 0) {
		n_failed++;
		printf("not ok %u - %s: %s\n", ++n_run, path, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path, mutations);
		return;
	}
	n = scandir(path, &de, NULL, alphasort);
	if (n < 0) {
		n_failed++;
		printf("not ok %u - %s: %s\n", ++n_run, path, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		size_t l = strlen(de[i]->d_name);
		char *p = xasprintf("%s/%s", path, de[i]->d_name);

		if (de[i]->d_name[0] != '.' && stat(p, &st) == 0 &&
		    S_ISREG(st.st_mode) &&
		    (!suffix || (l > strlen(suffix) &&
				 !strcmp(de[i]->d_name + l - strlen(suffix),
					 suffix))))
			run_file(p, mutations);
		free(p);
		free(de[i]);
	}
	free(de);
}

/* ---- inputs made here: the limits ---------------------------------------- */

static char *repeat(const char *head, const char *unit, size_t n,
		    const char *mid, const char *close, const char *tail,
		    size_t *len)
{
	struct strbuf sb = { 0 };
	size_t i;

	sb_puts(&sb, head);
	for (i = 0; i < n; i++)
		sb_puts(&sb, unit);
	sb_puts(&sb, mid);
	for (i = 0; close && i < n; i++)
		sb_puts(&sb, close);
	sb_puts(&sb, tail);
	*len = sb.len;
	return sb_steal(&sb);
}

/* @n %TAG directives, each of its own handle, and an empty document. */
static char *directives(size_t n, size_t *len)
{
	struct strbuf sb = { 0 };
	size_t i;

	for (i = 0; i < n; i++)
		sb_printf(&sb, "%%TAG !a%zu! tag:x,1:\n", i);
	sb_puts(&sb, "--- {}\n");
	*len = sb.len;
	return sb_steal(&sb);
}

/* Nesting, each reader: up to its limit it reads, past it it refuses,
 * and 100,000 levels take no stack and no quadratic time. */
static void made_inputs(void)
{
	static const struct {
		const char *what, *open, *close;
		size_t n;
	} deep[] = {
		{ "100000 unclosed '['", "[", NULL, 100000 },
		{ "100000 '[' closed", "[", "]", 100000 },
		{ "100000 '{\"a\":' closed", "{\"a\": ", "}", 100000 },
		{ "100000 '- ' (YAML block)", "- ", NULL, 100000 },
		{ "30000 '[' (libFuzzer's size)", "[", "]", 30000 },
	};
	static const char *const yaml[] = {
		/* a billion laughs, a cycle, aliases of scalars */
		"{\"a\": &a [\"read\", \"read\", \"read\"], \"b\": &b [*a, *a,"
		" *a, *a], \"c\": &c [*b, *b, *b, *b], \"defaultAction\": "
		"\"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": *c}]}",
		"&a [*a]",
		"{\"defaultAction\": &x \"SCMP_ACT_ALLOW\", \"y\": *x}",
		"%YAML 1.1\n%TAG ! tag:leash,2026:\n--- {defaultAction: "
		"!x SCMP_ACT_ALLOW}",
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n--- [\"more\"]",
		"[\"a\": 1]",
	};
	size_t i, len;
	char *buf, *what;

	for (i = 0; i < ARRAY_SIZE(deep); i++) {
		buf = repeat("", deep[i].open, deep[i].n, "0", deep[i].close,
			     "", &len);
		what = xasprintf("made: %s", deep[i].what);
		run_input(what, buf, len, false);
		free(what);
		free(buf);
	}
	for (i = 0; i < ARRAY_SIZE(yaml); i++) {
		what = xasprintf("made: YAML %zu", i + 1);
		run_input(what, yaml[i], strlen(yaml[i]), !seed_dir);
		free(what);
	}
	buf = directives(10000, &len);
	run_input("made: 10000 YAML directives", buf, len, false);
	free(buf);
}

/* check(WHAT, COND): one TAP line. */
static void check(const char *what, bool ok)
{
	n_run++;
	if (!ok)
		n_failed++;
	printf("%sok %u - %s\n", ok ? "" : "not ", n_run, what);
}

static int jt_rc(const char *buf, size_t len, struct strbuf *err)
{
	struct jt *v = NULL;
	int rc = tc_jt_parse(buf, len, &v, err);

	jt_free(v);
	return rc;
}

/* Whether sj_parse() refuses @buf for @why, or, @why NULL, reads it. */
static bool sj_refuses(const char *buf, size_t len, const char *why)
{
	struct strbuf err = { 0 };
	struct sj_profile *p = NULL;
	int rc = tc_sj_parse(buf, len, &p, &err);
	bool ok;

	ok = why ? rc < 0 && err.s && strstr(err.s, why) : rc == 0;
	if (!ok)
		printf("# sj_parse: %s\n", err.s ? err.s : "accepted");
	sj_profile_destroy(&p);
	sb_free(&err);
	return ok;
}

static bool oci_refuses(const char *buf, size_t len, const char *why)
{
	struct strbuf err = { 0 };
	struct oci_doc d;
	bool ok;

	ok = tc_oci_read(buf, len, &d, &err) < 0 && err.s && strstr(err.s, why);
	if (!ok)
		printf("# oci_read: %s\n", err.s ? err.s : "accepted");
	oci_doc_free(&d);
	sb_free(&err);
	return ok;
}

/* The documented limits, exactly at and just past each. */
static void limits(void)
{
	struct strbuf err = { 0 };
	size_t len;
	char *buf, *what;
	double t;

	buf = repeat("", "[", JT_MAX_DEPTH, "", "]", "", &len);
	check("jt_parse: JT_MAX_DEPTH levels read", jt_rc(buf, len, &err) == 0);
	free(buf);
	buf = repeat("", "[", JT_MAX_DEPTH + 1, "", "]", "", &len);
	check("jt_parse: one level more is -E2BIG",
	      jt_rc(buf, len, &err) == -E2BIG);
	sb_free(&err);
	free(buf);

	t = now();
	buf = repeat("[0", ",0", JT_MAX_NODES - 2, "]", NULL, "", &len);
	check("jt_parse: JT_MAX_NODES values read", jt_rc(buf, len, &err) == 0);
	free(buf);
	buf = repeat("[0", ",0", JT_MAX_NODES - 1, "]", NULL, "", &len);
	what = xasprintf("jt_parse: one value more is -E2BIG (%.1fs for both)",
			 now() - t);
	check(what, jt_rc(buf, len, &err) == -E2BIG);
	free(what);
	sb_free(&err);
	free(buf);

	buf = repeat("{\"linux\": {\"seccomp\": ", "[", RD_MAX_DEPTH - 2, "",
		     "]", "}}", &len);
	check("sj_parse: RD_MAX_DEPTH levels read",
	      sj_refuses(buf, len, "profile: expected an object"));
	free(buf);
	buf = repeat("{\"linux\": {\"seccomp\": ", "[", RD_MAX_DEPTH - 1, "",
		     "]", "}}", &len);
	check("sj_parse: one level more is refused",
	      sj_refuses(buf, len, "nested deeper than"));
	check("oci_read: one level more is refused",
	      oci_refuses(buf, len, "nested deeper than"));
	free(buf);
	check("sj_parse: an alias is refused",
	      sj_refuses("{\"defaultAction\": &a \"SCMP_ACT_ALLOW\", "
			 "\"x\": *a}", 47, "a YAML alias"));
	check("oci_read: an alias is refused",
	      oci_refuses("{\"ociVersion\": \"1\", \"process\": &p "
			  "{\"rlimits\": [*p]}}", 52, "a YAML alias"));
	check("sj_parse: a second document is refused",
	      sj_refuses("{}\n--- {}", 9, "a second YAML document, and no "
			 "SeccompProfile among the 2"));
	check("sj_parse: a SeccompProfile after another document is read",
	      sj_refuses("{}\n--- {kind: SeccompProfile, apiVersion: "
			 "security-profiles-operator.x-k8s.io/v1, spec: "
			 "{defaultAction: SCMP_ACT_ALLOW}}", 120, NULL));
	check("sj_parse: a SeccompProfile without a spec is refused",
	      sj_refuses("{kind: SeccompProfile, apiVersion: "
			 "security-profiles-operator.x-k8s.io/v1}", 74,
			 "has no spec"));
	buf = repeat("", "--- {}\n", RD_MAX_DOCS + 1, "", "", "", &len);
	check("sj_parse: one YAML document more than RD_MAX_DOCS is refused",
	      sj_refuses(buf, len, "YAML documents"));
	free(buf);
	buf = directives(RD_MAX_DIRECTIVES, &len);
	check("sj_parse: RD_MAX_DIRECTIVES directives read",
	      sj_refuses(buf, len, NULL));
	free(buf);
	buf = directives(RD_MAX_DIRECTIVES + 1, &len);
	check("sj_parse: one directive more is refused",
	      sj_refuses(buf, len, "YAML directives"));
	free(buf);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *dir, *suffix;
	} seeds[] = {
		{ "tests/data", ".json" },
		{ "tests/import", NULL },
		{ "tests/audit", NULL },
		{ "tests/diff", NULL },
		{ "tests/golden/oci", ".json" },
		{ "tests/fuzz/json-seeds", NULL },
	};
	const char *src = getenv("abs_top_srcdir");
	size_t i;
	int a;

	if (argc > 1 && strcmp(argv[1], "--seeds") != 0) {
		for (a = 1; a < argc; a++)
			run_path(argv[a], NULL, false);
		printf("1..%u\n", n_run);
		return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	if (argc > 1) {
		if (argc != 3) {
			fputs("usage: fuzz-json [--seeds DIR | FILE|DIR...]\n",
			      stderr);
			return 2;
		}
		seed_dir = argv[2];
	}
	if (!src || !*src)
		src = LEASH_SRC_DIR;
	for (i = 0; i < ARRAY_SIZE(seeds); i++) {
		char *p = xasprintf("%s/%s", src, seeds[i].dir);

		run_path(p, seeds[i].suffix, true);
		free(p);
	}
	made_inputs();
	if (!seed_dir)
		limits();
	printf("1..%u\n", n_run);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
#endif /* !LEASH_LIBFUZZER */
