/* SPDX-License-Identifier: MIT */
/*
 * fuzz-trust.c - fuzz target for trust_walk(), the path walk behind
 * trust_policy_path() (runtime-shim/trust.c).
 *
 * One file, two builds, as fuzz-bundle.c:
 *
 *   clang -fsanitize=fuzzer,... -DLEASH_LIBFUZZER   (tests/fuzz/run-fuzz.sh)
 *       libFuzzer calls LLVMFuzzerTestOneInput().
 *
 *   $(CC) [with --enable-sanitizers: ASan + UBSan]  (make check)
 *       our main() replays tests/fuzz/trust-seeds, one TAP line per
 *       file, and there also checks the verdicts the seeds expect.  With
 *       FILE|DIR arguments it replays those files instead (libFuzzer's
 *       crash-* artifacts); with '--seeds DIR' it copies the seeds to
 *       DIR as a corpus.
 *
 * An input is a file system and paths to walk in it, one line each:
 *
 *   caller UID          whose links are trusted, with root's (default 1000)
 *   d PATH UID          a directory
 *   a PATH UID          a directory that may not be searched (EACCES)
 *   f PATH UID          a file
 *   e PATH UID          an entry whose lookup fails with EIO
 *   l PATH UID TARGET   a symbolic link; TARGET is the rest of the line
 *   w PATH              walk PATH (the rest of the line), as UID caller
 *                       and as root
 *   x VERDICT           (replay only) the last walk's verdict: ok,
 *                       missing, untrusted, loop, too-long, error
 *
 * PATH names the entry by its parents' names, which must exist; other
 * lines are ignored.  Each walk must terminate, keep its handles
 * balanced, read only trusted links, agree with a second resolver
 * written the other way round (recursive, as the kernel nests links),
 * refuse if and only if a link on the way belongs to someone else, and
 * accept whatever path has only trusted links.
 */
#include "runtime-shim/trust.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define must(cond)                                                             \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz-trust: %s:%d: %s\n", __FILE__,   \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

#define MAX_NODES 64
#define MAX_WALKS 16
/* Far more than a walk can need: 41 links of PATH_MAX names each. */
#define MAX_OPS (1U << 20)

struct fnode {
	int parent;
	char type;		/* d a f e l */
	uid_t uid;
	char *name;
	char *target;		/* l */
	size_t target_len;
};

struct fs {
	struct fnode n[MAX_NODES];
	int count;
	uid_t caller;		/* of the walk under way */
	bool any_untrusted;	/* some link is not the caller's or root's */
	/* What the walk under way did. */
	long handles;		/* open now */
	unsigned long ops;
	unsigned int links_read;
	size_t bytes_read;	/* of link targets */
	bool saw_untrusted;	/* it opened a link of someone else */
};

static bool is_dir(const struct fs *fs, int i)
{
	return fs->n[i].type == 'd' || fs->n[i].type == 'a';
}

static void check_handle(const struct fs *fs, int h)
{
	must(h >= 0 && h < fs->count);
	must(fs->handles > 0);
}

static int child(const struct fs *fs, int dir, const char *name, size_t len)
{
	int i;

	for (i = 1; i < fs->count; i++)
		if (fs->n[i].parent == dir && strlen(fs->n[i].name) == len &&
		    memcmp(fs->n[i].name, name, len) == 0)
			return i;
	return -1;
}

/* ---- struct trust_ops over struct fs --------------------------------- */

static int f_root(void *ctx)
{
	struct fs *fs = ctx;

	must(++fs->ops < MAX_OPS);
	fs->handles++;
	return 0;
}

static int f_open(void *ctx, int dir, const char *name,
		  struct trust_node *node)
{
	struct fs *fs = ctx;
	size_t len = strlen(name);
	int i;

	must(++fs->ops < MAX_OPS);
	check_handle(fs, dir);
	must(is_dir(fs, dir));
	must(len > 0 && len <= NAME_MAX && !strchr(name, '/') &&
	     strcmp(name, ".") != 0 && strcmp(name, "..") != 0);
	if (fs->n[dir].type == 'a')
		return -EACCES;
	i = child(fs, dir, name, len);
	if (i < 0)
		return -ENOENT;
	if (fs->n[i].type == 'e')
		return -EIO;
	node->uid = fs->n[i].uid;
	node->mode = fs->n[i].type == 'l' ? S_IFLNK | 0777 :
		     is_dir(fs, i)	  ? S_IFDIR | 0755 :
					    S_IFREG | 0644;
	if (fs->n[i].type == 'l' && !trust_owner_ok(fs->n[i].uid, fs->caller))
		fs->saw_untrusted = true;
	fs->handles++;
	return i;
}

