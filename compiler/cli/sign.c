/* SPDX-License-Identifier: MIT */
/*
 * sign.c - 'leash sign -s KEY.sec FILE': FILE.minisig, a minisign
 * signature of the bundle FILE that names its policy, for leash-exec
 * --trust and the system trust directory (runtime-shim/signature.h).
 *
 * The signature is minisign 0.11's default kind ("ED": Ed25519 over the
 * file's BLAKE2b-512 digest), so 'minisign -V' verifies it too; its
 * trusted comment is minisign's (timestamp, file name, "hashed") plus
 * leash-policy=NAME, the bundle's own policy name, which leash-exec
 * compares with the bundle it runs: a signed bundle renamed into
 * another's place is refused.
 *
 * The secret key is minisign's file (minisig.h gives the signature's
 * layout; the key's is below).  Only an unencrypted one (minisign -G
 * -W) is read: decrypting needs scrypt and a password prompt, and a
 * clear refusal is better than half of that.
 *
 * Exit status: 0 written, 1 bad input (not a bundle, not a usable key),
 * 2 usage error.
 */
#include "cli/cli.h"

#include "runtime-shim/bundle.h"
#include "runtime-shim/minisig.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * minisign's secret key, base64 on the line after the comment:
 *   "Ed", kdf ("Sc" scrypt-encrypted, or two zero bytes), "B2",
 *   salt (32), opslimit (8), memlimit (8), then (encrypted with the
 *   kdf's output when there is one) key id (8), Ed25519 secret key (64:
 *   seed, then public key), checksum (32: BLAKE2b-256 of "Ed", key id
 *   and secret key; minisign 0.11 leaves it zero in an unencrypted key).
 */
#define SK_RAW 158
#define SK_KDF 2
#define SK_CHKALG 4
#define SK_KEYNUM 54
#define SK_SECRET (SK_KEYNUM + MS_KEYNUM)
#define SK_CHK (SK_SECRET + 64)

struct seckey {
	uint8_t keynum[MS_KEYNUM];
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
};

