/* SPDX-License-Identifier: MIT */
/*
 * fuzz-crypto.c - leash-exec's own cryptography (runtime-shim/crypto.h)
 * against libsodium 1.0.18 on any bytes: a differential harness.  Built
 * two ways, as tests/fuzz/fuzz-minisig.c:
 *
 *   clang -fsanitize=fuzzer,... -DLEASH_LIBFUZZER   (tests/fuzz/run-fuzz.sh)
 *       libFuzzer calls LLVMFuzzerTestOneInput().
 *
 *   $(CC) [with --enable-sanitizers: ASan + UBSan]  (make check)
 *       our main() runs its seeds (valid signatures as sig || pk || msg,
 *       inputs of every hash block boundary, base64 lines), one TAP line
 *       per seed.  With FILE|DIR arguments it replays those files instead
 *       (libFuzzer's crash-* artifacts); with '--seeds DIR' it writes
 *       the seeds to DIR as a corpus.
 *
 * For each input, whatever its bytes, these must agree with libsodium,
 * or the harness aborts:
 *   - SHA-256, SHA-512 and BLAKE2b-512 of the whole input;
 *   - the verdict of Ed25519 verification on the input read as
 *     sig (64 bytes) || pk (32) || msg, and on the same sig and msg with
 *     the fixed key's pk;
 *   - the verdict on a valid signature of the whole input by the fixed
 *     key, with one byte of signature, key or input, chosen by the
 *     input's first two bytes, XORed with its third (0: unchanged, and
 *     then both must accept);
 *   - base64: the input as a line to decode into (first byte mod 80)
 *     bytes, the way runtime-shim/minisig.c asks, and the bytes decoded;
 *     except that a line with a byte 0x80..0xff must be refused, which
 *     libsodium on x86 does not always do (runtime-shim/base64.c).
 */
#include "runtime-shim/crypto.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define must(cond)                                                             \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz-crypto: %s:%d: %s\n", __FILE__,  \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

static uint8_t key_pk[crypto_sign_PUBLICKEYBYTES];
static uint8_t key_sk[crypto_sign_SECRETKEYBYTES];

static void key_init(void)
{
	static int done;
	uint8_t seed[crypto_sign_SEEDBYTES];

	if (done)
		return;
	must(sodium_init() >= 0);
	memset(seed, 0xa5, sizeof(seed));
	crypto_sign_seed_keypair(key_pk, key_sk, seed);
	done = 1;
}

static void same_verdict(const uint8_t *sig, const uint8_t *msg, size_t len,
			 const uint8_t *pk)
{
	bool ours = lc_ed25519_verify(sig, msg, len, pk);
	bool theirs = crypto_sign_verify_detached(sig, msg, len, pk) == 0;

	must(ours == theirs);
}

static void check_hashes(const uint8_t *data, size_t size)
{
	uint8_t a[64], b[64];

	lc_sha256(a, data, size);
	crypto_hash_sha256(b, data, size);
	must(memcmp(a, b, 32) == 0);
	lc_sha512(a, data, size);
	crypto_hash_sha512(b, data, size);
	must(memcmp(a, b, 64) == 0);
	lc_blake2b512(a, data, size);
	crypto_generichash(b, 64, data, size, NULL, 0);
	must(memcmp(a, b, 64) == 0);
}

static void check_signed(const uint8_t *data, size_t size)
{
	uint8_t sig[64], pk[32], *msg;
	size_t pos = 0;
	uint8_t flip = 0;

	msg = malloc(size + 1);
	must(msg != NULL);
	if (size > 0)
		memcpy(msg, data, size);
	crypto_sign_detached(sig, NULL, msg, size, key_sk);
	memcpy(pk, key_pk, 32);
	if (size >= 3) {
		pos = ((size_t)data[0] | (size_t)data[1] << 8) % (96 + size);
		flip = data[2];
	}
	if (pos < 64)
		sig[pos] ^= flip;
	else if (pos < 96)
		pk[pos - 64] ^= flip;
	else
		msg[pos - 96] ^= flip;
	same_verdict(sig, msg, size, pk);
	if (flip == 0)
		must(lc_ed25519_verify(sig, msg, size, pk));
	free(msg);
}

static void check_base64(const uint8_t *data, size_t size)
{
	uint8_t a[80], b[128];
	const char *text = (const char *)data + 1, *stop = NULL;
	size_t want, len, got = 0, i;
	bool ours, theirs;

	if (size < 1)
		return;
	want = data[0] % 80;
	len = size - 1;
	ours = lc_base64_decode(a, want, text, len);
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] >= 0x80) {
			must(!ours);
			return;
		}
	/* As minisig.c asked libsodium, with a buffer larger than any
	 * blob so that one byte too many shows. */
	theirs = len <= 2 * sizeof(b) &&
		 sodium_base642bin(b, sizeof(b), text, len, NULL, &got, &stop,
				   sodium_base64_VARIANT_ORIGINAL) == 0 &&
		 stop == text + len && got == want;
	must(ours == theirs);
	if (ours)
		must(want == 0 || memcmp(a, b, want) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	key_init();
	check_hashes(data, size);
	if (size >= 96) {
		same_verdict(data, data + 96, size - 96, data + 64);
		same_verdict(data, data + 96, size - 96, key_pk);
	}
	check_signed(data, size);
	check_base64(data, size);
	return 0;
}

#ifndef LEASH_LIBFUZZER
/* ---- replay mode: a plain program for make check ------------------------- */

#include "common/util.h"
#include "pipeline/driver.h"

static unsigned n_run, n_failed;

#include "tests/fuzz/replay.h"

/* Seed @n: written to @dir, or run and reported as one TAP line. */
static void seed(const char *dir, const uint8_t *in, size_t len,
		 const char *what)
{
	static unsigned n;
	char *name;

	n++;
	if (dir) {
		name = xasprintf("seed-%u", n);
		if (write_atomic(dir, name, in, len) < 0) {
			n_failed++;
			printf("not ok %u - seed %u (%s): not written\n",
			       ++n_run, n, what);
		}
		free(name);
		return;
	}
	LLVMFuzzerTestOneInput(in, len);
	printf("ok %u - seed %u (%s, %zu bytes): libsodium's results\n",
	       ++n_run, n, what, len);
}

static void seeds(const char *dir)
{
	static const size_t lens[] = { 0, 1, 55, 56, 63, 64, 111, 112,
				       127, 128, 129, 255, 256, 1000 };
	static const char *const lines[] = {
		"\x2a"
		"RWQBAgMEBQYHCNd1mAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea",
		"\x02" "Zm8=", "\x02" "Zm9=", "\x03" "Zm9v\r", "\x00",
		/* Found by libFuzzer: libsodium on x86 reads 0xed as '/'. */
		"\x02" "Z\xed" "8=",
	};
	uint8_t in[96 + 1000];
	size_t i, n;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 131 + 7);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		seed(dir, in, lens[i], "hash block boundary");
	/* Valid signatures by the fixed key, as sig || pk || msg. */
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		n = lens[i];
		memcpy(in + 64, key_pk, 32);
		crypto_sign_detached(in, NULL, in + 96, n, key_sk);
		seed(dir, in, 96 + n, "valid signature");
	}
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		seed(dir, (const uint8_t *)lines[i], strlen(lines[i]) +
		     (lines[i][0] == 0), "base64 line");
}

int main(int argc, char **argv)
{
	key_init();
	return replay_main(argc, argv, 1u << 20, seeds);
}
#endif
