/* SPDX-License-Identifier: MIT */
/*
 * jtree.c - JSON values: building, reading (libyaml), merging, writing.
 *
 * The reader works on libyaml's event stream rather than its document
 * loader: the loader expands aliases (a few hundred bytes of YAML can
 * name millions of nodes), and events let every limit apply as the
 * input is read.  JSON accepts nothing YAML-only, so the reader refuses
 * block collections, single-quoted and plain non-JSON scalars, anchors,
 * aliases and tags: what it accepts is what a JSON parser accepts.
 */
#include "common/jtree.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <yaml.h>

struct jt *jt_new(enum jt_kind kind)
{
	struct jt *v = xcalloc(1, sizeof(*v));

	v->kind = kind;
	return v;
}

static struct jt *jt_strn(enum jt_kind kind, const char *s, size_t len)
{
	struct jt *v = jt_new(kind);

	v->s = xmalloc(len + 1);
	memcpy(v->s, s, len);
	v->s[len] = '\0';
	v->len = len;
	return v;
}

struct jt *jt_str(const char *s)
{
	return jt_strn(JT_STR, s, strlen(s));
}

struct jt *jt_u64(uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return jt_strn(JT_NUM, buf, strlen(buf));
}

struct jt *jt_bool(bool v)
{
	return jt_new(v ? JT_TRUE : JT_FALSE);
}

void jt_free(struct jt *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->items.n; i++)
		jt_free(v->items.v[i]);
	for (i = 0; i < v->members.n; i++) {
		free(v->members.v[i].key);
		jt_free(v->members.v[i].val);
	}
	VEC_FREE(&v->items);
	VEC_FREE(&v->members);
	free(v->s);
	free(v);
}

void jt_freep(struct jt **v)
{
	jt_free(*v);
	*v = NULL;
}

void jt_push(struct jt *arr, struct jt *val)
{
	VEC_PUSH(&arr->items, val);
}

static ssize_t find_key(const struct jt *obj, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < obj->members.n; i++)
		if (obj->members.v[i].key_len == len &&
		    memcmp(obj->members.v[i].key, key, len) == 0)
			return (ssize_t)i;
	return -1;
}

void jt_set(struct jt *obj, const char *key, struct jt *val)
{
	ssize_t i = find_key(obj, key, strlen(key));
	struct jt_member m = { 0 };

	if (i >= 0) {
		jt_free(obj->members.v[i].val);
		obj->members.v[i].val = val;
		return;
	}
	m.key = xstrdup(key);
	m.key_len = strlen(key);
	m.val = val;
	VEC_PUSH(&obj->members, m);
}

struct jt *jt_get(const struct jt *obj, const char *key)
{
	ssize_t i;

	if (!obj || obj->kind != JT_OBJ)
		return NULL;
	i = find_key(obj, key, strlen(key));
	return i < 0 ? NULL : obj->members.v[i].val;
}

void jt_del(struct jt *obj, const char *key)
{
	ssize_t i = find_key(obj, key, strlen(key));

	if (i < 0)
		return;
	free(obj->members.v[i].key);
	jt_free(obj->members.v[i].val);
	memmove(&obj->members.v[i], &obj->members.v[i + 1],
		(obj->members.n - (size_t)i - 1) * sizeof(*obj->members.v));
	obj->members.n--;
}

/* ---- sorted views of an object's keys ------------------------------------ */

