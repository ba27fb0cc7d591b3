/* SPDX-License-Identifier: MIT */
/*
 * fuzz-minisig.c - the signature path of leash-exec: minisign public
 * keys and signatures read, verified and their policy word found
 * (runtime-shim/minisig.c), on any bytes.  Built two ways:
 *
 *   clang -fsanitize=fuzzer,... -DLEASH_LIBFUZZER   (tests/fuzz/run-fuzz.sh)
 *       libFuzzer calls LLVMFuzzerTestOneInput().
 *
 *   $(CC) [with --enable-sanitizers: ASan + UBSan]  (make check)
 *       our main() makes valid signatures (Ed and ED, several trusted
 *       comments) with a fixed key, checks that each verifies, then
 *       feeds the target every truncation of each and every byte of its
 *       signature file and of the signed data set to 0x00, 0xff and its
 *       own value + 1.  Whatever still verifies must mean exactly what
 *       the original meant: the same data, signature, trusted comment
 *       and global signature (only an untrusted comment or line ends may
 *       differ).  TAP, one line per seed.  With FILE|DIR arguments it
 *       replays those files instead (libFuzzer's crash-* artifacts);
 *       with '--seeds DIR' it writes the seeds to DIR as a corpus.
 *
 * An input is: 1 byte n, then n bytes of public key file, 2 bytes m
 * (little-endian), m bytes of signature file, then the signed data; a
 * short input leaves the later parts empty.  Beyond reading it as it
 * is, each input is also signed with the fixed key (the signature
 * file's first line as trusted comment, Ed or ED by the low bit of n):
 * that one must verify, and its policy word, if any, must be a word of
 * that comment.
 */
#include "runtime-shim/minisig.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define must(cond)                                                             \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz-minisig: %s:%d: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

/* The fixed key of the seeds and of the "signed" half of each input. */
static uint8_t key_pk[crypto_sign_PUBLICKEYBYTES];
static uint8_t key_sk[crypto_sign_SECRETKEYBYTES];
static const uint8_t key_id[MS_KEYNUM] = { 1, 2, 3, 4, 5, 6, 7, 8 };

static void key_init(void)
{
	static int done;
	uint8_t seed[crypto_sign_SEEDBYTES];

	if (done)
		return;
	memset(seed, 0x5a, sizeof(seed));
	crypto_sign_seed_keypair(key_pk, key_sk, seed);
	done = 1;
}

/* Appends to a growing, NUL-terminated text. */
struct text {
	char *s;
	size_t len, cap;
};

