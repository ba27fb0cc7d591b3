/* SPDX-License-Identifier: MIT */
/*
 * blake2b.c - BLAKE2b-512 without a key, as RFC 7693 specifies it
 * (crypto.h): minisign's prehashed 'ED' signatures sign this digest of
 * the file, not the file.
 *
 * One-shot only: the shim has the whole bundle in memory.  The RFC's
 * reference code keeps the last block back until it knows whether more
 * input follows; knowing the length up front, the loop below simply
 * compresses every block but the last as non-final.
 */
#include "crypto.h"

#include <string.h>

/* The same words as SHA-512's initial hash value (RFC 7693 2.6). */
static const uint64_t iv[8] = {
	0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
	0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
	0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
};

/* RFC 7693 2.7: the message word permutation of each round (rounds 10
 * and 11 reuse rows 0 and 1). */
static const uint8_t sigma[10][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
	{ 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
	{ 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
	{ 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
	{ 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
	{ 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
	{ 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
	{ 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
	{ 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
};

static uint64_t ror64(uint64_t x, unsigned n)
{
	return x >> n | x << (64 - n);
}

/* RFC 7693 3.1, with the rotation constants R1..R4 = 32, 24, 16, 63.
 * Inline, so that v[] lives in registers: twice as fast as a call. */
static inline void mix(uint64_t v[16], unsigned a, unsigned b, unsigned c,
		unsigned d, uint64_t x, uint64_t y)
{
	v[a] = v[a] + v[b] + x;
	v[d] = ror64(v[d] ^ v[a], 32);
	v[c] = v[c] + v[d];
	v[b] = ror64(v[b] ^ v[c], 24);
	v[a] = v[a] + v[b] + y;
	v[d] = ror64(v[d] ^ v[a], 16);
	v[c] = v[c] + v[d];
	v[b] = ror64(v[b] ^ v[c], 63);
}

/* RFC 7693 3.2: @t counts the bytes hashed so far, this block's included. */
static void compress(uint64_t h[8], const uint8_t block[128], uint64_t t,
		     bool last)
{
	uint64_t v[16], m[16];
	unsigned i, r;
	const uint8_t *s;

	for (i = 0; i < 16; i++)
		m[i] = lc_load_le64(block + 8 * i);
	memcpy(v, h, 8 * sizeof(v[0]));
	memcpy(v + 8, iv, sizeof(iv));
	v[12] ^= t;	/* the counter's high word: size_t never needs it */
	if (last)
		v[14] = ~v[14];
	for (r = 0; r < 12; r++) {
		s = sigma[r % 10];
		mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
		mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
		mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
		mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
		mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
		mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
		mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
		mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
	}
	for (i = 0; i < 8; i++)
		h[i] ^= v[i] ^ v[i + 8];
}

void lc_blake2b512(uint8_t out[LC_BLAKE2B512_LEN], const void *data,
		   size_t len)
{
	const uint8_t *p = data;
	uint8_t last[128];
	uint64_t h[8];
	size_t done = 0;
	unsigned i, j;

	memcpy(h, iv, sizeof(h));
	/* Parameter block: digest length 64, key length 0, fanout and
	 * depth 1 (sequential mode). */
	h[0] ^= 0x01010000 ^ LC_BLAKE2B512_LEN;
	/* Every full block but the last is non-final; an empty message
	 * is one final block of zeros with a counter of 0. */
	for (; len - done > 128; done += 128)
		compress(h, p + done, done + 128, false);
	memset(last, 0, sizeof(last));
	if (len > done)
		memcpy(last, p + done, len - done);
	compress(h, last, len, true);
	for (i = 0; i < 8; i++)
		for (j = 0; j < 8; j++)
			out[8 * i + j] = (uint8_t)(h[i] >> 8 * j);
}
