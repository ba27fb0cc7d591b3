/* SPDX-License-Identifier: MIT */
/*
 * yaml-wr.c - JSON trees as YAML through libyaml's emitter (yaml-wr.h).
 *
 * libyaml's emitter escapes what a double-quoted scalar needs and checks
 * UTF-8, but chooses plain style for any string it can write plainly,
 * without asking how a reader will resolve it: "true", "0x10" or "null"
 * would come back as a boolean, a number or nothing.  So the style is
 * decided here, from a whitelist: plain only for strings that start
 * with a letter, '_' or '/' and hold nothing but [A-Za-z0-9_./-], and
 * are none of YAML 1.1's boolean or null words.
 */
#include "common/yaml-wr.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

struct wr {
	yaml_emitter_t em;
	const char *bad;	/* the string libyaml refused */
	bool failed;
};

static int to_strbuf(void *data, unsigned char *buf, size_t size)
{
	sb_putn(data, (const char *)buf, size);
	return 1;
}

static bool plain_safe(const char *s, size_t len)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "true", "false", "on", "off", "null",
	};
	size_t i;

	if (!len || !(s[0] == '_' || s[0] == '/' ||
		      (s[0] >= 'a' && s[0] <= 'z') ||
		      (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '/' || c == '-'))
			return false;
	}
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcasecmp(s, words[i]))
			return false;
	return true;
}

static void emit(struct wr *w, yaml_event_t *e)
{
	if (w->failed) {
		yaml_event_delete(e);
		return;
	}
	/* Our own output handler never fails: only a bug or OOM gets
	 * here, and OOM aborts like every allocation in leash. */
	if (!yaml_emitter_emit(&w->em, e)) {
		if (w->em.error == YAML_MEMORY_ERROR)
			die_oom();
		w->failed = true;
	}
}

static void scalar(struct wr *w, const char *s, size_t len, bool is_str)
{
	yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;
	yaml_event_t e;

	if (w->failed)
		return;
	if (is_str && !plain_safe(s, len))
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	/* yaml_scalar_event_initialize() refuses text that is not UTF-8;
	 * a NUL byte would end the string for every reader. */
	if (memchr(s, '\0', len) ||
	    !yaml_scalar_event_initialize(&e, NULL, NULL,
					  (yaml_char_t *)s, (int)len, 1, 1,
					  style)) {
		w->bad = s;
		w->failed = true;
		return;
	}
	emit(w, &e);
}

static void node(struct wr *w, const struct jt *v)
{
	yaml_event_t e;
	size_t i;

	switch (v->kind) {
	case JT_NULL: scalar(w, "null", 4, false); break;
	case JT_FALSE: scalar(w, "false", 5, false); break;
	case JT_TRUE: scalar(w, "true", 4, false); break;
	case JT_NUM: scalar(w, v->s, v->len, false); break;
	case JT_STR: scalar(w, v->s, v->len, true); break;
	case JT_ARR:
		yaml_sequence_start_event_initialize(
			&e, NULL, NULL, 1,
			v->items.n ? YAML_BLOCK_SEQUENCE_STYLE :
				     YAML_FLOW_SEQUENCE_STYLE);
		emit(w, &e);
		for (i = 0; i < v->items.n; i++)
			node(w, v->items.v[i]);
		yaml_sequence_end_event_initialize(&e);
		emit(w, &e);
		break;
	case JT_OBJ:
		yaml_mapping_start_event_initialize(
			&e, NULL, NULL, 1,
			v->members.n ? YAML_BLOCK_MAPPING_STYLE :
				       YAML_FLOW_MAPPING_STYLE);
		emit(w, &e);
		for (i = 0; i < v->members.n; i++) {
			scalar(w, v->members.v[i].key,
			       v->members.v[i].key_len, true);
			node(w, v->members.v[i].val);
		}
		yaml_mapping_end_event_initialize(&e);
		emit(w, &e);
		break;
	default:
		w->failed = true;
		break;
	}
}

int yaml_wr_docs(const struct jt *const *docs, size_t n, struct strbuf *out,
		 const char **bad)
{
	struct wr w = { .bad = NULL };
	struct strbuf text = { 0 };
	yaml_event_t e;
	size_t i;

	*bad = NULL;
	if (!yaml_emitter_initialize(&w.em))
		die_oom();
	yaml_emitter_set_output(&w.em, to_strbuf, &text);
	yaml_emitter_set_unicode(&w.em, 1);
	yaml_emitter_set_indent(&w.em, 2);
	yaml_emitter_set_width(&w.em, -1);	/* no folding: stable lines */
	yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
	emit(&w, &e);
	for (i = 0; i < n; i++) {
		yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 0);
		emit(&w, &e);
		node(&w, docs[i]);
		yaml_document_end_event_initialize(&e, 1);
		emit(&w, &e);
	}
	yaml_stream_end_event_initialize(&e);
	emit(&w, &e);
	yaml_emitter_delete(&w.em);
	if (w.failed) {
		*bad = w.bad;
		sb_free(&text);
		return -EILSEQ;
	}
	sb_putn(out, text.s ? text.s : "", text.len);
	sb_free(&text);
	return 0;
}
