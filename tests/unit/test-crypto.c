/* SPDX-License-Identifier: MIT */
/*
 * test-crypto.c - leash-exec's own cryptography (runtime-shim/crypto.h)
 * against the published vectors and against libsodium.
 *
 *   vectors       FIPS 180-4 SHA-256 and SHA-512 (empty, "abc", the
 *                 448- and 896-bit messages, a million 'a'), RFC 7693
 *                 BLAKE2b-512("abc"), RFC 8032 7.1 Ed25519 TEST 1, 2,
 *                 3, 1024 and SHA(abc), each also refused when its
 *                 message, signature or key is changed
 *   base64        RFC 4648 10 vectors accepted; wrong size, padding,
 *                 unused bits, alphabet and stray characters refused
 *   differential  libsodium 1.0.18 as the oracle, on seeded pseudo-random
 *                 input (the same every run): hashes of every length
 *                 0..1000 and of a few longer ones; 2,000 key pairs
 *                 signing messages of random length, each signature
 *                 verified as is and mutated (random bytes, S + L, S's
 *                 high bits, R and A set to each small-order encoding,
 *                 A set to each y >= p encoding), the first few with
 *                 every bit of the signature and the key flipped; and
 *                 base64 lines built to be nearly valid.  Each case must
 *                 get libsodium's verdict (base64: but for bytes
 *                 0x80..0xff, see runtime-shim/base64.c), and enough of
 *                 them must be accepted and refused that the comparison
 *                 means something.  Plus signatures that satisfy the
 *                 verification equation but have a small-order R or A,
 *                 which only libsodium's extra checks refuse.
 *
 * Not covered, because no one can make a signature that tells: S = L
 * exactly, A with y >= p (other than the small-order ones) and A off
 * the curve are refused here as by libsodium, but removing those checks
 * would change no verdict these tests can produce.
 */
#include "runtime-shim/crypto.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

/* Decodes @hex into a malloc'd buffer of strlen(hex)/2 bytes. */
static uint8_t *unhex(const char *hex, size_t *len)
{
	size_t n = strlen(hex) / 2, i;
	uint8_t *out = malloc(n + 1);
	unsigned x;

	ck_assert_ptr_nonnull(out);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &x), 1);
		out[i] = (uint8_t)x;
	}
	if (len)
		*len = n;
	return out;
}

static void ck_hex(const uint8_t *got, size_t len, const char *want,
		   const char *what)
{
	char h[2 * 64 + 1];
	size_t i;

	ck_assert_uint_le(len, 64);
	for (i = 0; i < len; i++)
		sprintf(h + 2 * i, "%02x", got[i]);
	ck_assert_msg(strcmp(h, want) == 0, "%s: got %s, want %s", what, h,
		      want);
}

/* splitmix64: seeded, so every run checks the same cases. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
	return z ^ (z >> 31);
}

static void rnd_fill(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

/* ---- vectors ------------------------------------------------------------ */

static const char msg448[] =
	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char msg896[] =
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

START_TEST(test_sha256_vectors)
{
	uint8_t d[32], *a = malloc(1000000);

	ck_assert_ptr_nonnull(a);
	lc_sha256(d, NULL, 0);
	ck_hex(d, 32, "e3b0c44298fc1c149afbf4c8996fb924"
		      "27ae41e4649b934ca495991b7852b855", "SHA-256('')");
	lc_sha256(d, "abc", 3);
	ck_hex(d, 32, "ba7816bf8f01cfea414140de5dae2223"
		      "b00361a396177a9cb410ff61f20015ad", "SHA-256(abc)");
	lc_sha256(d, msg448, strlen(msg448));
	ck_hex(d, 32, "248d6a61d20638b8e5c026930c3e6039"
		      "a33ce45964ff2167f6ecedd419db06c1", "SHA-256(448 bits)");
	lc_sha256(d, msg896, strlen(msg896));
	ck_hex(d, 32, "cf5b16a778af8380036ce59e7b049237"
		      "0b249b11e8f07a51afac45037afee9d1", "SHA-256(896 bits)");
	memset(a, 'a', 1000000);
	lc_sha256(d, a, 1000000);
	ck_hex(d, 32, "cdc76e5c9914fb9281a1c7e284d73e67"
		      "f1809a48a497200e046d39ccc7112cd0", "SHA-256(a x 1e6)");
	free(a);
}
END_TEST