static int f_parent(void *ctx, int dir)
{
	struct fs *fs = ctx;

	must(++fs->ops < MAX_OPS);
	check_handle(fs, dir);
	must(is_dir(fs, dir));
	/* The kernel needs search permission for "..", too. */
	if (fs->n[dir].type == 'a')
		return -EACCES;
	fs->handles++;
	return dir ? fs->n[dir].parent : 0;
}

static int f_readlink(void *ctx, int h, char *buf, size_t size)
{
	struct fs *fs = ctx;
	const struct fnode *n;

	must(++fs->ops < MAX_OPS);
	check_handle(fs, h);
	n = &fs->n[h];
	must(n->type == 'l');
	/* Only a link that passed the check is ever read. */
	must(trust_owner_ok(n->uid, fs->caller));
	must(++fs->links_read <= TRUST_MAX_HOPS);
	if (n->target_len >= size)
		return -ENAMETOOLONG;
	memcpy(buf, n->target, n->target_len + 1);
	fs->bytes_read += n->target_len;
	return (int)n->target_len;
}

static void f_close(void *ctx, int h)
{
	struct fs *fs = ctx;

	check_handle(fs, h);
	fs->handles--;
}

static const struct trust_ops fuzz_ops = {
	.root = f_root,
	.open = f_open,
	.parent = f_parent,
	.readlink = f_readlink,
	.close = f_close,
};

/* ---- the second resolver ---------------------------------------------- */

/*
 * The kernel's way of nesting links: a link's target is resolved on its
 * own, recursively, and the walk goes on from what it reached.  Returns
 * the entry reached, or -1 with r->v set.
 */
struct ref {
	const struct fs *fs;
	unsigned int hops;
	enum trust_verdict v;
	uid_t owner;
};

static int ref_fail(struct ref *r, enum trust_verdict v)
{
	r->v = v;
	return -1;
}

static int ref_resolve(struct ref *r, int start, const char *s, size_t len)
{
	const struct fs *fs = r->fs;
	int cur = len && s[0] == '/' ? 0 : start;
	size_t i = 0;

	while (i < len) {
		const char *comp;
		size_t j, clen;
		int n;

		if (s[i] == '/') {
			i++;
			continue;
		}
		for (j = i; j < len && s[j] != '/'; j++)
			;
		comp = s + i;
		clen = j - i;
		i = j;
		if (clen > NAME_MAX)
			return ref_fail(r, TRUST_TOO_LONG);
		if (clen == 1 && comp[0] == '.')
			continue;
		if (fs->n[cur].type == 'a')
			return ref_fail(r, TRUST_MISSING);
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			cur = cur ? fs->n[cur].parent : 0;
			continue;
		}
		n = child(fs, cur, comp, clen);
		if (n < 0)
			return ref_fail(r, TRUST_MISSING);
		if (fs->n[n].type == 'e')
			return ref_fail(r, TRUST_ERROR);
		if (fs->n[n].type == 'l') {
			if (r->hops >= TRUST_MAX_HOPS)
				return ref_fail(r, TRUST_LOOP);
			r->hops++;
			if (!trust_owner_ok(fs->n[n].uid, fs->caller)) {
				r->owner = fs->n[n].uid;
				return ref_fail(r, TRUST_UNTRUSTED);
			}
			if (fs->n[n].target_len >= PATH_MAX)
				return ref_fail(r, TRUST_TOO_LONG);
			if (fs->n[n].target_len == 0)
				return ref_fail(r, TRUST_MISSING);
			n = ref_resolve(r, cur, fs->n[n].target,
					fs->n[n].target_len);
			if (n < 0)
				return -1;
		}
		if (!is_dir(fs, n)) {
			/* "file/", "file/x": ENOTDIR. */
			if (i < len)
				return ref_fail(r, TRUST_MISSING);
			return n;
		}
		cur = n;
	}
	return cur;
}

/* ---- one walk ---------------------------------------------------------- */

static enum trust_verdict walk(struct fs *fs, const char *path, uid_t caller)
{
	struct trust_result res;
	struct ref r = { fs, 0, TRUST_OK, 0 };
	enum trust_verdict v;
	size_t len = strlen(path);

	fs->caller = caller;
	fs->handles = 0;
	fs->ops = 0;
	fs->links_read = 0;
	fs->bytes_read = 0;
	fs->saw_untrusted = false;
	v = trust_walk(&fuzz_ops, fs, path, caller, &res);

