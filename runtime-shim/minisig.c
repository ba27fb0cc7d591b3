/* SPDX-License-Identifier: MIT */
/*
 * minisig.c - minisign's public keys and signatures (minisig.h).
 *
 * Everything here reads bytes an attacker may have written: the
 * signature file is beside the bundle, and whoever can write one can
 * write the other.  So the reader is strict (each line's prefix, each
 * base64 blob's exact size, nothing after the fourth line but line
 * ends) and never allocates: the trusted comment stays in the caller's
 * buffer, the global signature's message is assembled on the stack,
 * bounded by MS_MAX_TRUSTED.
 *
 * The cryptography is the shim's own (crypto.h): BLAKE2b-512 for the
 * prehashed 'ED' form, Ed25519 verification, strict base64.
 * leash-exec is built against musl where available (configure), which
 * cannot load glibc's libsodium.  Verifying needs no randomness, no
 * secret and no per-CPU code, so the shim loses nothing by not having
 * libsodium: the functions accept exactly what libsodium 1.0.18's
 * sodium_base642bin(), crypto_generichash() and
 * crypto_sign_verify_detached() accepted here (but for base64 bytes
 * 0x80..0xff, which x86 libsodium read as '/': crypto.h), which
 * tests/unit/test-crypto.c and tests/fuzz/fuzz-crypto.c check against
 * libsodium.
 * The compiler ('leash sign') keeps libsodium for keys and signing.
 */
#include "minisig.h"
#include "crypto.h"

#include <string.h>

/* A line: [p, p + len), its '\n' (and a '\r' before it) excluded. */
struct line {
	const char *p;
	size_t len;
};

/* The next line of [*pos, end); false at the end of the text. */
static bool next_line(const char **pos, const char *end, struct line *l)
{
	const char *nl;

	if (*pos >= end)
		return false;
	nl = memchr(*pos, '\n', (size_t)(end - *pos));
	l->p = *pos;
	l->len = (size_t)((nl ? nl : end) - *pos);
	*pos = nl ? nl + 1 : end;
	if (l->len > 0 && l->p[l->len - 1] == '\r')
		l->len--;
	return true;
}

static bool has_prefix(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->len >= n && memcmp(l->p, prefix, n) == 0;
}

int ms_base64(const char *b64, size_t len, uint8_t *out, size_t want)
{
	/* The whole text must be the one encoding of exactly @want bytes:
	 * a blob one byte too long or too short is refused, not cut. */
	return lc_base64_decode(out, want, b64, len) ? 0 : -1;
}

/* Whatever follows the last line may only be line ends. */
static bool only_line_ends(const char *pos, const char *end)
{
	for (; pos < end; pos++)
		if (*pos != '\n' && *pos != '\r')
			return false;
	return true;
}

int ms_read_pubkey(const char *text, size_t len, struct ms_pubkey *k,
		   const char **why)
{
	const char *pos = text, *end = text + len;
	uint8_t raw[2 + MS_KEYNUM + MS_PUBLIC];
	struct line l;

	memset(k, 0, sizeof(*k));
	if (len > MS_MAX_FILE || memchr(text, '\0', len)) {
		*why = "not a minisign public key (binary or too large)";
		return -1;
	}
	if (!next_line(&pos, end, &l) || !has_prefix(&l, MS_COMMENT)) {
		*why = "not a minisign public key (no 'untrusted comment:' "
		       "line)";
		return -1;
	}
	if (!next_line(&pos, end, &l) ||
	    ms_base64(l.p, l.len, raw, sizeof(raw)) < 0) {
		*why = "not a minisign public key (the key line is not the "
		       "base64 of 42 bytes)";
		return -1;
	}
	if (memcmp(raw, "Ed", 2) != 0) {
		*why = "unsupported public key algorithm (not Ed25519)";
		return -1;
	}
	if (!only_line_ends(pos, end)) {
		*why = "not a minisign public key (text after the key)";
		return -1;
	}
	memcpy(k->keynum, raw + 2, MS_KEYNUM);
	memcpy(k->pk, raw + 2 + MS_KEYNUM, MS_PUBLIC);
	return 0;
}

