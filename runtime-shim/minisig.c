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
 * libsodium does the cryptography.  NOTE: the shim never calls
 * sodium_init(): in libsodium 1.0.18 it reads 16 bytes from getrandom()
 * (which blocks while the kernel's pool is not yet initialised, early at
 * boot, where a service may well start under leash-exec) and another
 * 16 for sodium_malloc()'s canaries, and picks the fastest BLAKE2b
 * compression for this CPU.  None of that is needed here: verifying
 * takes no randomness, crypto_sign_verify_detached(), the SHA-256 and
 * SHA-512 code have no per-CPU variants, and BLAKE2b falls back to its
 * portable compression function, the one the tests' vectors check.
 * The compiler ('leash sign') calls sodium_init() as documented.
 * Measured here (libsodium 1.0.18, median of 21): sodium_init() costs
 * 27 us and two blocking getrandom(16) calls, about 2% of leash-exec's
 * whole start-up cost.
 *
 * How leash-exec gets libsodium (issue 13: stripped under 100 KiB, and
 * a start-up cost at most half of bwrap's), measured on this project's
 * machine, which other jobs share (load 4 to 8 during the runs):
 *
 *                     stripped   loader (LD_DEBUG=   docker-default run,
 *                     size (B)   statistics, cycles) hyperfine min/median
 *   no libsodium       80,912     108k               1.81 / 2.29 ms
 *   dynamic (chosen)   89,144     126k               1.91 / 2.82 ms
 *   static, --gc-     306,976     108k               1.82 / 3.48 ms
 *     sections
 *   dlopen             ~89,000    +88 us for dlopen() and dlsym()
 *
 * Static is out: Debian's libsodium.a is not built with
 * -ffunction-sections, so --gc-sections keeps whole objects, and the
 * Ed25519 one alone has 75 KB of code.  dlopen() cannot be lazy, as
 * every run needs the bundle's SHA-256, and it costs more than the
 * loader does for a DT_NEEDED library.  Dynamic linking costs about
 * 0.1 ms (the minimum, the least noisy figure): bench/shim-startup.sh
 * gave leash-exec/bwrap ratios of 0.41 (dynamic) against 0.49 (no
 * libsodium) in the same hour, i.e. within the noise, under 0.5.
 */
#include "minisig.h"

#include <sodium.h>
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
	uint8_t buf[96];
	const char *stop = NULL;
	size_t got = 0;

	/* Decoded into a buffer larger than any blob of ours, so a blob
	 * one byte too long is seen as such, not cut to size. */
	if (want > sizeof(buf) - 8 || len > 2 * sizeof(buf))
		return -1;
	if (sodium_base642bin(buf, sizeof(buf), b64, len, NULL, &got, &stop,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    stop != b64 + len || got != want)
		return -1;
	memcpy(out, buf, want);
	return 0;
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
	int rc;

	if (memcmp(s->keynum, k->keynum, MS_KEYNUM) != 0) {
		*why = "made with another key (key ids differ)";
		return -1;
	}
	if (s->prehashed) {
		crypto_generichash(digest, sizeof(digest), data, len, NULL, 0);
		rc = crypto_sign_verify_detached(s->sig, digest,
						 sizeof(digest), k->pk);
	} else {
		rc = crypto_sign_verify_detached(s->sig, data, len, k->pk);
	}
	if (rc != 0) {
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
	if (crypto_sign_verify_detached(s->global, msg,
					MS_SIGNATURE + s->trusted_len,
					k->pk) != 0) {
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
