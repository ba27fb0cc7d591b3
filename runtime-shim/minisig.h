/* SPDX-License-Identifier: MIT */
/*
 * minisig.h - minisign's public keys and signatures, read and checked
 * in memory.
 *
 * Shared, like bundle.h, by the shim (which verifies a bundle's
 * BUNDLE.minisig) and the compiler ('leash sign', which writes one).
 * No I/O and no die(): every function takes bytes and returns 0 or -1
 * with a static reason, so tests/fuzz/fuzz-minisig.c can feed it
 * anything.
 *
 * The formats are minisign's (https://jedisct1.github.io/minisign/):
 *
 *   public key   untrusted comment: ...
 *                base64("Ed" || key id (8) || Ed25519 public key (32))
 *   signature    untrusted comment: ...
 *                base64(alg (2) || key id (8) || Ed25519 signature (64))
 *                trusted comment: TEXT
 *                base64(Ed25519 signature of signature (64) || TEXT)
 *
 * alg "Ed" signs the file itself; "ED" (minisign 0.11's default) signs
 * the file's BLAKE2b-512 digest.  The untrusted comments are not
 * signed and never read; the trusted comment is, by the second
 * ("global") signature, which is how a leash signature binds a bundle
 * to its policy's name: the comment holds leash-policy=NAME.
 */
#ifndef LEASH_MINISIG_H
#define LEASH_MINISIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MS_KEYNUM 8
#define MS_PUBLIC 32
#define MS_SIGNATURE 64
#define MS_PREHASH 64		/* BLAKE2b-512 */
/* A .pub or .minisig larger than this is refused unread. */
#define MS_MAX_FILE 16384u
/* minisign's TRUSTEDCOMMENTMAXBYTES, its NUL included. */
#define MS_MAX_TRUSTED 8191u

#define MS_COMMENT "untrusted comment: "
#define MS_TRUSTED "trusted comment: "
/* The word of the trusted comment that names the bundle's policy. */
#define MS_POLICY_WORD "leash-policy="

struct ms_pubkey {
	uint8_t keynum[MS_KEYNUM];
	uint8_t pk[MS_PUBLIC];
};

struct ms_sig {
	bool prehashed;		/* "ED": a signature of the BLAKE2b-512 */
	uint8_t keynum[MS_KEYNUM];
	uint8_t sig[MS_SIGNATURE];
	const char *trusted;	/* points into the text read; not NUL-
				 * terminated */
	size_t trusted_len;
	uint8_t global[MS_SIGNATURE];
};

/*
 * Read a public key file's @len bytes at @text.  Returns 0, or -1 with
 * a static reason in *@why.
 */
int ms_read_pubkey(const char *text, size_t len, struct ms_pubkey *k,
		   const char **why);

/*
 * Read a signature file's @len bytes at @text; @s->trusted then points
 * into @text.  Nothing is verified yet.  Returns 0, or -1 with *@why.
 */
int ms_read_sig(const char *text, size_t len, struct ms_sig *s,
		const char **why);

/*
 * Verify @s, made by @k, of the @len bytes at @data: the key ids, the
 * signature (of the bytes or of their BLAKE2b-512 digest, as @s says)
 * and the trusted comment's global signature.  Returns 0, or -1 with
 * *@why.
 */
int ms_verify(const struct ms_sig *s, const struct ms_pubkey *k,
	      const void *data, size_t len, const char **why);

/*
 * The NAME of the trusted comment's one word "leash-policy=NAME"
 * (words are separated by spaces and tabs): @name points into the
 * comment, @name_len is its length (never 0).  Returns 0, or -1 with
 * *@why when there is no such word, or more than one.
 */
int ms_policy(const struct ms_sig *s, const char **name, size_t *name_len,
	      const char **why);

/* The key id as minisign prints it: 16 upper-case hex digits. */
void ms_keyid(const uint8_t keynum[MS_KEYNUM], char out[17]);

/*
 * Decode one line of base64 (@len bytes at @b64, padded, nothing else)
 * into exactly @want bytes at @out.  Returns 0 or -1.
 */
int ms_base64(const char *b64, size_t len, uint8_t *out, size_t want);

#endif