	must(v == res.verdict);
	must(fs->handles == 0);
	must(res.hops <= TRUST_MAX_HOPS && fs->links_read <= res.hops);
	must(strnlen(res.at, sizeof(res.at)) < sizeof(res.at));
	must(v != TRUST_OK || res.at[0] == '\0');
	/* Refused if and only if it met someone else's link (or gave up
	 * first: too many links, too long). */
	if (fs->saw_untrusted)
		must(v == TRUST_UNTRUSTED || v == TRUST_LOOP);
	if (v == TRUST_UNTRUSTED)
		must(fs->saw_untrusted && !trust_owner_ok(res.owner, caller));
	if (!fs->any_untrusted)
		must(v != TRUST_UNTRUSTED);
	if (path[0] != '/') {
		must(v == TRUST_ERROR && res.err == EINVAL);
		return v;
	}

	if (len >= PATH_MAX) {
		must(v == TRUST_TOO_LONG);
		return v;
	}
	ref_resolve(&r, 0, path, len);
	if (v == TRUST_TOO_LONG && r.v != TRUST_TOO_LONG) {
		/* Only the walk's own PATH_MAX limit, on the path it
		 * holds: at most twice what it was given and read. */
		must(2 * (len + fs->bytes_read) + 2 >= PATH_MAX);
		return v;
	}
	must(v == r.v);
	if (v == TRUST_UNTRUSTED)
		must(res.owner == r.owner);
	if (v != TRUST_TOO_LONG)
		must(res.hops == r.hops);
	return v;
}

/* ---- the input ---------------------------------------------------------- */

static const char *const verdict_names[] = {
	[TRUST_OK] = "ok",		[TRUST_MISSING] = "missing",
	[TRUST_UNTRUSTED] = "untrusted", [TRUST_LOOP] = "loop",
	[TRUST_TOO_LONG] = "too-long",	[TRUST_ERROR] = "error",
};

static bool check_expect;	/* replay: the x lines count */
static unsigned int n_expect_failed, n_walks;

static bool parse_uid(const char *s, size_t len, uid_t *uid)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 9)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*uid = (uid_t)v;
	return true;
}

/* Add entry @type at @path (@len bytes, NUL-free). */
static void add_node(struct fs *fs, char type, const char *path, size_t len,
		     uid_t uid, const char *target, size_t tlen)
{
	struct fnode *n;
	size_t i = 0, j;
	int dir = 0, c;

	if (fs->count >= MAX_NODES || !len || path[0] != '/')
		return;
	for (;;) {
		while (i < len && path[i] == '/')
			i++;
		for (j = i; j < len && path[j] != '/'; j++)
			;
		if (i == j || j - i > NAME_MAX ||
		    (j - i == 1 && path[i] == '.') ||
		    (j - i == 2 && path[i] == '.' && path[i + 1] == '.'))
			return;
		c = child(fs, dir, path + i, j - i);
		if (j == len || (j + 1 == len && path[j] == '/'))
			break;
		if (c < 0 || !is_dir(fs, c))
			return;
		dir = c;
		i = j;
	}
	if (c >= 0)
		return;
	n = &fs->n[fs->count++];
	n->parent = dir;
	n->type = type;
	n->uid = uid;
	n->name = strndup(path + i, j - i);
	n->target = type == 'l' ? strndup(target, tlen) : NULL;
	n->target_len = tlen;
	must(n->name && (type != 'l' || n->target));
}

/* "T PATH UID" or "l PATH UID TARGET", @len bytes. */
static void node_line(struct fs *fs, const char *line, size_t len)
{
	const char *path = line + 2, *end = line + len, *sp, *sp2;
	uid_t uid;

	if (memchr(line, '\0', len))
		return;
	sp = memchr(path, ' ', (size_t)(end - path));
	if (!sp)
		return;
	sp2 = memchr(sp + 1, ' ', (size_t)(end - sp - 1));
	/* A target for a link, and for nothing else. */
	if ((line[0] == 'l') != (sp2 != NULL))
		return;
	if (!parse_uid(sp + 1, (size_t)((sp2 ? sp2 : end) - sp - 1), &uid))
		return;
	add_node(fs, line[0], path, (size_t)(sp - path), uid,
		 sp2 ? sp2 + 1 : NULL, sp2 ? (size_t)(end - sp2 - 1) : 0);
}

static void free_fs(struct fs *fs)
{
	int i;

	for (i = 0; i < fs->count; i++) {
		free(fs->n[i].name);
		free(fs->n[i].target);
	}
}