START_TEST(test_sha512_vectors)
{
	uint8_t d[64], *a = malloc(1000000);
	struct lc_sha512 c;
	size_t i;

	ck_assert_ptr_nonnull(a);
	lc_sha512(d, NULL, 0);
	ck_hex(d, 64, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a9"
		      "21d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd4741"
		      "7a81a538327af927da3e", "SHA-512('')");
	lc_sha512(d, "abc", 3);
	ck_hex(d, 64, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eee"
		      "e64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643c"
		      "e80e2a9ac94fa54ca49f", "SHA-512(abc)");
	lc_sha512(d, msg448, strlen(msg448));
	ck_hex(d, 64, "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be3"
		      "31a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71d"
		      "d70354ec631238ca3445", "SHA-512(448 bits)");
	lc_sha512(d, msg896, strlen(msg896));
	ck_hex(d, 64, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299ae"
		      "adb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd"
		      "26545e96e55b874be909", "SHA-512(896 bits)");
	memset(a, 'a', 1000000);
	/* In pieces of 1..997 bytes, through every buffer offset. */
	lc_sha512_init(&c);
	for (i = 0; i < 1000000;) {
		size_t n = i % 997 + 1;

		if (n > 1000000 - i)
			n = 1000000 - i;
		lc_sha512_update(&c, a + i, n);
		i += n;
	}
	lc_sha512_final(&c, d);
	ck_hex(d, 64, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a8"
		      "03afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49"
		      "aa2e4eadb217ad8cc09b", "SHA-512(a x 1e6)");
	free(a);
}
END_TEST

START_TEST(test_blake2b_vectors)
{
	uint8_t d[64];

	/* RFC 7693 appendix A. */
	lc_blake2b512(d, "abc", 3);
	ck_hex(d, 64, "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb"
		      "6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1"
		      "925ab92386edd4009923", "BLAKE2b-512(abc)");
}
END_TEST

