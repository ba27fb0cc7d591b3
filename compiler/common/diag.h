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
 *
 * This is the one channel every stage, target, reader and command reports
 * through.  A message has a level, an optional location, the policy and
 * the target it concerns (struct diag_scope, set by whoever runs a
 * target or a reader, so that nobody writes prefixes into texts or
 * parses them back out), and the text.  Fidelity notes, which say what a
 * target cannot enforce, are not printed at once: they are kept, and
 * diag_flush_notes() prints them deduplicated and ordered by location.
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
	size_t *lines;		/* byte offset of each line start, built once
				 * by src_file_new(): a snippet costs O(1) */
	size_t n_lines;
	unsigned long long dev, ino;	/* identity, for "include twice" */
};

struct leash_loc {
	const struct src_file *file;
	int first_line, first_column;
	int last_line, last_column;
};

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/*
 * What a message is about when it is not one token of a policy: the
 * policy and the target concerned, printed before the text ("policy
 * 'web': json target: ..."), and where a message reported without a
 * location points (the policy's name, a profile's file).  Each field may
 * be NULL.
 */
struct diag_scope {
	const char *policy;
	const char *target;
	const struct leash_loc *loc;
};

/* How often one warning's text was reported (diag.c counts them). */
struct diag_count {
	uint64_t key;		/* 0: an empty slot */
	unsigned n;
};

/* A fidelity note waiting for diag_flush_notes(). */
struct diag_pending {
	struct leash_loc loc;	/* file NULL: none */
	char *text;		/* the scope's prefix included */
	size_t seq;		/* arrival: equal places keep this order */
};
VEC(diag_pending_vec, struct diag_pending);

struct diag {
	FILE *out;		/* NULL: count only (the fuzzer) */
	unsigned n_errors, n_warnings;
	unsigned max_errors;	/* stop printing after this many (0: 20) */
	bool too_many;		/* "too many errors" already said */
	bool werror;		/* warnings count as errors */
	bool strict;		/* diag_fidelity() reports an error at once
				 * (--strict): see there */
	unsigned max_same;	/* print one warning text at most this many
				 * times (0: 10); the rest only count */
	unsigned n_hidden;	/* warnings not printed for max_same */
	bool last_suppressed;	/* the previous error/warning was not shown:
				 * its notes are dropped too */
	uint64_t *seen;		/* hashes of printed diagnostics (dedupe) */
	size_t n_seen, cap_seen;
	struct diag_count *same;	/* warnings per text, for max_same */
	size_t n_same, cap_same;
	const char *prog;	/* who speaks when there is no file: "leash",
				 * "leash oci-merge" */
	struct diag_scope scope;	/* diag_enter() */
	struct diag_pending_vec pending;	/* diag_fidelity() */
	char *first_error;	/* "[LINE:COL: ]TEXT", scope included */
};

struct src_file *src_file_new(const char *path, const char *name, char *buf,
			      size_t len);
/* A copy of @len bytes at @buf, known as @name (a profile built in memory,
 * a reader's input in a test). */
struct src_file *src_file_copy(const char *name, const char *buf,
			       size_t len);
void src_file_free(struct src_file *f);
/* One character at 1-based @line and @col of @f; @line 0: the file only. */
static inline struct leash_loc src_loc(const struct src_file *f, int line,
				       int col)
{
	struct leash_loc l = { f, line, col > 0 ? col : 1, line,
			       (col > 0 ? col : 1) + 1 };

	return l;
}
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
/* An error, then @rc: for the many stages that report and give up in
 * one statement ("return diag_fail(d, loc, -EINVAL, ...);"). */
int diag_fail(struct diag *d, const struct leash_loc *loc, int rc,
	      const char *fmt, ...) LEASH_PRINTF(4, 5);
/* "FILE: error: ...": about a whole file known by its name (one that
 * cannot be read, say); not tied to the scope. */
void diag_file_error(struct diag *d, const char *file, const char *fmt, ...)
	LEASH_PRINTF(3, 4);
/* An error not tied to a place in a policy nor to the scope (a missing
 * file, say). */
void diag_plain_error(struct diag *d, const char *fmt, ...) LEASH_PRINTF(2, 3);
/*
 * Report what follows as concerning @policy and @target (either NULL),
 * pointing at @loc when a message has no location of its own.  Returns
 * the scope it replaces, for diag_leave().
 */
struct diag_scope diag_enter(struct diag *d, const char *policy,
			     const char *target, const struct leash_loc *loc);
void diag_leave(struct diag *d, struct diag_scope saved);
/*
 * A fidelity note: what a target, reader or importer cannot carry over
 * as the input says, so that nobody believes in a protection that is not
 * there.  Kept until diag_flush_notes(); @loc NULL: the scope's place.
 * With d->strict it is an error instead, reported at once with the same
 * text and counted: whoever asks for strict gets the confinement as
 * written, or nothing (docs/language.md section 9).
 */
void diag_fidelity(struct diag *d, const struct leash_loc *loc,
		   const char *fmt, ...) LEASH_PRINTF(3, 4);
/*
 * Print the kept fidelity notes (when @print and d->out), one line each
 * without a snippet (a policy can collect dozens on one line, and they
 * inform rather than point at a mistake), ordered by file, line and
 * column, each text once per place; then forget them.
 */
void diag_flush_notes(struct diag *d, bool print);
/* The first error reported, "[LINE:COL: ]TEXT", or NULL: for callers
 * that run a stage with a diag that prints nothing and then say what
 * failed in words of their own ("runc would refuse this profile: ..."). */
static inline const char *diag_first_error(const struct diag *d)
{
	return d->first_error;
}
/* "N errors generated." (clang's summary), when anything was reported;
 * before it, how many repeated warnings max_same kept back. */
void diag_summary(struct diag *d);
static inline bool diag_failed(const struct diag *d)
{
	return d->n_errors > 0 || (d->werror && d->n_warnings > 0);
}

#endif