static void run_input(const char *text, size_t size)
{
	struct fs fs;
	const char *line = text, *end = text + size;
	enum trust_verdict last = TRUST_OK;
	bool walked = false;
	int walks = 0, i;

	memset(&fs, 0, sizeof(fs));
	fs.n[0].type = 'd';
	fs.n[0].name = strdup("");
	must(fs.n[0].name);
	fs.count = 1;
	fs.caller = 1000;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
		uid_t uid;

		if (len > 2 && line[0] && strchr("dafel", line[0]) &&
		    line[1] == ' ') {
			node_line(&fs, line, len);
		} else if (len > 7 && memcmp(line, "caller ", 7) == 0) {
			if (parse_uid(line + 7, len - 7, &uid))
				fs.caller = uid;
		} else if (len >= 2 && memcmp(line, "w ", 2) == 0 &&
			   walks < MAX_WALKS) {
			/* The walk sees a C string: cut at a NUL. */
			char *path = strndup(line + 2, len - 2);
			uid_t caller = fs.caller;

			must(path);
			walks++;
			n_walks++;
			fs.any_untrusted = false;
			for (i = 1; i < fs.count; i++)
				if (fs.n[i].type == 'l' &&
				    !trust_owner_ok(fs.n[i].uid, caller))
					fs.any_untrusted = true;
			last = walk(&fs, path, caller);
			walked = true;
			if (caller != 0) {
				fs.any_untrusted = false;
				for (i = 1; i < fs.count; i++)
					if (fs.n[i].type == 'l' && fs.n[i].uid)
						fs.any_untrusted = true;
				walk(&fs, path, 0);
			}
			fs.caller = caller;
			free(path);
		} else if (check_expect && len > 2 &&
			   memcmp(line, "x ", 2) == 0) {
			const char *want = verdict_names[last];

			if (!walked || strlen(want) != len - 2 ||
			    memcmp(want, line + 2, len - 2) != 0) {
				n_expect_failed++;
				printf("# expected '%.*s', got '%s'\n",
				       (int)(len - 2), line + 2,
				       walked ? want : "(no walk)");
			}
		}
		line += len + 1;
	}
	free_fs(&fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	run_input(text, size);
	free(text);
	return 0;
}

#ifndef LEASH_LIBFUZZER
/* ---- replay mode: a plain program for make check ------------------------- */

#include <dirent.h>

static unsigned int n_run, n_failed;
static const char *seed_dir;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap);

	must(buf);
	if (!f) {
		free(buf);
		return NULL;
	}
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			must(buf);
		}
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void replay_file(const char *path, const char *name)
{
	unsigned int failed = n_expect_failed, walks = n_walks;
	size_t len;
	char *buf;

	n_run++;
	fflush(stdout);
	buf = slurp(path, &len);
	if (!buf) {
		n_failed++;
		printf("not ok %u - %s: cannot read\n", n_run, path);
		return;
	}
	if (seed_dir) {
		char out[PATH_MAX];
		FILE *f;

		snprintf(out, sizeof(out), "%s/%s", seed_dir, name);
		f = fopen(out, "wb");
		if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
			n_failed++;
			printf("not ok %u - cannot write %s\n", n_run, out);
		} else {
			printf("ok %u - %s written\n", n_run, out);
		}
		free(buf);
		return;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	if (n_expect_failed != failed) {
		n_failed++;
		printf("not ok %u - %s: %u verdicts not as expected\n", n_run,
		       path, n_expect_failed - failed);
	} else {
		printf("ok %u - %s: %u walks\n", n_run, path, n_walks - walks);
	}
}

static void replay_path(const char *path)
{
	char p[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		const char *base = strrchr(path, '/');

		replay_file(path, base ? base + 1 : path);
		return;
	}
	d = opendir(path);
	if (!d) {
		n_failed++;
		printf("not ok %u - %s: cannot open\n", ++n_run, path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			replay_file(p, de->d_name);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	char seeds[PATH_MAX];
	const char *src = getenv("abs_top_srcdir");
	int i;

	if (!src || !*src)
		src = LEASH_SRC_DIR;
	snprintf(seeds, sizeof(seeds), "%s/tests/fuzz/trust-seeds", src);
	if (argc > 1 && strcmp(argv[1], "--seeds") == 0) {
		if (argc != 3) {
			fputs("usage: fuzz-trust [--seeds DIR | FILE|DIR...]\n",
			      stderr);
			return 2;
		}
		seed_dir = argv[2];
		replay_path(seeds);
	} else if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay_path(argv[i]);
	} else {
		check_expect = true;
		replay_path(seeds);
	}
	printf("1..%u\n", n_run);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
#endif /* !LEASH_LIBFUZZER */
