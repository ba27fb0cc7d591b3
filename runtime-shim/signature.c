/* SPDX-License-Identifier: MIT */
/*
 * signature.c - the keys a bundle's signature must come from, and its
 * check (signature.h).  Everything here runs before leash-exec changes
 * anything, and every refusal is die(): exit 125, the program never
 * runs.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "signature.h"
#include "die.h"
#include "minisig.h"
#include "trust.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STEP "signature"

struct key {
	struct ms_pubkey k;
	char *path;
};

struct keys {
	struct key *v;
	size_t n;
};

static void *xalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die(STEP, "out of memory");
	return p;
}

static char *xjoin(const char *a, const char *sep, const char *b)
{
	size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
	char *s = xalloc(la + ls + lb + 1);

	memcpy(s, a, la);
	memcpy(s + la, sep, ls);
	memcpy(s + la + ls, b, lb + 1);
	return s;
}

/*
 * Read the small file @fd (@path in messages) whole: a regular file of
 * at most MS_MAX_FILE bytes.  Returns the bytes (not NUL-terminated)
 * and their number in *@len.
 */
static char *read_small(int fd, const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	size_t n = 0;
	ssize_t r;

	/* A FIFO or a device in the key's or signature's place would
	 * block or never end. */
	if (fstat(fd, &st) < 0)
		die_errno(STEP, "%s", path);
	if (!S_ISREG(st.st_mode))
		die(STEP, "%s: not a regular file", path);
	buf = xalloc(MS_MAX_FILE + 1);
	while (n <= MS_MAX_FILE) {
		r = read(fd, buf + n, MS_MAX_FILE + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die_errno(STEP, "reading %s", path);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > MS_MAX_FILE)
		die(STEP, "%s: larger than %u bytes: not a minisign file",
		    path, MS_MAX_FILE);
	*len = n;
	return buf;
}

/* Read the public key @fd, already trusted as a file, into @k. */
static void load_key(int fd, const char *path, struct key *k)
{
	const char *why = NULL;
	size_t len;
	char *text = read_small(fd, path, &len);

	if (ms_read_pubkey(text, len, &k->k, &why) < 0)
		die(STEP, "%s: %s", path, why);
	free(text);
	k->path = xjoin(path, "", "");
}

/* The key named by --trust: a file of root's or the caller's. */
static void load_given_key(const char *path, uid_t caller, struct key *k)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		die_errno(STEP, "--trust %s", path);
	trust_file_fd(fd, STEP, path, caller);
	load_key(fd, path, k);
	close(fd);
}

static bool is_key_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".pub") == 0;
}

/*
 * The trust directory's keys: false when it does not exist.  Any
 * other trouble with it (unreadable, not root's, a key that is not
 * root's or not a key) refuses every bundle: it was put there to make
 * signatures mandatory, and a broken one must not make them optional.
 */
static bool load_dir_keys(struct keys *ks)
{
	struct dirent *e;
	DIR *d;
	int fd, kfd;

	fd = open(LEASH_TRUST_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return false;
	if (fd < 0)
		die_errno(STEP, "trust directory %s (it must be a directory "
			  "readable by every user of leash-exec, or absent)",
			  LEASH_TRUST_DIR);
	trust_root_dir(fd, STEP, LEASH_TRUST_DIR);
	d = fdopendir(fd);
	if (!d)
		die_errno(STEP, "trust directory %s", LEASH_TRUST_DIR);
	ks->v = xalloc(SIG_MAX_KEYS * sizeof(*ks->v));
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		char *path;

		if (!is_key_name(e->d_name))
			continue;
		if (ks->n == SIG_MAX_KEYS)
			die(STEP, "trust directory %s: more than %u keys",
			    LEASH_TRUST_DIR, SIG_MAX_KEYS);
		path = xjoin(LEASH_TRUST_DIR, "/", e->d_name);
		/* No link: a key is a file of root's in this directory. */
		kfd = openat(fd, e->d_name, O_RDONLY | O_NOFOLLOW |
			     O_CLOEXEC | O_NONBLOCK);
		if (kfd < 0)
			die_errno(STEP, "%s", path);
		trust_file_fd(kfd, STEP, path, 0);
		load_key(kfd, path, &ks->v[ks->n++]);
		close(kfd);
		free(path);
		errno = 0;
	}
	if (errno != 0)
		die_errno(STEP, "reading trust directory %s", LEASH_TRUST_DIR);
	closedir(d);
	return true;
}

