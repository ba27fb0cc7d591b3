/* SPDX-License-Identifier: MIT */
/*
 * diag.c - source files and GCC-style diagnostics with a caret.
 *
 * Output is meant for people and for golden tests alike, so it is
 * deterministic: no colours, no terminal probing.  Hostile input must
 * not turn diagnostics into a denial of service, hence the error limit,
 * the cap on repeats of one warning, the window around the caret on very
 * long lines and the replacement of control bytes and broken UTF-8 in
 * echoed source lines.  Diagnostics cost time linear in the input
 * (docs/language.md section 9): line starts are found once per file,
 * every lookup is a hash, and each message goes out in one write, since
 * stderr is unbuffered and a byte at a time cost a system call each.
 */
#include "common/diag.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_ERRORS 20
/* A warning text past this many times says nothing new: a policy of
 * 100,000 shadowed copies of one rule gets ten, and a count. */
#define DEFAULT_MAX_SAME 10
#define SNIPPET_MAX 160		/* echo at most this many bytes of a line */
#define SNIPPET_LEAD 60		/* bytes shown before the caret when cut */

struct src_file *src_file_new(const char *path, const char *name, char *buf,
			      size_t len)
{
	struct src_file *f = xcalloc(1, sizeof(*f));
	size_t i, n = 1;

	f->path = xstrdup(path);
	f->name = xstrdup(name);
	f->buf = buf;
	f->len = len;
	for (i = 0; i < len; i++)
		n += buf[i] == '\n';
	f->lines = xmalloc(n * sizeof(*f->lines));
	f->lines[0] = 0;
	f->n_lines = 1;
	for (i = 0; i < len; i++)
		if (buf[i] == '\n')
			f->lines[f->n_lines++] = i + 1;
	return f;
}

struct src_file *src_file_copy(const char *name, const char *buf,
			       size_t len)
{
	char *copy = xmalloc(len + 1);

	memcpy(copy, buf, len);
	copy[len] = '\0';
	return src_file_new(name, name, copy, len);
}

void src_file_free(struct src_file *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->name);
	free(f->buf);
	free(f->lines);
	free(f);
}

const char *src_line(const struct src_file *f, int line, size_t *len)
{
	size_t start, end;

	if (!f || line < 1 || (size_t)line > f->n_lines)
		return NULL;
	start = f->lines[line - 1];
	end = (size_t)line < f->n_lines ? f->lines[line] - 1 : f->len;
	if (end > start && f->buf[end - 1] == '\r')
		end--;
	*len = end - start;
	return f->buf + start;
}

void diag_init(struct diag *d, FILE *out)
{
	memset(d, 0, sizeof(*d));
	d->out = out;
	d->prog = "leash";
	d->max_errors = DEFAULT_MAX_ERRORS;
	d->max_same = DEFAULT_MAX_SAME;
}

void diag_fini(struct diag *d)
{
	diag_flush_notes(d, false);
	VEC_FREE(&d->pending);
	free(d->seen);
	d->seen = NULL;
	d->n_seen = d->cap_seen = 0;
	free(d->same);
	d->same = NULL;
	d->n_same = d->cap_same = 0;
	free(d->first_error);
	d->first_error = NULL;
}

struct diag_scope diag_enter(struct diag *d, const char *policy,
			     const char *target, const struct leash_loc *loc)
{
	struct diag_scope old = d->scope;

	d->scope.policy = policy;
	d->scope.target = target;
	d->scope.loc = loc;
	return old;
}

void diag_leave(struct diag *d, struct diag_scope saved)
{
	d->scope = saved;
}

/* The scope's "policy 'P': T target: " and @msg, as one text: how
 * docs/language.md section 9 tells a target's problem from the policy's. */
static char *scoped(const struct diag *d, const char *msg)
{
	struct strbuf sb = { 0 };

	if (d->scope.policy)
		sb_printf(&sb, "policy '%s': ", d->scope.policy);
	if (d->scope.target)
		sb_printf(&sb, "%s target: ", d->scope.target);
	sb_puts(&sb, msg);
	return sb_steal(&sb);
}

/* FNV-1a over the text and place: enough to drop exact repeats, which
 * happen when one base policy is judged inside several derived ones. */
