/* SPDX-License-Identifier: MIT */
/*
 * yaml-rd.c - the shared core of the libyaml readers (yaml-rd.h).
 *
 * rd_load() builds the document from libyaml's event stream instead of
 * calling yaml_parser_load(), whose costs a hostile file controls:
 * anchors are registered with a linear search each (quadratic in their
 * number), an alias shares its node, so a few kilobytes of aliases make
 * a reader walk millions of nodes or, inside its own anchor, a cycle;
 * and the loader stops after the first document, so whatever follows it
 * is never read, not even checked.  The scanner's lookahead costs the
 * flow nesting depth per token: 100,000 unclosed '[' took 30 s.
 */
#include "common/yaml-rd.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>

/* A libyaml mark (0-based) as a place in @src. */
static struct leash_loc mark_loc(const struct src_file *src,
				 const yaml_mark_t *m)
{
	return src_loc(src, (int)m->line + 1, (int)m->column + 1);
}

/*
 * Only the first error of a document is reported: after it the reader's
 * view of the document is no longer what its author wrote.
 */
bool rd_fail(struct rd *r, const yaml_node_t *n, const char *fmt, ...)
{
	struct leash_loc loc = n ? mark_loc(r->src, &n->start_mark) :
				   src_loc(r->src, 0, 0);
	va_list ap;

	if (r->rc == 0) {
		va_start(ap, fmt);
		diag_vreport(r->d, DIAG_ERROR, &loc, fmt, ap);
		va_end(ap);
	}
	r->rc = -EINVAL;
	return false;
}

struct loader {
	yaml_parser_t parser;
	yaml_document_t *doc;
	struct diag *d;
	const struct src_file *src;
	int stack[RD_MAX_DEPTH];	/* the open collections' node ids */
	int key[RD_MAX_DEPTH];		/* a mapping's pending key, or 0 */
	size_t depth;
	bool have_doc, done;
	const char *kind;	/* rd_load_kind(): the document wanted */
	unsigned n_docs;
	yaml_mark_t second;	/* where the second document starts */
	bool found;
	int rc;
};

static int lfail(struct loader *l, const yaml_mark_t *m, const char *fmt,
		 ...) LEASH_PRINTF(3, 4);
static int lfail(struct loader *l, const yaml_mark_t *m, const char *fmt,
		 ...)
{
	struct leash_loc loc = mark_loc(l->src, m);
	va_list ap;

	if (l->rc == 0) {
		va_start(ap, fmt);
		diag_vreport(l->d, DIAG_ERROR, &loc, fmt, ap);
		va_end(ap);
	}
	l->rc = -EINVAL;
	return l->rc;
}

/*
 * libyaml processes a document's directives with a linear search each,
 * before any event shows them: count the lines that could be one first.
 * JSON has none, and a YAML file needs at most a few.
 */
static int count_directives(struct loader *l, const char *buf, size_t len)
{
	yaml_mark_t m = { 0 };
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		/* After a line break of any kind (NEL, LS, PS end in 0x85,
		 * 0xa8, 0xa9; UTF-16 puts a 0 next to each character, and
		 * strchr() finds the 0 too) or a BOM: counting too many
		 * only matters past the limit. */
		unsigned char prev = i ? (unsigned char)buf[i - 1] : '\n';

		if (buf[i] == '\n')
			m.line++;
		if (buf[i] != '%' || !strchr("\n\r\x85\xa8\xa9\xbf", prev))
			continue;
		if (++n > RD_MAX_DIRECTIVES)
			return lfail(l, &m, "more than %d YAML directives",
				     RD_MAX_DIRECTIVES);
	}
	return 0;
}

/* Add a finished node to the open collection. */
static int attach(struct loader *l, int id, const yaml_mark_t *m)
{
	int parent, ok;
	yaml_node_t *p;

	if (l->depth == 0)
		return 0;	/* the root: the document's first node */
	parent = l->stack[l->depth - 1];
	p = yaml_document_get_node(l->doc, parent);
	if (p->type == YAML_SEQUENCE_NODE) {
		ok = yaml_document_append_sequence_item(l->doc, parent, id);
	} else if (!l->key[l->depth - 1]) {
		l->key[l->depth - 1] = id;
		return 0;
	} else {
		ok = yaml_document_append_mapping_pair(
			l->doc, parent, l->key[l->depth - 1], id);
		l->key[l->depth - 1] = 0;
	}
	return ok ? 0 : lfail(l, m, "cannot build the document");
}

/* A new node's location: the document API leaves it zero. */
static int placed(struct loader *l, int id, const yaml_event_t *e)
{
	yaml_node_t *n;

	if (!id)
		return lfail(l, &e->start_mark, "cannot build the document");
	n = yaml_document_get_node(l->doc, id);
	n->start_mark = e->start_mark;
	n->end_mark = e->end_mark;
	return id;
}