int ms_read_sig(const char *text, size_t len, struct ms_sig *s,
		const char **why)
{
	const char *pos = text, *end = text + len;
	uint8_t raw[2 + MS_KEYNUM + MS_SIGNATURE];
	struct line l;

	memset(s, 0, sizeof(*s));
	if (len > MS_MAX_FILE || memchr(text, '\0', len)) {
		*why = "not a minisign signature (binary or too large)";
		return -1;
	}
	if (!next_line(&pos, end, &l) || !has_prefix(&l, MS_COMMENT)) {
		*why = "not a minisign signature (no 'untrusted comment:' "
		       "line)";
		return -1;
	}
	if (!next_line(&pos, end, &l) ||
	    ms_base64(l.p, l.len, raw, sizeof(raw)) < 0) {
		*why = "not a minisign signature (the signature line is not "
		       "the base64 of 74 bytes)";
		return -1;
	}
	if (memcmp(raw, "ED", 2) == 0) {
		s->prehashed = true;
	} else if (memcmp(raw, "Ed", 2) != 0) {
		*why = "unsupported signature algorithm (neither Ed nor ED)";
		return -1;
	}
	memcpy(s->keynum, raw + 2, MS_KEYNUM);
	memcpy(s->sig, raw + 2 + MS_KEYNUM, MS_SIGNATURE);
	if (!next_line(&pos, end, &l) || !has_prefix(&l, MS_TRUSTED)) {
		*why = "no trusted comment (a signature of minisign before "
		       "0.6, or not one at all)";
		return -1;
	}
	s->trusted = l.p + strlen(MS_TRUSTED);
	s->trusted_len = l.len - strlen(MS_TRUSTED);
	if (s->trusted_len > MS_MAX_TRUSTED) {
		*why = "trusted comment longer than minisign allows";
		return -1;
	}
	if (!next_line(&pos, end, &l) ||
	    ms_base64(l.p, l.len, s->global, MS_SIGNATURE) < 0) {
		*why = "not a minisign signature (the global signature line "
		       "is not the base64 of 64 bytes)";
		return -1;
	}
	if (!only_line_ends(pos, end)) {
		*why = "not a minisign signature (text after the global "
		       "signature)";
		return -1;
	}
	return 0;
}

int ms_verify(const struct ms_sig *s, const struct ms_pubkey *k,
	      const void *data, size_t len, const char **why)
{
	uint8_t msg[MS_SIGNATURE + MS_MAX_TRUSTED];
	uint8_t digest[MS_PREHASH];
	bool ok;

	if (memcmp(s->keynum, k->keynum, MS_KEYNUM) != 0) {
		*why = "made with another key (key ids differ)";
		return -1;
	}
	if (s->prehashed) {
		lc_blake2b512(digest, data, len);
		ok = lc_ed25519_verify(s->sig, digest, sizeof(digest), k->pk);
	} else {
		ok = lc_ed25519_verify(s->sig, data, len, k->pk);
	}
	if (!ok) {
		*why = "signature does not match (the file was changed, or "
		       "signed by another key with the same id)";
		return -1;
	}
	if (s->trusted_len > MS_MAX_TRUSTED) {
		*why = "trusted comment longer than minisign allows";
		return -1;
	}
	/* What minisign signs the second time: the first signature, then
	 * the trusted comment. */
	memcpy(msg, s->sig, MS_SIGNATURE);
	memcpy(msg + MS_SIGNATURE, s->trusted, s->trusted_len);
	if (!lc_ed25519_verify(s->global, msg, MS_SIGNATURE + s->trusted_len,
			       k->pk)) {
		*why = "the trusted comment's signature does not match (the "
		       "comment was changed)";
		return -1;
	}
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

int ms_policy(const struct ms_sig *s, const char **name, size_t *name_len,
	      const char **why)
{
	const size_t plen = strlen(MS_POLICY_WORD);
	const char *p = s->trusted, *end = s->trusted + s->trusted_len;
	const char *found = NULL;
	size_t found_len = 0;

	while (p < end) {
		const char *w;

		while (p < end && is_space(*p))
			p++;
		w = p;
		while (p < end && !is_space(*p))
			p++;
		if ((size_t)(p - w) < plen || memcmp(w, MS_POLICY_WORD, plen))
			continue;
		if (found) {
			*why = "the trusted comment names more than one policy "
			       "(two leash-policy= words)";
			return -1;
		}
		found = w + plen;
		found_len = (size_t)(p - found);
	}
	if (!found || found_len == 0) {
		*why = "the trusted comment names no policy (no "
		       "leash-policy=NAME word): it could stand for any "
		       "bundle";
		return -1;
	}
	*name = found;
	*name_len = found_len;
	return 0;
}

void ms_keyid(const uint8_t keynum[MS_KEYNUM], char out[17])
{
	static const char hex[] = "0123456789ABCDEF";
	int i;

	/* minisign prints the id as a little-endian 64-bit number. */
	for (i = 0; i < MS_KEYNUM; i++) {
		out[2 * i] = hex[keynum[MS_KEYNUM - 1 - i] >> 4];
		out[2 * i + 1] = hex[keynum[MS_KEYNUM - 1 - i] & 15];
	}
	out[16] = '\0';
}