static int member_cmp(const void *x, const void *y)
{
	const struct jt_member *a = *(const struct jt_member *const *)x;
	const struct jt_member *b = *(const struct jt_member *const *)y;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int r = memcmp(a->key, b->key, n);

	if (r)
		return r;
	return a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

/* Pointers to @obj's members sorted by key: lookups stay O(log n) for
 * objects of any size (a hostile file may have a million keys). */
static struct jt_member **sorted_members(const struct jt *obj)
{
	struct jt_member **idx;
	size_t i;

	idx = xcalloc(obj->members.n ? obj->members.n : 1, sizeof(*idx));
	for (i = 0; i < obj->members.n; i++)
		idx[i] = &obj->members.v[i];
	if (obj->members.n > 1)
		qsort(idx, obj->members.n, sizeof(*idx), member_cmp);
	return idx;
}

/* ---- reading ------------------------------------------------------------- */

struct frame {
	struct jt *v;
	bool have_key;		/* JT_OBJ: the next scalar is a value */
};

struct reader {
	yaml_parser_t parser;
	struct diag *d;
	const struct src_file *src;
	struct frame stack[JT_MAX_DEPTH];
	size_t depth;
	size_t nodes;
	struct jt *root;
	int rc;
};

/* Report at libyaml's (0-based) mark @m, the first error only: after it
 * the tree is not the text's.  Returns the reader's error code. */
static int rfail(struct reader *r, const yaml_mark_t *m, int rc,
		 const char *fmt, ...) LEASH_PRINTF(4, 5);
static int rfail(struct reader *r, const yaml_mark_t *m, int rc,
		 const char *fmt, ...)
{
	struct leash_loc loc = src_loc(r->src, (int)m->line + 1,
				       (int)m->column + 1);
	va_list ap;

	if (r->rc == 0) {
		va_start(ap, fmt);
		diag_vreport(r->d, DIAG_ERROR, &loc, fmt, ap);
		va_end(ap);
		r->rc = rc;
	}
	return r->rc;
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool is_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return false;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static void member_add(struct jt *obj, const char *key, size_t len,
		       const yaml_mark_t *m)
{
	struct jt_member mem = { 0 };

	mem.key = xmalloc(len + 1);
	memcpy(mem.key, key, len);
	mem.key[len] = '\0';
	mem.key_len = len;
	mem.line = (unsigned)m->line + 1;
	mem.col = (unsigned)m->column + 1;
	VEC_PUSH(&obj->members, mem);
}

/* Attach a finished value to the open container (or make it the root). */
static void attach(struct reader *r, struct jt *v)
{
	struct frame *f;

	if (r->depth == 0) {
		r->root = v;
		return;
	}
	f = &r->stack[r->depth - 1];
	if (f->v->kind == JT_ARR) {
		jt_push(f->v, v);
	} else {
		f->v->members.v[f->v->members.n - 1].val = v;
		f->have_key = false;
	}
}

/* A duplicate key, reported where its second occurrence is. */
static int check_dups(struct reader *r, const struct jt *obj)
{
	_cleanup_free_ struct jt_member **idx = NULL;
	const struct jt_member *later;
	yaml_mark_t m = { 0 };
	size_t i;

	if (obj->members.n < 2)
		return 0;
	idx = sorted_members(obj);
	for (i = 1; i < obj->members.n; i++) {
		if (member_cmp(&idx[i - 1], &idx[i]) != 0)
			continue;
		later = idx[i]->line > idx[i - 1]->line ||
			(idx[i]->line == idx[i - 1]->line &&
			 idx[i]->col > idx[i - 1]->col) ? idx[i] : idx[i - 1];
		m.line = later->line - 1;
		m.column = later->col - 1;
		return rfail(r, &m, -EINVAL, "duplicate key \"%s\"",
			     later->key);
	}
	return 0;
}

static int on_scalar(struct reader *r, const yaml_event_t *e)
{
	const char *s = (const char *)e->data.scalar.value;
	size_t len = e->data.scalar.length;
	struct frame *f = r->depth ? &r->stack[r->depth - 1] : NULL;
	bool quoted = e->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	struct jt *v;

	if (!quoted && e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return rfail(r, &e->start_mark, -EINVAL,
			     "not JSON: strings need double quotes");
	if (f && f->v->kind == JT_OBJ && !f->have_key) {
		if (!quoted)
			return rfail(r, &e->start_mark, -EINVAL,
				     "not JSON: an object key must be a "
				     "double-quoted string");
		member_add(f->v, s, len, &e->start_mark);
		f->have_key = true;
		return 0;
	}
	if (quoted) {
		v = jt_strn(JT_STR, s, len);
	} else if (strlen(s) != len) {
		return rfail(r, &e->start_mark, -EINVAL, "not JSON: NUL byte");
	} else if (!strcmp(s, "true")) {
		v = jt_new(JT_TRUE);
	} else if (!strcmp(s, "false")) {
		v = jt_new(JT_FALSE);
	} else if (!strcmp(s, "null")) {
		v = jt_new(JT_NULL);
	} else if (is_json_number(s)) {
		v = jt_strn(JT_NUM, s, len);
	} else {
		return rfail(r, &e->start_mark, -EINVAL,
			     "not JSON: '%.40s' is no string, number, true, "
			     "false or null", s);
	}
	attach(r, v);
	return 0;
}

static int on_start(struct reader *r, const yaml_event_t *e, enum jt_kind k)
{
	struct frame *f = r->depth ? &r->stack[r->depth - 1] : NULL;
	bool flow = k == JT_OBJ ?
		e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE :
		e->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;

	if (!flow)
		return rfail(r, &e->start_mark, -EINVAL,
			     "not JSON: YAML block %s",
			     k == JT_OBJ ? "mapping" : "sequence");
	/* ["a": 1]: libyaml makes the pair a mapping of no width */
	if (k == JT_OBJ && e->start_mark.index == e->end_mark.index)
		return rfail(r, &e->start_mark, -EINVAL,
			     "not JSON: a key: value pair in a list");
	if (f && f->v->kind == JT_OBJ && !f->have_key)
		return rfail(r, &e->start_mark, -EINVAL,
			     "not JSON: an object key must be a "
			     "double-quoted string");
	if (r->depth == JT_MAX_DEPTH)
		return rfail(r, &e->start_mark, -E2BIG,
			     "nested deeper than %d levels", JT_MAX_DEPTH);
	r->stack[r->depth].v = jt_new(k);
	r->stack[r->depth].have_key = false;
	r->depth++;
	return 0;
}

static int on_end(struct reader *r)
{
	struct jt *v = r->stack[--r->depth].v;

	r->stack[r->depth].v = NULL;
	attach(r, v);
	return v->kind == JT_OBJ ? check_dups(r, v) : 0;
}

static int on_event(struct reader *r, const yaml_event_t *e, bool *done)
{
	switch (e->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_NO_EVENT:
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (r->root)
			return rfail(r, &e->start_mark, -EINVAL,
				     "not JSON: a second document");
		if (!e->data.document_start.implicit)
			return rfail(r, &e->start_mark, -EINVAL,
				     "not JSON: a YAML document marker");
		if (e->data.document_start.version_directive ||
		    e->data.document_start.tag_directives.start !=
		    e->data.document_start.tag_directives.end)
			return rfail(r, &e->start_mark, -EINVAL,
				     "not JSON: a YAML directive");
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		if (!e->data.document_end.implicit)
			return rfail(r, &e->start_mark, -EINVAL,
				     "not JSON: a YAML document marker");
		return 0;
	case YAML_STREAM_END_EVENT:
		*done = true;
		if (!r->root)
			return rfail(r, &e->start_mark, -EINVAL,
				     "no JSON value in the file");
		return 0;
	case YAML_ALIAS_EVENT:
		return rfail(r, &e->start_mark, -EINVAL,
			     "not JSON: a YAML alias");
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++r->nodes > JT_MAX_NODES)
			return rfail(r, &e->start_mark, -E2BIG,
				     "more than %u values", JT_MAX_NODES);
		/* Anchors and tags exist only in YAML. */
		if ((e->type == YAML_SCALAR_EVENT &&
		     (e->data.scalar.anchor || e->data.scalar.tag)) ||
		    (e->type == YAML_SEQUENCE_START_EVENT &&
		     (e->data.sequence_start.anchor ||
		      e->data.sequence_start.tag)) ||
		    (e->type == YAML_MAPPING_START_EVENT &&
		     (e->data.mapping_start.anchor ||
		      e->data.mapping_start.tag)))
			return rfail(r, &e->start_mark, -EINVAL,
				     "not JSON: a YAML anchor or tag");
		if (e->type == YAML_SCALAR_EVENT)
			return on_scalar(r, e);
		return on_start(r, e, e->type == YAML_MAPPING_START_EVENT ?
				JT_OBJ : JT_ARR);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(r);
	default:
		return rfail(r, &e->start_mark, -EINVAL, "unexpected input");
	}
}

/* The next byte after @i that is not JSON whitespace, or 0. */
static char next_token(const char *buf, size_t len, size_t i)
{
	for (i++; i < len; i++)
		if (!strchr(" \t\r\n", buf[i]))
			return buf[i];
	return 0;
}

/* What a byte outside a string that JSON has no use for means in YAML. */
static const char *stray(unsigned char c)
{
	switch (c) {
	case '&':
	case '!': return "not JSON: a YAML anchor or tag";
	case '*': return "not JSON: a YAML alias";
	case '%': return "not JSON: a YAML directive";
	case '?': return "not JSON: a YAML explicit key";
	case '#': return "not JSON: a comment";
	case '\'': return "not JSON: strings need double quotes";
	default: break;
	}
	if (c >= 0x80)
		return "not JSON: a non-ASCII character outside a string";
	if (c < 0x20 || c == 0x7f)
		return "not JSON: a control character";
	return NULL;
}

/* The length of the escape at @s (after its '\'), 0 when JSON has none. */
static size_t escape_len(const char *s, size_t n)
{
	size_t i;

	if (n && strchr("\"\\/bfnrt", s[0]) && s[0])
		return 1;
	if (n < 5 || s[0] != 'u')
		return 0;
	for (i = 1; i < 5; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 5;
}

/*
 * A character JSON takes as is and YAML as a line break (NEL, LS, PS),
 * at @s: libyaml folds it, with the spaces before it, so the string it
 * gives is not the text's.  The refusal, or NULL.
 */
static const char *yaml_break(const char *s, size_t n)
{
	if (n >= 2 && !memcmp(s, "\xc2\x85", 2))
		return "a raw NEL (U+0085) in a string, which YAML reads as a "
		       "line break: write \\u0085";
	if (n >= 3 && !memcmp(s, "\xe2\x80\xa8", 3))
		return "a raw LS (U+2028) in a string, which YAML reads as a "
		       "line break: write \\u2028";
	if (n >= 3 && !memcmp(s, "\xe2\x80\xa9", 3))
		return "a raw PS (U+2029) in a string, which YAML reads as a "
		       "line break: write \\u2029";
	return NULL;
}

/*
 * Before libyaml sees the text: libyaml mistakes some tabs for
 * indentation, where JSON allows them anywhere between tokens (runc spec
 * indents with tabs), so those become spaces, which keeps every column.
 * And what YAML's flow style accepts but JSON does not, where the events
 * cannot tell: comments, a comma before ']' or '}', a '?' key, YAML's
 * escapes ("\x41", "\e"), raw control characters inside a string, and
 * any other byte JSON has no use for outside a string (a BOM, NEL or
 * LS, which libyaml takes for space).  A raw NEL, LS or PS inside a
 * string is valid JSON that libyaml reads as a line break, folding it
 * and the spaces before it: refused rather than misread.  Letters pass, so that a bare
 * word gets the message of its kind from the events.
 */
static int prescan(struct reader *r, char *buf, size_t len)
{
	bool in_str = false;
	size_t i, k, line = 0, col = 0;
	yaml_mark_t m = { 0 };
	const char *why = NULL;
	char nx;

	/* RFC 8259 lets a reader skip a UTF-8 BOM before the text */
	i = len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
	for (; i < len && !why; i++) {
		unsigned char c = (unsigned char)buf[i];

		m.line = line;
		m.column = col;
		if (in_str) {
			if (c == '\\') {
				k = escape_len(buf + i + 1, len - i - 1);
				if (!k)
					why = "not JSON: an escape JSON does "
					      "not have";
				i += k;
				col += k;
			} else if (c == '"') {
				in_str = false;
			} else if (c < 0x20) {
				why = "not JSON: a raw control character in "
				      "a string";
			} else {
				why = yaml_break(buf + i, len - i);
			}
		} else if (c == '"') {
			in_str = true;
		} else if (c == '\t') {
			buf[i] = ' ';
		} else if (c == ',' && ((nx = next_token(buf, len, i)) == ']' ||
					nx == '}')) {
			why = "not JSON: a comma before the closing bracket";
		} else if (!isalnum(c) && !strchr(" \r\n[]{}:,-+.", c)) {
			why = stray(c);
			if (!why) {
				m.column = col;
				return rfail(r, &m, -EINVAL, "not JSON: '%c' "
					     "outside a string", c);
			}
		}
		if (c == '\n' || (c == '\r' && i + 1 < len &&
				  buf[i + 1] != '\n')) {
			line++;
			col = 0;
		} else if ((c & 0xc0) != 0x80) {
			col++;	/* libyaml counts characters */
		}
	}
	return why ? rfail(r, &m, -EINVAL, "%s", why) : 0;
}

int jt_parse(const struct src_file *src, struct jt **out, struct diag *d)
{
	struct reader r = { .d = d, .src = src };
	size_t len = src->len;
	/* A copy: prescan() edits it. */
	_cleanup_free_ char *copy = xmalloc(len + 1);
	yaml_event_t e;
	bool done = false;

	*out = NULL;
	memcpy(copy, src->buf, len);
	copy[len] = '\0';
	if (prescan(&r, copy, len) < 0)
		return r.rc;
	if (!yaml_parser_initialize(&r.parser))
		die_oom();
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)copy,
				     len);
	while (!done && r.rc == 0) {
		if (!yaml_parser_parse(&r.parser, &e)) {
			rfail(&r, &r.parser.problem_mark, -EINVAL, "%s%s%s",
			      r.parser.problem ? r.parser.problem :
			      "malformed input",
			      r.parser.context ? " " : "",
			      r.parser.context ? r.parser.context : "");
			break;
		}
		on_event(&r, &e, &done);
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&r.parser);
	while (r.depth > 0)
		jt_free(r.stack[--r.depth].v);
	if (r.rc < 0) {
		jt_free(r.root);
		return r.rc;
	}
	*out = r.root;
	return 0;
}

/* ---- merging ------------------------------------------------------------- */

struct jt *jt_merge(struct jt *dst, struct jt *src)
{
	_cleanup_free_ struct jt_member **idx = NULL;
	struct jt_members added = { 0 };
	size_t i, out;

	if (src->kind != JT_OBJ) {
		jt_free(dst);
		return src;
	}
	if (!dst || dst->kind != JT_OBJ) {
		/* RFC 7386: an object replacing a non-object loses its nulls
		 * the same way, by merging into an empty object. */
		jt_free(dst);
		dst = jt_new(JT_OBJ);
	}
	/* New keys wait in @added and removed ones are compacted at the end:
	 * @idx points into dst's storage. */
	idx = sorted_members(dst);
	for (i = 0; i < src->members.n; i++) {
		struct jt_member *m = &src->members.v[i], *key = m;
		struct jt_member **hit = NULL;

		if (dst->members.n)
			hit = bsearch(&key, idx, dst->members.n, sizeof(*idx),
				      member_cmp);
		if (m->val->kind == JT_NULL) {
			if (hit)
				jt_freep(&(*hit)->val);
			continue;
		}
		if (hit) {
			(*hit)->val = jt_merge((*hit)->val, m->val);
		} else {
			if (m->val->kind == JT_OBJ)
				m->val = jt_merge(NULL, m->val);
			VEC_PUSH(&added, *m);
			m->key = NULL;
		}
		m->val = NULL;
	}
	for (i = 0, out = 0; i < dst->members.n; i++) {
		if (!dst->members.v[i].val) {
			free(dst->members.v[i].key);
			continue;
		}
		dst->members.v[out++] = dst->members.v[i];
	}
	dst->members.n = out;
	for (i = 0; i < added.n; i++)
		VEC_PUSH(&dst->members, added.v[i]);
	VEC_FREE(&added);
	jt_free(src);
	return dst;
}

/* ---- writing ------------------------------------------------------------- */

static void indent(struct strbuf *sb, unsigned depth)
{
	unsigned i;

	for (i = 0; i < depth; i++)
		sb_puts(sb, "  ");
}

/* Short arrays of scalars stay on one line: ["CAP_CHOWN", "CAP_KILL"]. */
static bool flat_array(const struct jt *v)
{
	size_t i, width = 0;

	for (i = 0; i < v->items.n; i++) {
		if (v->items.v[i]->kind == JT_ARR ||
		    v->items.v[i]->kind == JT_OBJ)
			return false;
		width += (v->items.v[i]->s ? v->items.v[i]->len : 5) + 4;
	}
	return width <= 60;
}

/* Depth is bounded by JT_MAX_DEPTH for parsed trees and by the backend's
 * own shape for built ones. */
static void write_value(const struct jt *v, struct strbuf *out, unsigned d)
{
	size_t i;

	switch (v->kind) {
	case JT_NULL: sb_puts(out, "null"); break;
	case JT_FALSE: sb_puts(out, "false"); break;
	case JT_TRUE: sb_puts(out, "true"); break;
	case JT_NUM: sb_puts(out, v->s); break;
	case JT_STR: sb_json_str(out, v->s, v->len); break;
	case JT_ARR:
		if (!v->items.n) {
			sb_puts(out, "[]");
			break;
		}
		if (flat_array(v)) {
			sb_putc(out, '[');
			for (i = 0; i < v->items.n; i++) {
				if (i)
					sb_puts(out, ", ");
				write_value(v->items.v[i], out, d + 1);
			}
			sb_putc(out, ']');
			break;
		}
		sb_puts(out, "[\n");
		for (i = 0; i < v->items.n; i++) {
			indent(out, d + 1);
			write_value(v->items.v[i], out, d + 1);
			sb_puts(out, i + 1 < v->items.n ? ",\n" : "\n");
		}
		indent(out, d);
		sb_putc(out, ']');
		break;
	case JT_OBJ:
		if (!v->members.n) {
			sb_puts(out, "{}");
			break;
		}
		sb_puts(out, "{\n");
		for (i = 0; i < v->members.n; i++) {
			const struct jt_member *m = &v->members.v[i];

			indent(out, d + 1);
			sb_json_str(out, m->key, m->key_len);
			sb_puts(out, ": ");
			write_value(m->val, out, d + 1);
			sb_puts(out, i + 1 < v->members.n ? ",\n" : "\n");
		}
		indent(out, d);
		sb_putc(out, '}');
		break;
	default:
		break;
	}
}

void jt_write(const struct jt *v, struct strbuf *out)
{
	write_value(v, out, 0);
	sb_putc(out, '\n');
}
