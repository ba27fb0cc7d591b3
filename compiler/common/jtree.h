/* SPDX-License-Identifier: MIT */
/*
 * jtree.h - a small JSON value tree: built by the OCI backend, read from
 * files by 'leash oci-merge', merged, and written back as JSON.
 *
 * Reading goes through libyaml (JSON is YAML), but only JSON is
 * accepted: flow collections, double-quoted strings, JSON numbers,
 * true/false/null; no anchors, aliases or tags, no duplicate keys.
 * Input is bounded (JT_MAX_DEPTH, JT_MAX_NODES), so no file can make
 * leash recurse or allocate without limit.  Numbers keep their literal
 * text, so a merge never rounds one.
 */
#ifndef LEASH_JTREE_H
#define LEASH_JTREE_H

#include "common/diag.h"

#define JT_MAX_DEPTH 64
#define JT_MAX_NODES (1u << 20)

enum jt_kind { JT_NULL, JT_FALSE, JT_TRUE, JT_NUM, JT_STR, JT_ARR, JT_OBJ };

struct jt;

struct jt_member {
	char *key;		/* NUL-terminated; may hold NULs (key_len) */
	size_t key_len;
	struct jt *val;
	unsigned line, col;	/* where the key was read (0: built) */
};

struct jt {
	enum jt_kind kind;
	char *s;		/* JT_NUM literal, JT_STR bytes (+ NUL) */
	size_t len;
	VEC(jt_items, struct jt *) items;		/* JT_ARR */
	VEC(jt_members, struct jt_member) members;	/* JT_OBJ */
};

struct jt *jt_new(enum jt_kind kind);
struct jt *jt_str(const char *s);
struct jt *jt_u64(uint64_t v);
struct jt *jt_bool(bool v);
void jt_free(struct jt *v);
void jt_freep(struct jt **v);
#define _cleanup_jt_ _cleanup_(jt_freep)

/* Append @val (owned from now on) to array @arr. */
void jt_push(struct jt *arr, struct jt *val);
/* Set @key of object @obj to @val (owned), replacing an existing one. */
void jt_set(struct jt *obj, const char *key, struct jt *val);
/* The value of @key in @obj, or NULL. */
struct jt *jt_get(const struct jt *obj, const char *key);
/* Remove @key from @obj (nothing when absent). */
void jt_del(struct jt *obj, const char *key);

/*
 * Parse the JSON text of @src.  On error returns -EINVAL (-E2BIG past a
 * limit) after reporting where to @d.
 */
int jt_parse(const struct src_file *src, struct jt **out, struct diag *d);

/*
 * Merge @src into @dst (may be NULL), consuming both, as a JSON Merge
 * Patch (RFC 7386): objects merge key by key, recursively; a null in
 * @src removes the key; anything else (arrays included) is replaced by
 * @src's value.  Returns the merged value.
 */
struct jt *jt_merge(struct jt *dst, struct jt *src);

/* Write @v as indented JSON, with a final newline. */
void jt_write(const struct jt *v, struct strbuf *out);

#endif
