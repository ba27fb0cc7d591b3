/* SPDX-License-Identifier: MIT */
/*
 * yaml-rd.h - what the two libyaml readers (scmp-json.c: seccomp
 * profiles; oci-read.c: OCI configs and docker inspect) share: loading
 * one document, the first located error, and node access.
 */
#ifndef LEASH_YAML_RD_H
#define LEASH_YAML_RD_H

#include "common/diag.h"

#include <yaml.h>

struct rd {
	yaml_document_t *doc;
	struct diag *d;		/* where errors go */
	const struct src_file *src;	/* the text read, for locations */
	int rc;			/* -EINVAL after the first error */
};

/* Report an error at @n (NULL: the file), the document's first only;
 * false. */
bool rd_fail(struct rd *r, const yaml_node_t *n, const char *fmt, ...)
	LEASH_PRINTF(3, 4);

/* What rd_load() refuses beyond: no reader here needs more, and past
 * them libyaml's own costs grow with the square of the input. */
#define RD_MAX_DEPTH 64
#define RD_MAX_DIRECTIVES 64

/*
 * Load the one document of @src; it has a root node.  0, or -EINVAL
 * after a located error to @d.  An empty input, aliases, a second
 * document, nesting deeper than RD_MAX_DEPTH and more than
 * RD_MAX_DIRECTIVES lines starting with '%' are refused: each node of
 * the document is read once, so the readers' work is linear in the size
 * of @src.
 */
int rd_load(const struct src_file *src, yaml_document_t *doc,
	    struct diag *d);

/*
 * rd_load() of a stream that may hold several documents (a Kubernetes
 * manifest): the first whose root is a mapping with "kind: @kind" is
 * loaded (documents after it are not read); a stream of one document is
 * loaded whatever it is; several without one of @kind are an error.  At
 * most RD_MAX_DOCS documents.
 */
#define RD_MAX_DOCS 1024
int rd_load_kind(const struct src_file *src, yaml_document_t *doc,
		 struct diag *d, const char *kind);
/* Whether the root of @doc is a mapping whose "kind" is @kind. */
bool rd_doc_kind_is(yaml_document_t *doc, const char *kind);

/* A mapping pair's key, "" when it is not a scalar. */
const char *rd_key(struct rd *r, const yaml_node_pair_t *p);

static inline yaml_node_t *rd_node(struct rd *r, int id)
{
	return yaml_document_get_node(r->doc, id);
}

static inline const char *rd_scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A plain "null" or empty scalar: JSON's null as libyaml reads it. */
static inline bool rd_is_null(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!strcmp(rd_scalar(n), "null") || !*rd_scalar(n));
}

/*
 * Whether the scalar key @k names field @name as Go's encoding/json
 * matches it (runc, dockerd): case-insensitively, by Unicode simple
 * folding, so the Kelvin sign (U+212A) is a 'k' and the long s (U+017F)
 * an 's'; a key holding a NUL byte names nothing.
 */
bool rd_key_eq(const yaml_node_t *k, const char *name);
/* rd_key_eq() for the key of pair @p. */
bool rd_key_is(struct rd *r, const yaml_node_pair_t *p, const char *name);

#endif