/* RFC 8032 7.1: secret key (seed), public key, message, signature. */
static const struct {
	const char *name, *seed, *pk, *msg, *sig;
} rfc8032[] = {
	{ "TEST 1",
	  "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	  "",
	  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
	{ "TEST 2",
	  "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
	  "72",
	  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
	{ "TEST 3",
	  "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
	  "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
	  "af82",
	  "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
	  "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
	{ "TEST 1024",
	  "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
	  "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
	  "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
	  "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
	  "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
	  "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
	  "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
	  "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
	  "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
	  "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
	  "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
	  "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
	  "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
	  "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
	  "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
	  "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
	  "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
	  "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
	  "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
	  "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
	  "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
	  "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
	  "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
	  "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
	  "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
	  "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
	  "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
	  "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
	  "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
	  "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
	  "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
	  "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
	  "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
	  "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
	  "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
	  "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03" },
	{ "TEST SHA(abc)",
	  "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
	  "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	  "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
	  "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704" },
};

START_TEST(test_ed25519_vectors)
{
	uint8_t *seed, *pk, *msg, *sig, spk[32], ssk[64], ssig[64];
	size_t len, n;

	seed = unhex(rfc8032[_i].seed, &n);
	ck_assert_uint_eq(n, 32);
	pk = unhex(rfc8032[_i].pk, &n);
	ck_assert_uint_eq(n, 32);
	msg = unhex(rfc8032[_i].msg, &len);
	sig = unhex(rfc8032[_i].sig, &n);
	ck_assert_uint_eq(n, 64);
	if (_i == 3)
		ck_assert_uint_eq(len, 1023);
	/* The vector as typed here is the RFC's: libsodium derives the
	 * same key and signature from the seed. */
	crypto_sign_seed_keypair(spk, ssk, seed);
	ck_assert_mem_eq(spk, pk, 32);
	crypto_sign_detached(ssig, NULL, msg, len, ssk);
	ck_assert_mem_eq(ssig, sig, 64);

	ck_assert_msg(lc_ed25519_verify(sig, msg, len, pk), "%s refused",
		      rfc8032[_i].name);
	if (len > 0) {
		msg[len - 1] ^= 1;
		ck_assert(!lc_ed25519_verify(sig, msg, len, pk));
		msg[len - 1] ^= 1;
		ck_assert(!lc_ed25519_verify(sig, msg, len - 1, pk));
	}
	sig[0] ^= 0x10;
	ck_assert(!lc_ed25519_verify(sig, msg, len, pk));
	sig[0] ^= 0x10;
	sig[40] ^= 0x01;
	ck_assert(!lc_ed25519_verify(sig, msg, len, pk));
	sig[40] ^= 0x01;
	pk[5] ^= 0x80;
	ck_assert(!lc_ed25519_verify(sig, msg, len, pk));
	pk[5] ^= 0x80;
	ck_assert(lc_ed25519_verify(sig, msg, len, pk));
	free(seed);
	free(pk);
	free(msg);
	free(sig);
}
END_TEST

/* ---- base64 ------------------------------------------------------------- */

START_TEST(test_base64_accept)
{
	static const struct {
		const char *b64, *bin;
	} ok[] = {
		{ "", "" },		{ "Zg==", "f" },
		{ "Zm8=", "fo" },	{ "Zm9v", "foo" },
		{ "Zm9vYg==", "foob" }, { "Zm9vYmE=", "fooba" },
		{ "Zm9vYmFy", "foobar" },
		{ "+/+/", "\xfb\xff\xbf" },
	};
	uint8_t out[16];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		size_t n = strlen(ok[i].bin);

		ck_assert_msg(lc_base64_decode(out, n, ok[i].b64,
					       strlen(ok[i].b64)),
			      "'%s' refused", ok[i].b64);
		ck_assert_mem_eq(out, ok[i].bin, n);
	}
}
END_TEST

START_TEST(test_base64_refuse)
{
	static const struct {
		const char *b64;
		size_t want;
	} bad[] = {
		{ "Zg==", 2 },		/* a byte too few */
		{ "Zm8=", 1 },		/* a byte too many */
		{ "Zg", 1 },		/* no padding */
		{ "Zg=", 1 },		/* half the padding */
		{ "Zg===", 1 },		/* padding too long */
		{ "Zh==", 1 },		/* unused bits set */
		{ "Zm9=", 2 },		/* unused bits set */
		{ "Zm9v\n", 3 },	/* a line end */
		{ "Zm9v\r", 3 },
		{ " Zm9v", 3 },		/* a space */
		{ "Zm 9v", 3 },
		{ "Zm9v=", 3 },		/* padding where none is due */
		{ "Zm-v", 3 },		/* the URL-safe alphabet */
		{ "Zm_v", 3 },
		{ "Zg=a", 1 },
		{ "Z===", 1 },
		{ "====", 1 },
		{ "Zg==Zg==", 2 },	/* two blobs */
		{ "Zm9v", 0 },
		/* Bytes libsodium 1.0.18 on x86 takes for '/' (base64.c). */
		{ "Zm9\x80", 3 },
		{ "\xffm9v", 3 },
		{ "AAA\xbf", 3 },
	};
	uint8_t out[16];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(out, 0xaa, sizeof(out));
		ck_assert_msg(!lc_base64_decode(out, bad[i].want, bad[i].b64,
						strlen(bad[i].b64)),
			      "'%s' (%zu bytes) accepted", bad[i].b64,
			      bad[i].want);
	}
	/* A NUL inside the counted text is just another bad character. */
	ck_assert(!lc_base64_decode(out, 3, "Zm\0v", 4));
}
END_TEST

/* ---- differential ------------------------------------------------------- */

START_TEST(test_diff_hashes)
{
	uint8_t *data = malloc(70000), a[64], b[64];
	static const size_t big[] = { 4095, 4096, 4097, 65535, 65536, 70000 };
	crypto_hash_sha512_state st;
	size_t len, i;

	ck_assert_ptr_nonnull(data);
	rng_state = 1;
	rnd_fill(data, 70000);
	for (len = 0; len <= 1000 + sizeof(big) / sizeof(big[0]); len++) {
		size_t n = len <= 1000 ? len : big[len - 1001];
		const uint8_t *p = data + (n <= 1000 ? rnd() % 1000 : 0);

		lc_sha256(a, p, n);
		crypto_hash_sha256(b, p, n);
		ck_assert_msg(!memcmp(a, b, 32), "SHA-256 of %zu bytes", n);
		lc_sha512(a, p, n);
		crypto_hash_sha512(b, p, n);
		ck_assert_msg(!memcmp(a, b, 64), "SHA-512 of %zu bytes", n);
		lc_blake2b512(a, p, n);
		crypto_generichash(b, 64, p, n, NULL, 0);
		ck_assert_msg(!memcmp(a, b, 64), "BLAKE2b-512 of %zu bytes",
			      n);
		/* libsodium's SHA-512 in pieces against ours in one. */
		if (n > 0) {
			i = (size_t)(rnd() % n);
			crypto_hash_sha512_init(&st);
			crypto_hash_sha512_update(&st, p, i);
			crypto_hash_sha512_update(&st, p + i, n - i);
			crypto_hash_sha512_final(&st, b);
			lc_sha512(a, p, n);
			ck_assert_msg(!memcmp(a, b, 64),
				      "SHA-512 of %zu bytes, split at %zu", n,
				      i);
		}
	}
	free(data);
}
END_TEST

/* libsodium's little-endian L and the small-order list (crypto.h). */
static const uint8_t order[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
	0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0x10,
};

/* Little-endian a += b over 32 bytes, carry dropped. */
static void add32(uint8_t a[32], const uint8_t b[32])
{
	unsigned c = 0, i;

	for (i = 0; i < 32; i++) {
		c += (unsigned)a[i] + b[i];
		a[i] = (uint8_t)c;
		c >>= 8;
	}
}

/* The encodings of small-order points and y >= p, before a sign bit. */
static void special_encoding(uint8_t out[32], unsigned i)
{
	static const char *const hexes[] = {
		/* y = 0, 1, the two of order 8, p - 1, p, p + 1 */
		"0000000000000000000000000000000000000000000000000000000000000000",
		"0100000000000000000000000000000000000000000000000000000000000000",
		"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
		"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	};
	uint8_t *b;

	if (i < 7) {
		b = unhex(hexes[i], NULL);
		memcpy(out, b, 32);
		free(b);
		return;
	}
	/* y = p + (i - 5), up to 2^255 - 1: every non-canonical y. */
	memset(out, 0xff, 32);
	out[31] = 0x7f;
	out[0] = (uint8_t)(0xed + (i - 5));
}

#define N_SPECIAL (7 + 17)	/* 0..6, then y = p + 2 .. p + 18 */

struct tally {
	unsigned cases, accepted, differ;
	char first[160];
};

static void compare(struct tally *t, const uint8_t sig[64],
		    const uint8_t *msg, size_t len, const uint8_t pk[32],
		    const char *what)
{
	bool ours = lc_ed25519_verify(sig, msg, len, pk);
	bool theirs = crypto_sign_verify_detached(sig, msg, len, pk) == 0;

	t->cases++;
	t->accepted += theirs;
	if (ours != theirs && t->differ++ == 0)
		snprintf(t->first, sizeof(t->first),
			 "%s: ours %d, libsodium's %d (case %u)", what, ours,
			 theirs, t->cases);
}

START_TEST(test_diff_verify)
{
	enum { KEYS = 2000, FLIP_KEYS = 4 };
	static const size_t edges[] = { 55,  56,  63,  64, 111,
					112, 127, 128, 129 };
	uint8_t seed[32], pk[32], sk[64], sig[64], m[64], mpk[32];
	uint8_t *msg = malloc(1001);
	struct tally t = { 0 };
	unsigned k, i, j;
	size_t len;

	ck_assert_ptr_nonnull(msg);
	rng_state = 2;
	for (k = 0; k < KEYS; k++) {
		rnd_fill(seed, sizeof(seed));
		crypto_sign_seed_keypair(pk, sk, seed);
		len = k < 9 ? edges[k] : (size_t)(rnd() % 1001);
		rnd_fill(msg, len);
		crypto_sign_detached(sig, NULL, msg, len, sk);
		compare(&t, sig, msg, len, pk, "valid");

		/* Random bytes of the signature, the key, the message. */
		memcpy(m, sig, 64);
		m[rnd() % 64] ^= (uint8_t)(rnd() | 1);
		compare(&t, m, msg, len, pk, "sig byte");
		memcpy(mpk, pk, 32);
		mpk[rnd() % 32] ^= (uint8_t)(rnd() | 1);
		compare(&t, sig, msg, len, mpk, "pk byte");
		rnd_fill(mpk, 32);
		compare(&t, sig, msg, len, mpk, "random pk");
		if (len > 0) {
			msg[rnd() % len] ^= 0x20;
			compare(&t, sig, msg, len, pk, "msg byte");
			crypto_sign_detached(sig, NULL, msg, len, sk);
		}
		/* S + L: the same point, a non-canonical scalar. */
		memcpy(m, sig, 64);
		add32(m + 32, order);
		compare(&t, m, msg, len, pk, "S + L");
		memcpy(m, sig, 64);
		m[63] |= (uint8_t)(0x10 << (k % 4));
		compare(&t, m, msg, len, pk, "S high bits");

		/* Every special encoding as R and as A, both signs. */
		if (k % 10 == 0) {
			for (i = 0; i < N_SPECIAL; i++) {
				for (j = 0; j < 2; j++) {
					memcpy(m, sig, 64);
					special_encoding(m, i);
					m[31] |= (uint8_t)(j << 7);
					compare(&t, m, msg, len, pk,
						"R special");
					special_encoding(mpk, i);
					mpk[31] |= (uint8_t)(j << 7);
					compare(&t, sig, msg, len, mpk,
						"pk special");
				}
			}
		}
		/* Every single bit of the signature and the key. */
		if (k < FLIP_KEYS) {
			for (i = 0; i < 512; i++) {
				memcpy(m, sig, 64);
				m[i / 8] ^= (uint8_t)(1 << i % 8);
				compare(&t, m, msg, len, pk, "sig bit");
			}
			for (i = 0; i < 256; i++) {
				memcpy(mpk, pk, 32);
				mpk[i / 8] ^= (uint8_t)(1 << i % 8);
				compare(&t, sig, msg, len, mpk, "pk bit");
			}
		}
	}
	/* S = L - 1, L, 0 with a valid R: the scalar bounds themselves. */
	for (i = 0; i < 3; i++) {
		memcpy(m, sig, 32);
		memcpy(m + 32, order, 32);
		if (i == 0)
			m[32] -= 1;
		else if (i == 2)
			memset(m + 32, 0, 32);
		compare(&t, m, msg, len, pk, "S bound");
	}
	free(msg);
	ck_assert_msg(t.differ == 0, "%u of %u cases differ; first: %s",
		      t.differ, t.cases, t.first);
	ck_assert_uint_ge(t.accepted, KEYS);
	ck_assert_uint_ge(t.cases - t.accepted, 5 * KEYS);
}
END_TEST

/* k = SHA-512(R || A || M) mod L, as both verifiers compute it. */
static void challenge(uint8_t k[32], const uint8_t r[32], const uint8_t a[32],
		      const uint8_t *msg, size_t len)
{
	crypto_hash_sha512_state st;
	uint8_t h[64];

	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, r, 32);
	crypto_hash_sha512_update(&st, a, 32);
	crypto_hash_sha512_update(&st, msg, len);
	crypto_hash_sha512_final(&st, h);
	crypto_core_ed25519_scalar_reduce(k, h);
}

/*
 * Signatures that satisfy [S]B - [k]A = R but that libsodium refuses
 * for the small order of R or A alone: what the differential cases,
 * whose random R and A almost never satisfy the equation, cannot tell.
 * Without the small-order checks (or with the sign bit compared) these
 * would verify for any message.
 */
START_TEST(test_forged)
{
	static const uint8_t msg[] = "leash-policy=web";
	uint8_t seed[32], pk[32], sk[64], h[64], a[32], k[32], sig[64];
	uint8_t t[32], jt[32], sb[32], r[32];
	struct tally tl = { 0 };
	unsigned i, sign, j, tries, forged = 0;

	rng_state = 4;
	rnd_fill(seed, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	/* The secret scalar a of A = [a]B (RFC 8032 5.1.5), reduced. */
	crypto_hash_sha512(h, seed, 32);
	h[0] &= 248;
	h[31] &= 127;
	h[31] |= 64;
	memset(h + 32, 0, 32);
	crypto_core_ed25519_scalar_reduce(a, h);

	/* R = the identity, S = k a: [S]B - [k]A is the identity. */
	for (sign = 0; sign < 2; sign++) {
		memset(sig, 0, 64);
		sig[0] = 1;
		sig[31] = (uint8_t)(sign << 7);
		challenge(k, sig, pk, msg, sizeof(msg));
		crypto_core_ed25519_scalar_mul(sig + 32, k, a);
		compare(&tl, sig, msg, sizeof(msg), pk, "R = identity");
		ck_assert(crypto_sign_verify_detached(sig, msg, sizeof(msg),
						      pk) != 0);
	}

	/* A = T of small order: R = [S]B + [j]T for the j that makes
	 * -[k]T = [j]T, i.e. j + k = 0 modulo 8 (a multiple of T's order). */
	for (i = 0; i < 7; i++) {
		for (sign = 0; sign < 2; sign++) {
			special_encoding(t, i);
			t[31] |= (uint8_t)(sign << 7);
			if (crypto_core_ed25519_add(jt, t, t) != 0)
				continue;	/* not a point (p, p + 1) */
			for (tries = 0; tries < 64; tries++) {
				rnd_fill(h, 64);
				crypto_core_ed25519_scalar_reduce(sig + 32, h);
				ck_assert_int_eq(
					crypto_scalarmult_ed25519_base_noclamp(
						sb, sig + 32), 0);
				memcpy(r, sb, 32);
				for (j = 0; j < 8; j++) {
					challenge(k, r, t, msg, sizeof(msg));
					if ((j + k[0]) % 8 == 0)
						break;
					ck_assert_int_eq(
						crypto_core_ed25519_add(r, r, t),
						0);
				}
				if (j < 8)
					break;
			}
			ck_assert_uint_lt(tries, 64);
			memcpy(sig, r, 32);
			forged++;
			compare(&tl, sig, msg, sizeof(msg), t, "A small");
			ck_assert(crypto_sign_verify_detached(
					  sig, msg, sizeof(msg), t) != 0);
		}
	}
	ck_assert_uint_ge(forged, 8);
	ck_assert_msg(tl.differ == 0, "%u of %u cases differ; first: %s",
		      tl.differ, tl.cases, tl.first);
}
END_TEST

/* Whether @len bytes at @s hold one of 0x80..0xff. */
static bool has_high_byte(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* libsodium's verdict as runtime-shim/minisig.c used to ask for it. */
static bool sodium_exact(uint8_t *out, size_t want, const char *b64,
			 size_t len)
{
	uint8_t buf[96];
	const char *stop = NULL;
	size_t got = 0;

	if (sodium_base642bin(buf, sizeof(buf), b64, len, NULL, &got, &stop,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    stop != b64 + len || got != want)
		return false;
	memcpy(out, buf, want);
	return true;
}

START_TEST(test_diff_base64)
{
	static const char noise[] = "A/+=\n\r -_\t.a9Z\x80\xff";
	uint8_t bin[74], a[74], b[74];
	char text[160];
	unsigned n, accepted = 0, cases = 0, high = 0;
	size_t want, len;

	rng_state = 3;
	for (n = 0; n < 100000; n++) {
		want = (size_t)(rnd() % 75);
		rnd_fill(bin, want);
		sodium_bin2base64(text, sizeof(text), bin, want,
				  sodium_base64_VARIANT_ORIGINAL);
		len = strlen(text);
		/* Mostly one change: a character, a truncation, an
		 * extension, or a size asked for one off. */
		switch (rnd() % 6) {
		case 0:
			break;
		case 1:
			if (len > 0)
				text[rnd() % len] =
					noise[rnd() % (sizeof(noise) - 1)];
			break;
		case 2:
			if (len > 0)
				len -= (size_t)(rnd() % 3 + 1) % (len + 1);
			break;
		case 3:
			text[len++] = noise[rnd() % (sizeof(noise) - 1)];
			break;
		case 4:
			want = want + 1 - (size_t)(rnd() % 3) % (want + 2);
			if (want > 74)
				want = 74;
			break;
		default:
			if (len > 0)
				text[len - 1 - rnd() % (len < 3 ? len : 3)] ^=
					(char)(1 << rnd() % 6);
			break;
		}
		cases++;
		memset(a, 0, sizeof(a));
		memset(b, 0, sizeof(b));
		{
			bool ours = lc_base64_decode(a, want, text, len);
			bool theirs = sodium_exact(b, want, text, len);

			/* The one deliberate difference (base64.c). */
			if (has_high_byte(text, len)) {
				ck_assert(!ours);
				high += theirs;
				continue;
			}
			ck_assert_msg(ours == theirs,
				      "'%.*s' as %zu bytes: ours %d, "
				      "libsodium's %d",
				      (int)len, text, want, ours, theirs);
			if (ours)
				ck_assert_mem_eq(a, b, want);
			accepted += ours;
		}
	}
	ck_assert_uint_ge(high, 100);	/* the difference was exercised */
	ck_assert_uint_ge(accepted, cases / 6);
	ck_assert_uint_ge(cases - accepted, cases / 3);
}
END_TEST

static Suite *crypto_suite(void)
{
	Suite *s = suite_create("crypto");
	TCase *tc;

	tc = tcase_create("vectors");
	tcase_add_test(tc, test_sha256_vectors);
	tcase_add_test(tc, test_sha512_vectors);
	tcase_add_test(tc, test_blake2b_vectors);
	tcase_add_loop_test(tc, test_ed25519_vectors, 0,
			    sizeof(rfc8032) / sizeof(rfc8032[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("base64");
	tcase_add_test(tc, test_base64_accept);
	tcase_add_test(tc, test_base64_refuse);
	suite_add_tcase(s, tc);

	tc = tcase_create("differential");
	/* ASan builds run the 2,000 keys several times slower. */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_diff_hashes);
	tcase_add_test(tc, test_diff_verify);
	tcase_add_test(tc, test_forged);
	tcase_add_test(tc, test_diff_base64);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (sodium_init() < 0) {
		fprintf(stderr, "test-crypto: sodium_init() failed\n");
		return EXIT_FAILURE;
	}
	sr = srunner_create(crypto_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
