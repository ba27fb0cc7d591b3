/* SPDX-License-Identifier: MIT */
/*
 * diag.h - source files, locations and GCC-style diagnostics.
 *
 * Every AST node carries a struct leash_loc: the file it came from and a
 * 1-based line/column range (last_column is exclusive).  diag_error()
 * prints
 *
 *   web.leash:12:11: error: unknown syscall 'sokcet' (did you mean 'socket'?)
 *      12 |     allow sokcet(domain) if domain == AF_UNIX;
 *         |           ^~~~~~
 *
 * counts the error and returns, so a pass can go on and report the next
 * problem too; callers stop between passes when diag_failed().
 */
#ifndef LEASH_DIAG_H
#define LEASH_DIAG_H

#include "common/util.h"
#include <stdarg.h>

struct src_file {
	char *path;		/* as opened (used to resolve relative includes) */
	char *name;		/* as shown in diagnostics */
	char *buf;		/* contents, NUL-terminated (may contain NULs) */
	size_t len;
	size_t *lines;		/* byte offset of each line start, lazily built */
	size_t n_lines;
	unsigned long long dev, ino;	/* identity, for "include twice" */
};

struct leash_loc {
	const struct src_file *file;
	int first_line, first_column;
	int last_line, last_column;
};

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

struct diag {
	FILE *out;		/* NULL: count only (the fuzzer) */
	unsigned n_errors, n_warnings;
	unsigned max_errors;	/* stop printing after this many (0: 20) */
	bool too_many;		/* "too many errors" already said */
	bool werror;		/* warnings count as errors */
	bool last_suppressed;	/* the previous error/warning was not shown:
				 * its notes are dropped too */
	uint64_t *seen;		/* hashes of printed diagnostics (dedupe) */
	size_t n_seen, cap_seen;
};

struct src_file *src_file_new(const char *path, const char *name, char *buf,
			      size_t len);
void src_file_free(struct src_file *f);
/* The text of line @line (1-based) without its newline. */
const char *src_line(const struct src_file *f, int line, size_t *len);

void diag_init(struct diag *d, FILE *out);
void diag_fini(struct diag *d);
void diag_error(struct diag *d, const struct leash_loc *loc, const char *fmt,
		...) LEASH_PRINTF(3, 4);
void diag_warning(struct diag *d, const struct leash_loc *loc,
		  const char *fmt, ...) LEASH_PRINTF(3, 4);
/* A note belongs to the error or warning printed just before it. */
void diag_note(struct diag *d, const struct leash_loc *loc, const char *fmt,
	       ...) LEASH_PRINTF(3, 4);
void diag_vreport(struct diag *d, enum diag_level lvl,
		  const struct leash_loc *loc, const char *fmt, va_list ap)
	LEASH_PRINTF(4, 0);
/* An error not tied to a place in a policy (a missing file, say). */
void diag_plain_error(struct diag *d, const char *fmt, ...) LEASH_PRINTF(2, 3);
/* "N errors generated." (clang's summary), when anything was reported. */
void diag_summary(struct diag *d);
static inline bool diag_failed(const struct diag *d)
{
	return d->n_errors > 0 || (d->werror && d->n_warnings > 0);
}

#endif