/* Verify @s with @k, or die naming @sig_path and the key. */
static void verify_with(const struct ms_sig *s, const struct key *k,
			const char *sig_path, const void *data, size_t len)
{
	const char *why = NULL;
	char want[17], got[17];

	if (ms_verify(s, &k->k, data, len, &why) == 0)
		return;
	ms_keyid(s->keynum, got);
	ms_keyid(k->k.keynum, want);
	if (memcmp(s->keynum, k->k.keynum, MS_KEYNUM) != 0)
		die(STEP, "%s: made with key %s, not with the trusted key %s "
		    "(%s)", sig_path, got, want, k->path);
	die(STEP, "%s: %s (key %s, %s)", sig_path, why, want, k->path);
}

char *sig_check_bundle(const char *path, const void *data, size_t len,
		       const char *key_path, uid_t caller)
{
	struct keys dir = { NULL, 0 };
	struct key given;
	struct ms_sig s;
	const char *why = NULL, *name;
	char *sig_path, *text, *out;
	size_t i, text_len, name_len;
	bool have_dir;
	int fd;

	memset(&given, 0, sizeof(given));
	have_dir = load_dir_keys(&dir);
	if (key_path)
		load_given_key(key_path, caller, &given);
	else if (!have_dir)
		return NULL;

	sig_path = xjoin(path, "", ".minisig");
	fd = open(sig_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT && strncmp(path, "/proc/self/fd/", 14)
	    == 0)
		die(STEP, "%s: a bundle handed over as a descriptor ('leash "
		    "run') has no signature, and one is required (%s)", path,
		    have_dir ? "the trust directory " LEASH_TRUST_DIR
		    " exists" : "--trust");
	if (fd < 0 && errno == ENOENT)
		die(STEP, "%s: the bundle is not signed (no %s), and a "
		    "signature is required (%s)", path, sig_path,
		    have_dir ? "the trust directory " LEASH_TRUST_DIR
		    " exists" : "--trust");
	if (fd < 0)
		die_errno(STEP, "%s", sig_path);
	text = read_small(fd, sig_path, &text_len);
	close(fd);
	if (ms_read_sig(text, text_len, &s, &why) < 0)
		die(STEP, "%s: %s", sig_path, why);

	if (key_path)
		verify_with(&s, &given, sig_path, data, len);
	if (have_dir) {
		char id[17];

		for (i = 0; i < dir.n; i++)
			if (memcmp(dir.v[i].k.keynum, s.keynum, MS_KEYNUM) == 0)
				break;
		ms_keyid(s.keynum, id);
		if (i == dir.n)
			die(STEP, "%s: made with key %s, which is not one of "
			    "the %zu key%s of the trust directory %s", sig_path,
			    id, dir.n, dir.n == 1 ? "" : "s", LEASH_TRUST_DIR);
		verify_with(&s, &dir.v[i], sig_path, data, len);
	}
	/* Verified: the trusted comment is the signer's word. */
	if (ms_policy(&s, &name, &name_len, &why) < 0)
		die(STEP, "%s: %s", sig_path, why);
	out = xalloc(name_len + 1);
	memcpy(out, name, name_len);
	out[name_len] = '\0';

	free(text);
	free(sig_path);
	for (i = 0; i < dir.n; i++)
		free(dir.v[i].path);
	free(dir.v);
	free(given.path);
	return out;
}
