/* SPDX-License-Identifier: MIT */
/*
 * util.c - allocation, vectors, string buffers, edit distance, file
 * reading.  See util.h for why allocation failures abort.
 */
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void freep(void *p)
{
	free(*(void **)p);
}

void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

void die_oom(void)
{
	fputs("leash: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die_oom();
	return d;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		die_oom();
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		die_oom();
	return s;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t u64_sort_uniq(uint64_t *v, size_t n)
{
	size_t i, o = 0;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < n; i++)
		if (!o || v[o - 1] != v[i])
			v[o++] = v[i];
	return o;
}

void vec_grow(void **v, size_t *cap, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 8;

	if (ncap < *cap || ncap > SIZE_MAX / elem)
		die_oom();
	*v = xrealloc(*v, ncap * elem);
	*cap = ncap;
}

static void sb_reserve(struct strbuf *sb, size_t more)
{
	size_t need = sb->len + more + 1;

	if (need < sb->len)
		die_oom();
	if (need <= sb->cap)
		return;
	while (sb->cap < need)
		sb->cap = sb->cap ? sb->cap * 2 : 64;
	sb->s = xrealloc(sb->s, sb->cap);
}

void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
	sb_reserve(sb, n);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void sb_putc(struct strbuf *sb, char c)
{
	sb_putn(sb, &c, 1);
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_putn(sb, s, strlen(s));
}

void sb_json_str(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	sb_putc(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = u[i];

		if (c == 0xc2 && i + 1 < len && u[i + 1] >= 0x80 &&
		    u[i + 1] <= 0x9f) {
			sb_printf(out, "\\u%04x", u[++i]);
			continue;
		}
		if (i + 2 < len &&
		    ((c == 0xe2 && u[i + 1] == 0x80 &&
		      (u[i + 2] == 0xa8 || u[i + 2] == 0xa9)) ||
		     (c == 0xef && u[i + 1] == 0xbb && u[i + 2] == 0xbf) ||
		     (c == 0xef && u[i + 1] == 0xbf && u[i + 2] >= 0xbe))) {
			sb_printf(out, "\\u%04x", (c & 0x0fu) << 12 |
				  (u[i + 1] & 0x3fu) << 6 | (u[i + 2] & 0x3fu));
			i += 2;
			continue;
		}
		switch (c) {
		case '"': sb_puts(out, "\\\""); break;
		case '\\': sb_puts(out, "\\\\"); break;
		case '\n': sb_puts(out, "\\n"); break;
		case '\t': sb_puts(out, "\\t"); break;
		case '\r': sb_puts(out, "\\r"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				sb_printf(out, "\\u%04x", c);
			else
				sb_putc(out, (char)c);
		}
	}
	sb_putc(out, '"');
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		die_oom();
	sb_reserve(sb, (size_t)n);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

void sb_first_error(struct strbuf *err, const char *prefix, const char *fmt,
		    va_list ap)
{
	if (!err || err->len)
		return;
	sb_puts(err, prefix);
	sb_vprintf(err, fmt, ap);
}

uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 1099511628211ull;
	return h;
}

char *sb_steal(struct strbuf *sb)
{
	char *s = sb->s ? sb->s : xstrdup("");

	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void sb_free(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

/*
 * Optimal string alignment distance over two rows plus the one before
 * (for transpositions).  Names are short (syscalls are under 32 bytes),
 * so fixed rows suffice; longer input is simply "too far".
 */
size_t edit_distance(const char *a, const char *b, size_t max)
{
	enum { N = 64 };
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t r0[N + 1], r1[N + 1], r2[N + 1];
	size_t *pp = r0, *p = r1, *c = r2, *t;

	if (la > N || lb > N)
		return SIZE_MAX;
	if ((la > lb ? la - lb : lb - la) > max)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		size_t best;

		c[0] = i;
		best = c[0];
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = p[j - 1] + cost;

			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return SIZE_MAX;
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb] > max ? SIZE_MAX : p[lb];
}

int read_file(const char *path, char **buf, size_t *len, size_t limit)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	struct strbuf sb = { 0 };
	char chunk[65536];

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	/* Read until EOF rather than trusting st_size: pipes, /proc. */
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			sb_free(&sb);
			return -errno;
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > limit) {
			sb_free(&sb);
			return -EFBIG;
		}
		sb_putn(&sb, chunk, (size_t)n);
	}
	*len = sb.len;
	*buf = sb_steal(&sb);
	return 0;
}

bool utf8_valid(const unsigned char *s, size_t n, unsigned flags)
{
	size_t i = 0, k, need;

	while (i < n) {
		unsigned c = s[i];

		if (c == 0 && (flags & UTF8_NO_NUL))
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3;
		else
			return false;
		for (k = 1; k <= need; k++) {
			if (i + k >= n)
				return (flags & UTF8_CUT_OK) != 0;
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		}
		if ((flags & UTF8_STRICT) &&
		    ((c == 0xe0 && s[i + 1] < 0xa0) ||
		     (c == 0xed && s[i + 1] > 0x9f) ||
		     (c == 0xf0 && s[i + 1] < 0x90) ||
		     (c == 0xf4 && s[i + 1] > 0x8f)))
			return false;
		i += need + 1;
	}
	return true;
}