static int on_event(struct loader *l, const yaml_event_t *e)
{
	int id;

	switch (e->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (l->have_doc && !l->kind)
			return lfail(l, &e->start_mark,
				     "a second YAML document");
		if (l->have_doc) {	/* not the kind wanted: the next */
			yaml_document_delete(l->doc);
			l->have_doc = false;
		}
		if (++l->n_docs == 2)
			l->second = e->start_mark;
		if (l->n_docs > RD_MAX_DOCS)
			return lfail(l, &e->start_mark,
				     "more than %d YAML documents",
				     RD_MAX_DOCS);
		if (!yaml_document_initialize(l->doc, NULL, NULL, NULL,
					      e->data.document_start.implicit,
					      1))
			die_oom();
		l->have_doc = true;
		return 0;
	case YAML_STREAM_END_EVENT:
		l->done = true;
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		if (l->kind && rd_doc_kind_is(l->doc, l->kind))
			l->found = l->done = true;
		return 0;
	case YAML_ALIAS_EVENT:
		return lfail(l, &e->start_mark, "a YAML alias: not read "
			     "(JSON has none)");
	case YAML_SCALAR_EVENT:
		if (e->data.scalar.length > INT_MAX)
			return lfail(l, &e->start_mark, "a string of 2 GiB");
		id = placed(l, yaml_document_add_scalar(
				       l->doc, e->data.scalar.tag,
				       e->data.scalar.value,
				       (int)e->data.scalar.length,
				       e->data.scalar.style), e);
		return id < 0 ? id : attach(l, id, &e->start_mark);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (l->depth == RD_MAX_DEPTH)
			return lfail(l, &e->start_mark,
				     "nested deeper than %d levels",
				     RD_MAX_DEPTH);
		if (e->type == YAML_SEQUENCE_START_EVENT)
			id = yaml_document_add_sequence(
				l->doc, e->data.sequence_start.tag,
				e->data.sequence_start.style);
		else
			id = yaml_document_add_mapping(
				l->doc, e->data.mapping_start.tag,
				e->data.mapping_start.style);
		id = placed(l, id, e);
		if (id < 0 || attach(l, id, &e->start_mark) < 0)
			return l->rc;
		l->key[l->depth] = 0;
		l->stack[l->depth++] = id;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		l->depth--;
		yaml_document_get_node(l->doc, l->stack[l->depth])->end_mark =
			e->end_mark;
		return 0;
	default:
		return 0;
	}
}

bool rd_doc_kind_is(yaml_document_t *doc, const char *kind)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	yaml_node_pair_t *p;

	if (!root || root->type != YAML_MAPPING_NODE)
		return false;
	for (p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);

		/* The API server's keys and kinds are case-sensitive. */
		if (k && k->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)k->data.scalar.value, "kind"))
			return v && v->type == YAML_SCALAR_NODE &&
			       !strcmp((const char *)v->data.scalar.value,
				       kind);
	}
	return false;
}

static int load(const struct src_file *src, yaml_document_t *doc,
		struct diag *d, const char *kind)
{
	struct loader l = { .doc = doc, .d = d, .src = src, .kind = kind };
	const char *buf = src->buf;
	size_t len = src->len;
	yaml_event_t e;

	memset(doc, 0, sizeof(*doc));
	if (count_directives(&l, buf, len) < 0)
		return l.rc;
	if (!yaml_parser_initialize(&l.parser))
		die_oom();
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)buf,
				     len);
	while (!l.done && l.rc == 0) {
		if (!yaml_parser_parse(&l.parser, &e)) {
			if (l.parser.error == YAML_MEMORY_ERROR)
				die_oom();
			lfail(&l, &l.parser.problem_mark, "%s",
			      l.parser.problem ? l.parser.problem :
						 "cannot parse");
			break;
		}
		on_event(&l, &e);
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&l.parser);
	if (l.rc < 0) {
		if (l.have_doc)
			yaml_document_delete(doc);
		memset(doc, 0, sizeof(*doc));
		return l.rc;
	}
	if (kind && !l.found && l.n_docs > 1) {
		if (l.have_doc)
			yaml_document_delete(doc);
		memset(doc, 0, sizeof(*doc));
		return lfail(&l, &l.second,
			     "a second YAML document, and no %s among the "
			     "%u", kind, l.n_docs);
	}
	/* Every reader needs a root: an empty stream is an error here. */
	if (!l.have_doc || !yaml_document_get_root_node(doc)) {
		if (l.have_doc)
			yaml_document_delete(doc);
		memset(doc, 0, sizeof(*doc));
		return lfail(&l, &(yaml_mark_t){ 0 }, "an empty document");
	}
	return 0;
}

int rd_load(const struct src_file *src, yaml_document_t *doc,
	    struct diag *d)
{
	return load(src, doc, d, NULL);
}

int rd_load_kind(const struct src_file *src, yaml_document_t *doc,
		 struct diag *d, const char *kind)
{
	return load(src, doc, d, kind);
}

const char *rd_key(struct rd *r, const yaml_node_pair_t *p)
{
	const yaml_node_t *k = rd_node(r, p->key);

	return k && k->type == YAML_SCALAR_NODE ? rd_scalar(k) : "";
}

bool rd_key_eq(const yaml_node_t *k, const char *name)
{
	const unsigned char *s;

	if (!k || k->type != YAML_SCALAR_NODE)
		return false;
	s = (const unsigned char *)k->data.scalar.value;
	if (strlen((const char *)s) != k->data.scalar.length)
		return false;	/* Go compares the NUL too */
	for (; *name; name++) {
		int c = tolower((unsigned char)*name);

		if (c == 'k' && s[0] == 0xe2 && s[1] == 0x84 && s[2] == 0xaa)
			s += 3;
		else if (c == 's' && s[0] == 0xc5 && s[1] == 0xbf)
			s += 2;
		else if (tolower(*s) == c)
			s++;
		else
			return false;
	}
	return !*s;
}

bool rd_key_is(struct rd *r, const yaml_node_pair_t *p, const char *name)
{
	return rd_key_eq(rd_node(r, p->key), name);
}
