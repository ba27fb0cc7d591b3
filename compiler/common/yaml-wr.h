/* SPDX-License-Identifier: MIT */
/*
 * yaml-wr.h - JSON trees (jtree.h) written as YAML documents with
 * libyaml's emitter, for the Kubernetes objects of the k8s target.
 */
#ifndef LEASH_YAML_WR_H
#define LEASH_YAML_WR_H

#include "common/jtree.h"

/*
 * Write @docs[0 .. @n) to @out as one YAML stream, each document after
 * a "---" line, objects as block mappings in their key order, arrays as
 * block sequences.  A string is a plain scalar only where no YAML
 * reader could take it for anything else (a number, a boolean, null);
 * otherwise it is double-quoted, so every value reads back as the tree
 * says.  The same trees always give the same bytes.  Returns 0, or
 * -EILSEQ when a string is not valid UTF-8 or holds a NUL byte (YAML
 * can carry neither), with *@bad pointing at it.
 */
int yaml_wr_docs(const struct jt *const *docs, size_t n, struct strbuf *out,
		 const char **bad);

#endif