static uint64_t diag_hash(enum diag_level lvl, const struct leash_loc *loc,
			  const char *msg)
{
	uint64_t h = 1469598103934665603ull;
	const char *p;

	h = (h ^ (uint64_t)lvl) * 1099511628211ull;
	if (loc && loc->file)
		for (p = loc->file->name; *p; p++)
			h = (h ^ (uint8_t)*p) * 1099511628211ull;
	if (loc) {
		h = (h ^ (uint64_t)loc->first_line) * 1099511628211ull;
		h = (h ^ (uint64_t)loc->first_column) * 1099511628211ull;
	}
	for (p = msg; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	return h;
}

/*
 * How many times a warning with this text (wherever it points) was
 * reported, this one included: an open-addressing table keyed by
 * diag_hash() without a place.
 */
static unsigned count_same(struct diag *d, uint64_t h)
{
	size_t i;

	h |= 1;		/* 0 marks an empty slot */
	if (2 * (d->n_same + 1) > d->cap_same) {
		struct diag_count *old = d->same;
		size_t old_cap = d->cap_same, j;

		d->cap_same = old_cap ? old_cap * 2 : 64;
		d->same = xcalloc(d->cap_same, sizeof(*d->same));
		for (j = 0; j < old_cap; j++) {
			if (!old[j].key)
				continue;
			i = old[j].key & (d->cap_same - 1);
			while (d->same[i].key)
				i = (i + 1) & (d->cap_same - 1);
			d->same[i] = old[j];
		}
		free(old);
	}
	i = h & (d->cap_same - 1);
	while (d->same[i].key && d->same[i].key != h)
		i = (i + 1) & (d->cap_same - 1);
	if (!d->same[i].key) {
		d->same[i].key = h;
		d->n_same++;
	}
	return ++d->same[i].n;
}

/* An open-addressing set of hashes: a file with 100,000 errors must not
 * make every new diagnostic scan all the earlier ones. */
static bool seen_before(struct diag *d, uint64_t h)
{
	size_t i;

	h |= 1;		/* 0 marks an empty slot */
	if (2 * (d->n_seen + 1) > d->cap_seen) {
		uint64_t *old = d->seen;
		size_t old_cap = d->cap_seen, j;

		d->cap_seen = old_cap ? old_cap * 2 : 64;
		d->seen = xcalloc(d->cap_seen, sizeof(*d->seen));
		for (j = 0; j < old_cap; j++) {
			if (!old[j])
				continue;
			i = old[j] & (d->cap_seen - 1);
			while (d->seen[i])
				i = (i + 1) & (d->cap_seen - 1);
			d->seen[i] = old[j];
		}
		free(old);
	}
	i = h & (d->cap_seen - 1);
	while (d->seen[i]) {
		if (d->seen[i] == h)
			return true;
		i = (i + 1) & (d->cap_seen - 1);
	}
	d->seen[i] = h;
	d->n_seen++;
	return false;
}

/*
 * Echo the source line and a caret under the reported range:
 *    12 |     allow sokcet(domain) if domain == AF_UNIX;
 *       |           ^~~~~~
 * Tabs are copied into the caret line so the caret stays aligned.
 */
static void print_snippet(struct strbuf *out, const struct leash_loc *loc)
{
	const unsigned char *line;
	size_t len, start = 0, end, col, i, width;
	bool cut_left = false, cut_right = false, utf8;

	line = (const unsigned char *)src_line(loc->file, loc->first_line,
					       &len);
	if (!line || loc->first_column < 1)
		return;
	col = (size_t)loc->first_column - 1;
	if (col > len)
		col = len;
	end = len;
	if (len > SNIPPET_MAX) {
		if (col > SNIPPET_LEAD) {
			start = col - SNIPPET_LEAD;
			cut_left = true;
		}
		if (end - start > SNIPPET_MAX) {
			end = start + SNIPPET_MAX;
			cut_right = true;
		}
	}
	utf8 = utf8_valid(line + start, end - start, 0);
	sb_printf(out, "%5d | %s", loc->first_line, cut_left ? "..." : "");
	for (i = start; i < end; i++) {
		unsigned char c = line[i];

		if (c == '\t' || (c >= 0x20 && c != 0x7f && (c < 0x80 || utf8)))
			sb_putc(out, (char)c);
		else
			sb_putc(out, '?');
	}
	sb_printf(out, "%s\n", cut_right ? "..." : "");

	sb_printf(out, "%5s | %s", "", cut_left ? "   " : "");
	for (i = start; i < col && i < end; i++) {
		unsigned char c = line[i];

		if (c == '\t')
			sb_putc(out, '\t');
		else if (!utf8 || (c & 0xc0) != 0x80)
			sb_putc(out, ' ');
	}
	sb_putc(out, '^');
	width = 1;
	if (loc->last_line == loc->first_line &&
	    loc->last_column > loc->first_column)
		width = (size_t)(loc->last_column - loc->first_column);
	else if (loc->last_line > loc->first_line && len > col)
		width = len - col;
	for (i = 1; i < width && col + i < end; i++) {
		if (utf8 && (line[col + i] & 0xc0) == 0x80)
			continue;
		sb_putc(out, '~');
	}
	sb_putc(out, '\n');
}

/* Whether an error or warning is printed; counts it either way. */
static bool admit(struct diag *d, enum diag_level lvl,
		  const struct leash_loc *loc, const char *msg)
{
	bool shown;

	d->n_errors += lvl == DIAG_ERROR;
	d->n_warnings += lvl == DIAG_WARNING;
	shown = !seen_before(d, diag_hash(lvl, loc, msg));
	if (lvl == DIAG_ERROR && shown && d->n_errors > d->max_errors) {
		shown = false;
		if (!d->too_many && d->out)
			fprintf(d->out,
				"fatal: too many errors emitted, stopping now\n");
		d->too_many = true;
	}
	if (d->too_many && lvl == DIAG_WARNING)
		shown = false;
	if (shown && lvl == DIAG_WARNING &&
	    count_same(d, diag_hash(lvl, NULL, msg)) >
	    (d->max_same ? d->max_same : DEFAULT_MAX_SAME)) {
		shown = false;
		d->n_hidden++;
	}
	return shown;
}

/* Report @text (formatted, without the scope): the one path of every
 * level, and of a fidelity note under d->strict. */
static void report(struct diag *d, enum diag_level lvl,
		   const struct leash_loc *loc, const char *text)
{
	static const char *const names[] = { "note", "warning", "error" };
	_cleanup_free_ char *msg = NULL;
	struct strbuf sb = { 0 };
	bool shown;

	/* A note attached to an error or warning shares its scope. */
	if (lvl != DIAG_NOTE) {
		msg = scoped(d, text);
		text = msg;
		if (!loc)
			loc = d->scope.loc;
	}
	if (lvl == DIAG_ERROR && !d->first_error)
		d->first_error = loc && loc->first_line > 0 ?
			xasprintf("%d:%d: %s", loc->first_line,
				  loc->first_column, text) : xstrdup(text);
	if (lvl == DIAG_NOTE) {
		shown = !d->last_suppressed;
	} else {
		shown = admit(d, lvl, loc, text);
		d->last_suppressed = !shown;
	}
	if (!shown || !d->out)
		return;
	if (loc && loc->file && loc->first_line > 0)
		sb_printf(&sb, "%s:%d:%d: %s: %s\n", loc->file->name,
			  loc->first_line, loc->first_column, names[lvl], text);
	else if (loc && loc->file)
		sb_printf(&sb, "%s: %s: %s\n", loc->file->name, names[lvl],
			  text);
	else
		sb_printf(&sb, "%s: %s: %s\n", d->prog, names[lvl], text);
	if (loc && loc->file && loc->first_line > 0)
		print_snippet(&sb, loc);
	fwrite(sb.s, 1, sb.len, d->out);
	sb_free(&sb);
}

void diag_vreport(struct diag *d, enum diag_level lvl,
		  const struct leash_loc *loc, const char *fmt, va_list ap)
{
	_cleanup_free_ char *msg = xvasprintf(fmt, ap);

	report(d, lvl, loc, msg);
}

void diag_error(struct diag *d, const struct leash_loc *loc, const char *fmt,
		...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(d, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag *d, const struct leash_loc *loc,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(d, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

void diag_note(struct diag *d, const struct leash_loc *loc, const char *fmt,
	       ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(d, DIAG_NOTE, loc, fmt, ap);
	va_end(ap);
}

int diag_fail(struct diag *d, const struct leash_loc *loc, int rc,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(d, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
	return rc;
}

void diag_file_error(struct diag *d, const char *file, const char *fmt, ...)
{
	/* A file known by its name alone: no line to show. */
	struct src_file named = { .name = (char *)file };
	struct leash_loc loc = src_loc(&named, 0, 0);
	struct diag_scope saved = diag_enter(d, NULL, NULL, NULL);
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(d, DIAG_ERROR, &loc, fmt, ap);
	va_end(ap);
	diag_leave(d, saved);
}

void diag_plain_error(struct diag *d, const char *fmt, ...)
{
	struct diag_scope saved = diag_enter(d, NULL, NULL, NULL);
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(d, DIAG_ERROR, NULL, fmt, ap);
	va_end(ap);
	diag_leave(d, saved);
}

void diag_fidelity(struct diag *d, const struct leash_loc *loc,
		   const char *fmt, ...)
{
	struct diag_pending n = { 0 };
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (d->strict) {
		report(d, DIAG_ERROR, loc, msg);
		return;
	}
	if (!loc)
		loc = d->scope.loc;
	if (loc)
		n.loc = *loc;
	n.text = scoped(d, msg);
	n.seq = d->pending.n;
	VEC_PUSH(&d->pending, n);
}

static int cmp_pending(const void *a, const void *b)
{
	const struct diag_pending *x = a, *y = b;
	int c;

	if (!x->loc.file != !y->loc.file)
		return x->loc.file ? 1 : -1;	/* placeless ones first */
	if (x->loc.file && x->loc.file != y->loc.file &&
	    (c = strcmp(x->loc.file->name, y->loc.file->name)) != 0)
		return c;
	if (x->loc.first_line != y->loc.first_line)
		return x->loc.first_line < y->loc.first_line ? -1 : 1;
	if (x->loc.first_column != y->loc.first_column)
		return x->loc.first_column < y->loc.first_column ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool same_place(const struct leash_loc *a, const struct leash_loc *b)
{
	return a->file == b->file && a->first_line == b->first_line &&
	       a->first_column == b->first_column;
}

void diag_flush_notes(struct diag *d, bool print)
{
	struct diag_pending *v = d->pending.v;
	size_t n = d->pending.n, i;

	/* Dropping them must not look at their files: diag_fini() may run
	 * after the files are gone. */
	if (print && d->out && n > 1)
		qsort(v, n, sizeof(*v), cmp_pending);
	for (i = 0; print && d->out && i < n; i++) {
		const struct leash_loc *l = &v[i].loc;
		bool dup = false;
		size_t j;

		/* Equal places are adjacent now: a text seen there before
		 * (one base policy judged inside several) is said once. */
		for (j = i; !dup && j-- > 0 && same_place(&v[j].loc, l);)
			dup = !strcmp(v[j].text, v[i].text);
		if (dup)
			continue;
		if (l->file)
			fprintf(d->out, "%s:%d:%d: note: %s\n", l->file->name,
				l->first_line, l->first_column, v[i].text);
		else
			fprintf(d->out, "%s: note: %s\n", d->prog, v[i].text);
	}
	for (i = 0; i < n; i++)
		free(v[i].text);
	d->pending.n = 0;
}

void diag_summary(struct diag *d)
{
	unsigned w = d->n_warnings, e = d->n_errors;

	if (!d->out || (w == 0 && e == 0))
		return;
	if (d->n_hidden)
		fprintf(d->out, "%s: note: %u more warning%s not shown: each "
			"text is shown at most %u times\n", d->prog,
			d->n_hidden, d->n_hidden == 1 ? "" : "s",
			d->max_same ? d->max_same : DEFAULT_MAX_SAME);
	if (w && e)
		fprintf(d->out, "%u warning%s and %u error%s generated.\n", w,
			w == 1 ? "" : "s", e, e == 1 ? "" : "s");
	else if (w)
		fprintf(d->out, "%u warning%s generated.\n", w,
			w == 1 ? "" : "s");
	else
		fprintf(d->out, "%u error%s generated.\n", e,
			e == 1 ? "" : "s");
}
