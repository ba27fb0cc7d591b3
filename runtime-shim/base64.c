/* SPDX-License-Identifier: MIT */
/*
 * base64.c - the strict RFC 4648 base64 of minisign's key and signature
 * lines (crypto.h).
 *
 * Only one spelling of a blob is accepted: the standard alphabet, '='
 * padding to a multiple of 4, the unused bits of the last character
 * zero (RFC 4648 3.5 lets a decoder refuse otherwise, and libsodium
 * does).  So two signature files that verify alike are the same bytes
 * apart from comments and line ends, which tests/fuzz/fuzz-minisig
 * checks.
 *
 * NOTE: libsodium 1.0.18 on x86 decodes every byte 0x80..0xff as '/'
 * (63): its constant-time character tests assume 0..255 and get a
 * negative plain char.  Where char is unsigned (arm64) the same
 * libsodium refuses those bytes, and minisign never writes them, so
 * they are refused here too: the only place where this file's verdict
 * differs from libsodium's (tests/unit/test-crypto.c checks both the
 * agreement and this one difference).
 */
#include "crypto.h"

#include <string.h>

/* The 6-bit value of @c, or -1 outside the standard alphabet. */
static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool lc_base64_decode(uint8_t *out, size_t out_len, const char *b64,
		      size_t len)
{
	size_t full = out_len / 3, tail = out_len % 3, i, j;
	uint32_t acc;
	int v;

	/* 4 characters per 3 bytes, the last group padded to 4. */
	if (out_len > (SIZE_MAX - 3) / 4 * 3 ||
	    len != (full + (tail > 0)) * 4)
		goto bad;
	for (i = 0; i < full; i++) {
		acc = 0;
		for (j = 0; j < 4; j++) {
			v = b64_value(b64[4 * i + j]);
			if (v < 0)
				goto bad;
			acc = acc << 6 | (uint32_t)v;
		}
		out[3 * i] = (uint8_t)(acc >> 16);
		out[3 * i + 1] = (uint8_t)(acc >> 8);
		out[3 * i + 2] = (uint8_t)acc;
	}
	if (tail > 0) {
		const char *g = b64 + 4 * full;

		/* 1 byte: "xx==", 2 bytes: "xxx="; the bits past the
		 * last byte must be zero. */
		acc = 0;
		for (j = 0; j <= tail; j++) {
			v = b64_value(g[j]);
			if (v < 0)
				goto bad;
			acc = acc << 6 | (uint32_t)v;
		}
		for (; j < 4; j++)
			if (g[j] != '=')
				goto bad;
		if (tail == 1) {
			if (acc & 0xf)
				goto bad;
			out[3 * full] = (uint8_t)(acc >> 4);
		} else {
			if (acc & 0x3)
				goto bad;
			out[3 * full] = (uint8_t)(acc >> 10);
			out[3 * full + 1] = (uint8_t)(acc >> 2);
		}
	}
	return true;
bad:
	if (out_len > 0)
		memset(out, 0, out_len);
	return false;
}