static const struct cli_cmd sign_cmd = {
	.name = "sign",
	.opts = CLI_SECKEY,
	.synopsis = "-s KEY.sec FILE",
	.min_args = 1,
	.max_args = 1,
	.help = "Sign the bundle FILE with a minisign secret key: write "
		"FILE.minisig, which\n'minisign -V' and leash-exec --trust "
		"verify.  The signature's trusted comment\nnames the bundle's "
		"policy (leash-policy=NAME).\n"
		"  -s, --secret-key KEY  an unencrypted minisign secret key "
		"(minisign -G -W)\n",
};

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* The base64 line after the comment of @text, decoded into @raw. */
static int key_line(const char *text, size_t len, uint8_t raw[SK_RAW])
{
	const size_t plen = strlen(MS_COMMENT);
	const char *nl = memchr(text, '\n', len), *line, *end;
	uint8_t buf[SK_RAW + 8];
	const char *stop = NULL;
	size_t got = 0, rest;

	if (!nl || len < plen || memcmp(text, MS_COMMENT, plen) != 0)
		return -1;
	line = nl + 1;
	rest = len - (size_t)(line - text);
	end = memchr(line, '\n', rest);
	if (!end)
		end = line + rest;
	if (end > line && end[-1] == '\r')
		end--;
	if (sodium_base642bin(buf, sizeof(buf), line, (size_t)(end - line),
			      NULL, &got, &stop,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    stop != end || got != SK_RAW)
		return -1;
	memcpy(raw, buf, SK_RAW);
	sodium_memzero(buf, sizeof(buf));
	return 0;
}

/* Read the secret key file @path into @k; errors go to @d. */
static int read_seckey(struct diag *d, const char *path, struct seckey *k)
{
	uint8_t raw[SK_RAW], chk[32], pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	_cleanup_free_ char *text = NULL;
	crypto_generichash_state h;
	size_t len;
	int rc = read_file(path, &text, &len, MS_MAX_FILE);

	if (rc < 0) {
		diag_file_error(d, path, "cannot read the secret key: %s",
				rc == -EFBIG ? "too large for a minisign key" :
				strerror(-rc));
		return -1;
	}
	rc = -1;
	if (memchr(text, '\0', len) || key_line(text, len, raw) < 0) {
		diag_file_error(d, path, "not a minisign secret key (an "
				"'untrusted comment:' line, then the base64 of "
				"%d bytes)", SK_RAW);
		goto out;
	}
	if (memcmp(raw, "Ed", 2) != 0 || memcmp(raw + SK_CHKALG, "B2", 2)) {
		diag_file_error(d, path, "not an Ed25519 minisign secret key");
		goto out;
	}
	if (memcmp(raw + SK_KDF, "Sc", 2) == 0) {
		diag_file_error(d, path, "the secret key is encrypted with a "
				"password, which leash sign cannot read: use "
				"a key made by 'minisign -G -W', or remove "
				"the password with 'minisign -C -W', or sign "
				"with 'minisign -S -t \"leash-policy=NAME\"'");
		goto out;
	}
	if (!all_zero(raw + SK_KDF, 2)) {
		diag_file_error(d, path, "unknown key derivation '%c%c' in "
				"the secret key", raw[SK_KDF],
				raw[SK_KDF + 1]);
		goto out;
	}
	memcpy(k->keynum, raw + SK_KEYNUM, MS_KEYNUM);
	memcpy(k->sk, raw + SK_SECRET, sizeof(k->sk));
	crypto_generichash_init(&h, NULL, 0, sizeof(chk));
	crypto_generichash_update(&h, raw, 2);
	crypto_generichash_update(&h, raw + SK_KEYNUM, MS_KEYNUM + 64);
	crypto_generichash_final(&h, chk, sizeof(chk));
	if (!all_zero(raw + SK_CHK, 32) &&
	    sodium_memcmp(chk, raw + SK_CHK, 32) != 0) {
		diag_file_error(d, path, "the secret key's checksum does not "
				"match: a damaged key");
		goto out;
	}
	/* The public half stored in the key must be the seed's own, or
	 * the signatures would verify under no published key. */
	crypto_sign_seed_keypair(pk, sk, k->sk);
	if (sodium_memcmp(sk, k->sk, sizeof(sk)) != 0) {
		diag_file_error(d, path, "the secret key's public half does "
				"not match its seed: a damaged key");
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(sk, sizeof(sk));
	if (text)
		sodium_memzero(text, len);
	return rc;
}

/* @s as one word of a trusted comment: printable, no space or tab. */
static bool one_word(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s == 0x7f)
			return false;
	return true;
}

static void put_b64(struct strbuf *out, const uint8_t *bin, size_t len)
{
	char b64[256];

	sodium_bin2base64(b64, sizeof(b64), bin, len,
			  sodium_base64_VARIANT_ORIGINAL);
	sb_puts(out, b64);
	sb_putc(out, '\n');
}

/*
 * The signature file of the @len bytes at @data, policy @name, file
 * @base, into @out: minisign's four lines.
 */
static void make_sig(const struct seckey *k, const char *name,
		     const char *base, const void *data, size_t len,
		     struct strbuf *out)
{
	uint8_t digest[MS_PREHASH], line[2 + MS_KEYNUM + MS_SIGNATURE];
	uint8_t global[MS_SIGNATURE];
	struct strbuf tc = { 0 }, msg = { 0 };
	const char *p;

	crypto_generichash(digest, sizeof(digest), data, len, NULL, 0);
	memcpy(line, "ED", 2);
	memcpy(line + 2, k->keynum, MS_KEYNUM);
	crypto_sign_detached(line + 2 + MS_KEYNUM, NULL, digest,
			     sizeof(digest), k->sk);

	/* minisign's own comment, then ours.  A file name with spaces or
	 * control characters gets '?' for them: a trusted comment is one
	 * line, and words are what leash-exec reads in it. */
	sb_printf(&tc, "timestamp:%lld\tfile:", (long long)time(NULL));
	for (p = base; *p; p++)
		sb_putc(&tc, (unsigned char)*p <= ' ' ||
			(unsigned char)*p == 0x7f ? '?' : *p);
	sb_printf(&tc, "\thashed\t" MS_POLICY_WORD "%s", name);

	sb_putn(&msg, (const char *)line + 2 + MS_KEYNUM, MS_SIGNATURE);
	sb_putn(&msg, tc.s, tc.len);
	crypto_sign_detached(global, NULL, (const uint8_t *)msg.s, msg.len,
			     k->sk);

	sb_printf(out, MS_COMMENT "signature of leash policy '%s'\n", name);
	put_b64(out, line, sizeof(line));
	sb_printf(out, MS_TRUSTED "%s\n", tc.s);
	put_b64(out, global, sizeof(global));
	sb_free(&tc);
	sb_free(&msg);
}

/* Check @sig as leash-exec will, with the key's own public half. */
static int self_check(const struct seckey *k, const struct strbuf *sig,
		      const void *data, size_t len, const char **why)
{
	struct ms_pubkey pk;
	struct ms_sig s;

	memcpy(pk.keynum, k->keynum, MS_KEYNUM);
	crypto_sign_ed25519_sk_to_pk(pk.pk, k->sk);
	if (ms_read_sig(sig->s, sig->len, &s, why) < 0)
		return -1;
	return ms_verify(&s, &pk, data, len, why);
}

int cmd_sign(int argc, char **argv)
{
	_cleanup_free_ char *data = NULL, *dir = NULL, *name = NULL;
	struct strbuf sig = { 0 };
	struct lb_bundle b;
	struct seckey k;
	struct cli_opts o;
	struct diag d;
	const char *why = NULL, *file, *slash;
	size_t len;
	int rc = cli_parse(&sign_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	if (!o.seckey) {
		rc = cli_usage(&sign_cmd, "which key? -s KEY.sec is required");
		goto done;
	}
	diag_init(&d, stderr);
	d.prog = "leash sign";
	rc = EXIT_INPUT;
	memset(&k, 0, sizeof(k));
	memset(&b, 0, sizeof(b));
	file = o.args[0];
	if (sodium_init() < 0) {
		diag_plain_error(&d, "libsodium cannot start");
		goto out;
	}
	rc = read_file(file, &data, &len, LB_MAX_FILE);
	if (rc < 0) {
		diag_file_error(&d, file, "%s", rc == -EFBIG ?
				"larger than any bundle: not a leash bundle" :
				strerror(-rc));
		rc = EXIT_INPUT;
		goto out;
	}
	rc = EXIT_INPUT;
	/* The name signed is the one leash-exec will read from the
	 * bundle: so FILE must be one. */
	if (lb_parse(data, len, &b, &why) < 0) {
		diag_file_error(&d, file, "not a leash bundle (%s): leash "
				"sign signs the NAME.bundle files of 'leash "
				"compile -t bundle'", why);
		goto out;
	}
	if (!one_word(b.name)) {
		diag_file_error(&d, file, "the policy name '%s' cannot be one "
				"word of a trusted comment", b.name);
		goto out;
	}
	if (read_seckey(&d, o.seckey, &k) < 0)
		goto out;
	slash = strrchr(file, '/');
	dir = slash ? xstrndup(file, (size_t)(slash - file) + 1) :
		xstrdup(".");
	name = xasprintf("%s.minisig", slash ? slash + 1 : file);
	make_sig(&k, b.name, slash ? slash + 1 : file, data, len, &sig);
	if (self_check(&k, &sig, data, len, &why) < 0) {
		diag_plain_error(&d, "the signature just made does not verify "
				 "(%s): not written", why);
		goto out;
	}
	rc = write_atomic(dir, name, sig.s, sig.len);
	if (rc < 0) {
		diag_file_error(&d, file, "cannot write %s.minisig: %s", file,
				strerror(-rc));
		rc = EXIT_INPUT;
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(&k, sizeof(k));
	sb_free(&sig);
	lb_free(&b);
	diag_fini(&d);
done:
	cli_opts_free(&o);
	return rc;
}
