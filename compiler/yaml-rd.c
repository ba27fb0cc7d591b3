/* SPDX-License-Identifier: MIT */
/*
 * yaml-rd.c - the shared core of the libyaml readers (yaml-rd.h).
 */
#include "yaml-rd.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

bool rd_fail(struct rd *r, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	if (r->rc == 0 && r->err) {
		if (n)
			sb_printf(r->err, "%zu:%zu: ", n->start_mark.line + 1,
				  n->start_mark.column + 1);
		va_start(ap, fmt);
		sb_vprintf(r->err, fmt, ap);
		va_end(ap);
	}
	r->rc = -EINVAL;
	return false;
}

int rd_load(const char *buf, size_t len, yaml_document_t *doc,
	    struct strbuf *err)
{
	yaml_parser_t parser;

	if (!yaml_parser_initialize(&parser))
		die_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, doc)) {
		if (err)
			sb_printf(err, "%zu:%zu: %s",
				  parser.problem_mark.line + 1,
				  parser.problem_mark.column + 1,
				  parser.problem ? parser.problem :
						   "cannot parse");
		yaml_parser_delete(&parser);
		return -EINVAL;
	}
	yaml_parser_delete(&parser);
	return 0;
}

const char *rd_key(struct rd *r, const yaml_node_pair_t *p)
{
	const yaml_node_t *k = rd_node(r, p->key);

	return k && k->type == YAML_SCALAR_NODE ? rd_scalar(k) : "";
}
