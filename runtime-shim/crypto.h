/* SPDX-License-Identifier: MIT */
/*
 * crypto.h - the little cryptography leash-exec does, without libsodium:
 * SHA-256 (sha2.c) for the bundle's payload digest, BLAKE2b-512
 * (blake2b.c) and Ed25519 verification (ed25519.c) for minisign
 * signatures, and strict base64 (base64.c) for minisign's key and
 * signature lines.
 *
 * Why not libsodium: leash-exec is built against musl where available
 * (configure), and a musl process cannot load Debian's glibc-built
 * libsodium.  The compiler ('leash sign') signs and makes keys with
 * libsodium as before; tests/unit/test-crypto.c and
 * tests/fuzz/fuzz-crypto.c check that these functions compute what
 * libsodium 1.0.18 computes and accept exactly what it accepts.
 *
 * Everything here handles public data only (digests of files anyone may
 * read, signatures, public keys), so nothing is constant-time.
 */
#ifndef LEASH_RUNTIME_SHIM_CRYPTO_H
#define LEASH_RUNTIME_SHIM_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LC_SHA256_LEN 32u
#define LC_SHA512_LEN 64u
#define LC_BLAKE2B512_LEN 64u
#define LC_ED25519_SIG_LEN 64u
#define LC_ED25519_PK_LEN 32u

/* SHA-512 in pieces: Ed25519 hashes R || A || M without copying M. */
struct lc_sha512 {
	uint64_t h[8];
	uint64_t n_bytes;	/* messages stay far below 2^64 bytes */
	uint8_t buf[128];
	size_t n_buf;
};

/* FIPS 180-4 SHA-256 of [data, data + len). */
void lc_sha256(uint8_t out[LC_SHA256_LEN], const void *data, size_t len);

void lc_sha512_init(struct lc_sha512 *c);
void lc_sha512_update(struct lc_sha512 *c, const void *data, size_t len);
void lc_sha512_final(struct lc_sha512 *c, uint8_t out[LC_SHA512_LEN]);
/* FIPS 180-4 SHA-512 of [data, data + len). */
void lc_sha512(uint8_t out[LC_SHA512_LEN], const void *data, size_t len);

/*
 * RFC 7693 BLAKE2b with a 64-byte digest and no key: what minisign
 * hashes a file with for its prehashed 'ED' signatures
 * (crypto_generichash(out, 64, data, len, NULL, 0) in libsodium).
 */
void lc_blake2b512(uint8_t out[LC_BLAKE2B512_LEN], const void *data,
		   size_t len);

/**
 * lc_ed25519_verify - verify an RFC 8032 Ed25519 signature
 * @sig: R (32 bytes) then S (32 bytes, little-endian)
 * @msg: the signed message, @len bytes
 * @pk: the signer's public key A
 *
 * Accepts exactly what libsodium 1.0.18's crypto_sign_verify_detached()
 * accepts (its default build, not ED25519_COMPAT): S must be below the
 * group order L, neither R nor A may be one of the small-order
 * encodings libsodium lists, A must be canonical and decompress, and
 * [S]B - [k]A must encode to R's very bytes, k = SHA-512(R || A || M).
 *
 * Returns true if the signature is valid.
 */
bool lc_ed25519_verify(const uint8_t sig[LC_ED25519_SIG_LEN], const void *msg,
		       size_t len, const uint8_t pk[LC_ED25519_PK_LEN]);

/**
 * lc_base64_decode - decode one minisign base64 blob of a known size
 * @out: where the @out_len decoded bytes go
 * @b64: the text, @len characters, not NUL-terminated
 *
 * The text must be exactly the RFC 4648 base64 (standard alphabet,
 * '=' padding, unused bits zero) of @out_len bytes: nothing before,
 * between or after, so a line with a space, a '\r' or a byte too many
 * or too few is refused.  That is what libsodium's
 * sodium_base642bin(..., ignore = NULL, ..., ORIGINAL) accepted when
 * its caller also required the whole text consumed and the exact size,
 * but for one quirk not kept (base64.c): bytes 0x80..0xff.
 *
 * Returns true on success; on failure @out is zeroed.
 */
bool lc_base64_decode(uint8_t *out, size_t out_len, const char *b64,
		      size_t len);

/* Little-endian 64-bit words, as BLAKE2b and Ed25519's encodings use
 * them (sha2.c's are big-endian); for the files above only. */
static inline uint64_t lc_load_le64(const uint8_t *p)
{
	uint64_t x = 0;
	int i;

	for (i = 7; i >= 0; i--)
		x = x << 8 | p[i];
	return x;
}

static inline void lc_store_le64(uint8_t *p, uint64_t x)
{
	unsigned i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(x >> 8 * i);
}

#endif