static void put(struct text *t, const void *p, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		must(t->s != NULL);
	}
	memcpy(t->s + t->len, p, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void put_b64(struct text *t, const uint8_t *bin, size_t n)
{
	char b64[256];

	sodium_bin2base64(b64, sizeof(b64), bin, n,
			  sodium_base64_VARIANT_ORIGINAL);
	put(t, b64, strlen(b64));
	put(t, "\n", 1);
}

static void make_pub(struct text *t)
{
	uint8_t raw[2 + MS_KEYNUM + MS_PUBLIC];

	memcpy(raw, "Ed", 2);
	memcpy(raw + 2, key_id, MS_KEYNUM);
	memcpy(raw + 2 + MS_KEYNUM, key_pk, MS_PUBLIC);
	put(t, MS_COMMENT "fuzz key\n", strlen(MS_COMMENT "fuzz key\n"));
	put_b64(t, raw, sizeof(raw));
}

/* A signature file of @data by the fixed key, as minisign writes it. */
static void make_sig(struct text *t, bool prehash, const char *tc,
		     size_t tc_len, const uint8_t *data, size_t len)
{
	uint8_t raw[2 + MS_KEYNUM + MS_SIGNATURE], digest[MS_PREHASH];
	uint8_t global[MS_SIGNATURE];
	uint8_t *msg = malloc(MS_SIGNATURE + tc_len + 1);

	must(msg != NULL);
	memcpy(raw, prehash ? "ED" : "Ed", 2);
	memcpy(raw + 2, key_id, MS_KEYNUM);
	if (prehash) {
		crypto_generichash(digest, sizeof(digest), data, len, NULL, 0);
		crypto_sign_detached(raw + 2 + MS_KEYNUM, NULL, digest,
				     sizeof(digest), key_sk);
	} else {
		crypto_sign_detached(raw + 2 + MS_KEYNUM, NULL, data, len,
				     key_sk);
	}
	memcpy(msg, raw + 2 + MS_KEYNUM, MS_SIGNATURE);
	memcpy(msg + MS_SIGNATURE, tc, tc_len);
	crypto_sign_detached(global, NULL, msg, MS_SIGNATURE + tc_len,
			     key_sk);
	free(msg);
	put(t, MS_COMMENT "fuzz\n", strlen(MS_COMMENT "fuzz\n"));
	put_b64(t, raw, sizeof(raw));
	put(t, MS_TRUSTED, strlen(MS_TRUSTED));
	put(t, tc, tc_len);
	put(t, "\n", 1);
	put_b64(t, global, sizeof(global));
}

/* What the shim relies on when ms_policy() succeeds. */
static void check_policy(const struct ms_sig *s)
{
	const char *name = NULL, *why = NULL;
	size_t n = 0, i;

	if (ms_policy(s, &name, &n, &why) < 0) {
		must(why != NULL);
		return;
	}
	must(n > 0 && name >= s->trusted + strlen(MS_POLICY_WORD));
	must(name + n <= s->trusted + s->trusted_len);
	must(memcmp(name - strlen(MS_POLICY_WORD), MS_POLICY_WORD,
		    strlen(MS_POLICY_WORD)) == 0);
	for (i = 0; i < n; i++)
		must(name[i] != ' ' && name[i] != '\t');
}

/* Read and verify: returns whether it verified, and the parse in @s. */
static bool read_verify(const char *pub, size_t pub_len, const char *sig,
			size_t sig_len, const uint8_t *data, size_t len,
			struct ms_sig *s)
{
	struct ms_pubkey k;
	const char *why = NULL;
	bool ok;

	if (ms_read_pubkey(pub, pub_len, &k, &why) < 0) {
		must(why != NULL);
		why = NULL;
		/* The signature is read even so, with the fixed key. */
		memcpy(k.keynum, key_id, MS_KEYNUM);
		memcpy(k.pk, key_pk, MS_PUBLIC);
	}
	if (ms_read_sig(sig, sig_len, s, &why) < 0) {
		must(why != NULL);
		return false;
	}
	must(s->trusted >= sig && s->trusted + s->trusted_len <= sig + sig_len);
	must(s->trusted_len <= MS_MAX_TRUSTED);
	ok = ms_verify(s, &k, data, len, &why) == 0;
	if (!ok)
		must(why != NULL);
	check_policy(s);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	size_t pub_len = 0, sig_len = 0, tc_len;
	const char *pub, *sig, *nl;
	struct text t = { 0 };
	struct ms_sig s;
	uint8_t flags = 0;

	key_init();
	if (p < end) {
		flags = *p;
		pub_len = *p++;
	}
	if (pub_len > (size_t)(end - p))
		pub_len = (size_t)(end - p);
	pub = (const char *)p;
	p += pub_len;
	if (end - p >= 2) {
		sig_len = (size_t)p[0] | (size_t)p[1] << 8;
		p += 2;
	}
	if (sig_len > (size_t)(end - p))
		sig_len = (size_t)(end - p);
	sig = (const char *)p;
	p += sig_len;
	(void)read_verify(pub, pub_len, sig, sig_len, p, (size_t)(end - p), &s);

	/* The same data signed for real: it must verify. */
	nl = memchr(sig, '\n', sig_len);
	tc_len = nl ? (size_t)(nl - sig) : sig_len;
	if (tc_len > MS_MAX_TRUSTED)
		tc_len = MS_MAX_TRUSTED;
	if (!memchr(sig, '\0', tc_len) && !memchr(sig, '\r', tc_len)) {
		struct text k = { 0 };

		make_pub(&k);
		make_sig(&t, flags & 1, sig, tc_len, p, (size_t)(end - p));
		must(read_verify(k.s, k.len, t.s, t.len, p,
				 (size_t)(end - p), &s));
		must(s.prehashed == (flags & 1));
		must(s.trusted_len == tc_len &&
		     !memcmp(s.trusted, sig, tc_len));
		free(k.s);
	}
	free(t.s);
	return 0;
}

#ifndef LEASH_LIBFUZZER
/* ---- replay mode: a plain program for make check ------------------------- */

#include "common/util.h"
#include "pipeline/driver.h"

static unsigned n_run, n_failed;

#include "tests/fuzz/replay.h"

/* Pack (pub, sig, data) as an input of LLVMFuzzerTestOneInput(). */
static void pack(struct text *in, const struct text *pub,
		 const struct text *sig, const uint8_t *data, size_t len)
{
	uint8_t n = (uint8_t)pub->len, m[2];

	must(pub->len < 256 && sig->len < 65536);
	m[0] = (uint8_t)sig->len;
	m[1] = (uint8_t)(sig->len >> 8);
	put(in, &n, 1);
	put(in, pub->s, pub->len);
	put(in, m, 2);
	put(in, sig->s, sig->len);
	put(in, data, len);
}

/* Whether @s says exactly what @o says. */
static bool same(const struct ms_sig *s, const struct ms_sig *o)
{
	return s->prehashed == o->prehashed &&
	       !memcmp(s->keynum, o->keynum, MS_KEYNUM) &&
	       !memcmp(s->sig, o->sig, MS_SIGNATURE) &&
	       s->trusted_len == o->trusted_len &&
	       !memcmp(s->trusted, o->trusted, o->trusted_len) &&
	       !memcmp(s->global, o->global, MS_SIGNATURE);
}

/*
 * Seed @i: a signature of @data with trusted comment @tc; every
 * truncation and one-byte change of it and of the data.  Returns the
 * number of accepted changes that meant something else (0 to pass).
 */
static unsigned seed(bool prehash, const char *tc, const uint8_t *data,
		     size_t len, const char *dir, unsigned i)
{
	static const int how[] = { 0x00, 0xff, -1 };
	struct text pub = { 0 }, sig = { 0 }, in = { 0 };
	struct ms_sig o, s;
	unsigned bad = 0;
	uint8_t *d;
	char *m;
	size_t j, k;

	make_pub(&pub);
	make_sig(&sig, prehash, tc, strlen(tc), data, len);
	if (!read_verify(pub.s, pub.len, sig.s, sig.len, data, len, &o))
		bad++;
	pack(&in, &pub, &sig, data, len);
	LLVMFuzzerTestOneInput((const uint8_t *)in.s, in.len);
	if (dir) {
		char *name = xasprintf("seed-%u", i);

		if (write_atomic(dir, name, in.s, in.len) < 0)
			bad++;
		free(name);
	}
	m = malloc(sig.len + 1);
	d = malloc(len + 1);
	must(m && d);
	for (j = 0; j <= sig.len; j++)
		if (read_verify(pub.s, pub.len, sig.s, j, data, len, &s) &&
		    !same(&s, &o))
			bad++;
	for (j = 0; j < sig.len; j++)
		for (k = 0; k < 3; k++) {
			memcpy(m, sig.s, sig.len);
			m[j] = how[k] < 0 ? (char)(sig.s[j] + 1) :
					    (char)how[k];
			if (read_verify(pub.s, pub.len, m, sig.len, data, len,
					&s) && !same(&s, &o))
				bad++;
		}
	/* Any change of the data itself must fail. */
	for (j = 0; j < len; j++) {
		memcpy(d, data, len);
		d[j] ^= 1;
		if (read_verify(pub.s, pub.len, sig.s, sig.len, d, len, &s))
			bad++;
	}
	if (len > 0 && read_verify(pub.s, pub.len, sig.s, sig.len, data,
				   len - 1, &s))
		bad++;
	free(m);
	free(d);
	free(pub.s);
	free(sig.s);
	free(in.s);
	return bad;
}

static void seeds(const char *dir)
{
	static const char *const comments[] = {
		"leash-policy=web",
		"timestamp:1700000000\tfile:web.bundle\thashed\t"
		"leash-policy=web",
		"leash-policy=a leash-policy=b",
		"no policy here",
		"",
		"leash-policy=",
	};
	static const uint8_t data[] = "LEASHBDL a bundle's bytes, or any";
	unsigned i, n = 0, bad;

	for (i = 0; i < 2 * sizeof(comments) / sizeof(comments[0]); i++) {
		bad = seed(i & 1, comments[i / 2], data, sizeof(data) - 1,
			   dir, ++n);
		n_run++;
		if (bad) {
			n_failed++;
			printf("not ok %u - seed %u (%s, '%s'): %u changes "
			       "verified as something else\n", n_run, n,
			       i & 1 ? "ED" : "Ed", comments[i / 2], bad);
		} else {
			printf("ok %u - seed %u (%s, '%s'): every truncation "
			       "and byte change refused or equivalent\n",
			       n_run, n, i & 1 ? "ED" : "Ed", comments[i / 2]);
		}
	}
}


int main(int argc, char **argv)
{
	key_init();
	return replay_main(argc, argv, 1u << 20, seeds);
}
#endif
