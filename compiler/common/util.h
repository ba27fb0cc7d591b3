/* SPDX-License-Identifier: MIT */
/*
 * util.h - small helpers shared by every part of the compiler: cleanup
 * attributes, allocation that aborts on OOM, growable vectors.
 *
 * leash is a one-shot command line tool: when memory runs out there is
 * nothing sensible to recover, so the x*() allocators print and abort
 * (bubblewrap's die_oom(), crun's OOM()) instead of threading ENOMEM
 * through every pass.
 */
#ifndef LEASH_UTIL_H
#define LEASH_UTIL_H

/* vasprintf(), strndup(): every .c includes its own header, and so this
 * one, before any system header. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_close_ _cleanup_(closep)
#define TAKE_PTR(p) ({ __typeof__(p) take_ptr_ = (p); (p) = NULL; take_ptr_; })
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define LEASH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define LEASH_NORETURN __attribute__((noreturn))

void freep(void *p);
void fclosep(FILE **f);
void closep(int *fd);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) LEASH_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) LEASH_PRINTF(1, 0);
LEASH_NORETURN void die_oom(void);

/*
 * Growable vector: any struct with members 'v' (element pointer), 'n' and
 * 'cap' works with VEC_PUSH.  Declare one with VEC(name, type).
 */
#define VEC(name, type)                                                        \
	struct name {                                                          \
		type *v;                                                       \
		size_t n, cap;                                                 \
	}
void vec_grow(void **v, size_t *cap, size_t elem);
#define VEC_PUSH(vp, x)                                                        \
	do {                                                                   \
		if ((vp)->n == (vp)->cap)                                      \
			vec_grow((void **)&(vp)->v, &(vp)->cap,                \
				 sizeof(*(vp)->v));                            \
		(vp)->v[(vp)->n++] = (x);                                      \
	} while (0)
#define VEC_FREE(vp)                                                           \
	do {                                                                   \
		free((vp)->v);                                                 \
		(vp)->v = NULL;                                                \
		(vp)->n = (vp)->cap = 0;                                       \
	} while (0)

/* Sort the @n values of @v and drop the repeats; returns how many are
 * left.  For a vector of uint64_t: v->n = u64_sort_uniq(v->v, v->n). */
size_t u64_sort_uniq(uint64_t *v, size_t n);

/* Growable string buffer used by emitters and diagnostics. */
struct strbuf {
	char *s;
	size_t len, cap;
};
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...) LEASH_PRINTF(2, 3);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
	LEASH_PRINTF(2, 0);
/*
 * Keep the first error only: write "@prefix@fmt..." into @err unless it
 * already holds a message (or is NULL).  Backends report the root cause,
 * not the cascade behind it.
 */
void sb_first_error(struct strbuf *err, const char *prefix, const char *fmt,
		    va_list ap) LEASH_PRINTF(3, 0);
char *sb_steal(struct strbuf *sb);
/*
 * @len bytes of @s as a quoted JSON string: '"', '\\', \n, \t and \r
 * escaped by name, other control characters and DEL as \u00XX, and as
 * \uXXXX what libyaml, which reads leash's JSON back, would not read as
 * written: the C1 controls (refused; NEL is a line break), LS and PS
 * (line breaks), U+FEFF (a BOM), U+FFFE and U+FFFF (refused).
 */
void sb_json_str(struct strbuf *sb, const char *s, size_t len);
void sb_free(struct strbuf *sb);

/*
 * Edit distance (Damerau: adjacent swaps count once) used for every
 * "did you mean" suggestion.  Returns SIZE_MAX when it exceeds @max, so a
 * lookup over hundreds of names stays cheap.
 */
size_t edit_distance(const char *a, const char *b, size_t max);

/* utf8_valid() flags. */
#define UTF8_NO_NUL (1u << 0)	/* a NUL byte is invalid */
#define UTF8_STRICT (1u << 1)	/* so are overlongs and surrogates */
#define UTF8_CUT_OK (1u << 2)	/* a character cut by the end is not */
/* Whether @s[0..@n) is UTF-8 as @flags say (0: lead and continuation
 * bytes only, as the caret of a diagnostic needs). */
bool utf8_valid(const unsigned char *s, size_t n, unsigned flags);

/* FNV-1a: the hash of every string-keyed table in the compiler. */
uint64_t str_hash(const char *s);

/* Read a whole file into memory; returns 0 or -errno. */
int read_file(const char *path, char **buf, size_t *len, size_t limit);

#endif
