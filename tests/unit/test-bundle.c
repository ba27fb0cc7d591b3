/* SPDX-License-Identifier: MIT */
/*
 * test-bundle.c - the bundle: SHA-256, the writer, the reader.
 *
 *   sha256      the FIPS 180-4 vectors through libsodium, as the
 *               writer and the reader use it: one call and in odd pieces
 *   full        a policy using every section, compiled and read back;
 *               every field compared with values worked out by hand, and
 *               the file compared byte for byte with an independent
 *               encoder (so the writer's layout is the documented one)
 *   corpus      every policy of tests/valid and profiles: compiled, read
 *               back and compared with the flat view; every truncation
 *               and every single-byte change of each file refused
 *   kernel      a bundle's Landlock rules applied for real in a child, as
 *               a shim applies them: allowed reads, writes, execs and
 *               binds work, the rest fail with EACCES
 *   forged      bundles built here with a correct digest but content the
 *               reader must refuse (unknown or repeated section, counts
 *               beyond the limits, strings without NUL, bad padding, ...)
 */
#include "pipeline/driver.h"
#include "targets/landlock.h"

#include "runtime-shim/bundle.h"

#include <sodium/crypto_hash_sha256.h>

#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- SHA-256 ------------------------------------------------------------ */

static void hex(const uint8_t d[LB_DIGEST_LEN],
		char out[2 * LB_DIGEST_LEN + 1])
{
	int i;

	for (i = 0; i < (int)LB_DIGEST_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_digest(const void *data, size_t len, const char *want)
{
	crypto_hash_sha256_state s;
	uint8_t d[LB_DIGEST_LEN];
	char h[2 * LB_DIGEST_LEN + 1];
	const uint8_t *p = data;
	size_t off = 0, step = 1;

	crypto_hash_sha256(d, data, len);
	hex(d, h);
	ck_assert_str_eq(h, want);
	/* The same in growing, odd pieces: every buffer boundary. */
	crypto_hash_sha256_init(&s);
	while (off < len) {
		size_t n = len - off < step ? len - off : step;

		crypto_hash_sha256_update(&s, p + off, n);
		off += n;
		step = step * 3 + 1;
	}
	crypto_hash_sha256_final(&s, d);
	hex(d, h);
	ck_assert_str_eq(h, want);
}

START_TEST(test_sha256)
{
	static const char m448[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char *million = malloc(1000000);

	check_digest("abc", 3,
		     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_digest("", 0,
		     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_digest(m448, strlen(m448),
		     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	ck_assert_ptr_nonnull(million);
	memset(million, 'a', 1000000);
	check_digest(million, 1000000,
		     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}
END_TEST

/* ---- an independent encoder --------------------------------------------- */

struct enc {
	uint8_t *b;
	size_t len, cap;
	uint32_t nsec;
	size_t sec;		/* payload start of the open section */
};

static void e_bytes(struct enc *e, const void *p, size_t n)
{
	if (e->len + n > e->cap) {
		e->cap = (e->len + n) * 2 + 64;
		e->b = realloc(e->b, e->cap);
		ck_assert_ptr_nonnull(e->b);
	}
	if (n)
		memcpy(e->b + e->len, p, n);
	e->len += n;
}

static void e_u8(struct enc *e, uint8_t v)
{
	e_bytes(e, &v, 1);
}

static void e_u32(struct enc *e, uint32_t v)
{
	uint8_t c[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
			 v >> 24 };

	e_bytes(e, c, 4);
}

static void e_u64(struct enc *e, uint64_t v)
{
	e_u32(e, (uint32_t)(v & 0xffffffffu));
	e_u32(e, (uint32_t)(v >> 32));
}

static void e_pad(struct enc *e)
{
	while (e->len % 8)
		e_u8(e, 0);
}

static void e_str(struct enc *e, const char *s)
{
	e_bytes(e, s, strlen(s) + 1);
}

/* Starts the body after 64 bytes reserved for the header. */
static void e_init(struct enc *e)
{
	memset(e, 0, sizeof(*e));
	e_bytes(e, (uint8_t[LB_HEADER_SIZE]){ 0 }, LB_HEADER_SIZE);
}

static void e_begin(struct enc *e, uint32_t type)
{
	e_u32(e, type);
	e_u32(e, 0);
	e_u64(e, 0);
	e->sec = e->len;
	e->nsec++;
}

static void e_end(struct enc *e)
{
	uint64_t n = e->len - e->sec;
	int i;

	for (i = 0; i < 8; i++)
		e->b[e->sec - 8 + i] = (uint8_t)(n >> (8 * i));
	e_pad(e);
}

/* Header: magic, version, count, size, digest of the body. */
static void e_finish(struct enc *e)
{
	uint64_t size = e->len;
	int i;

	memcpy(e->b, LB_MAGIC, 8);
	for (i = 0; i < 4; i++) {
		e->b[8 + i] = (uint8_t)(LB_VERSION >> (8 * i));
		e->b[12 + i] = (uint8_t)(e->nsec >> (8 * i));
	}
	for (i = 0; i < 8; i++)
		e->b[16 + i] = (uint8_t)(size >> (8 * i));
	memset(e->b + 24, 0, 8);
	crypto_hash_sha256(e->b + 32, e->b + LB_HEADER_SIZE,
			   e->len - LB_HEADER_SIZE);
}

/* After editing the body: a correct digest again. */
static void redigest(uint8_t *b, size_t len)
{
	crypto_hash_sha256(b + 32, b + LB_HEADER_SIZE, len - LB_HEADER_SIZE);
}

/* ---- compiling policies ------------------------------------------------- */

struct compiled {
	struct leash_ctx ctx;
	char *diag;
	size_t diag_len;
	FILE *df;
};

static void load_text(struct compiled *c, const char *text)
{
	memset(c, 0, sizeof(*c));
	c->df = open_memstream(&c->diag, &c->diag_len);
	ck_assert_ptr_nonnull(c->df);
	leash_ctx_init(&c->ctx, c->df);
	res_load_buffer(&c->ctx, "<test>", text, strlen(text));
	front_finish(&c->ctx);
	fflush(c->df);
	ck_assert_msg(!diag_failed(&c->ctx.diag), "%s", c->diag);
}

static void load_file(struct compiled *c, const char *path)
{
	struct front_opts o = { 0 };

	memset(c, 0, sizeof(*c));
	c->df = open_memstream(&c->diag, &c->diag_len);
	ck_assert_ptr_nonnull(c->df);
	leash_ctx_init(&c->ctx, c->df);
	c->ctx.profile_dir = LEASH_SRC_PROFILE_DIR;
	VEC_PUSH(&o.include_dirs, (char *)LEASH_SRC_PROFILE_DIR);
	front_run(&c->ctx, &o, path);
	VEC_FREE(&o.include_dirs);
	fflush(c->df);
	ck_assert_msg(!diag_failed(&c->ctx.diag), "%s:\n%s", path, c->diag);
}

static void compiled_free(struct compiled *c)
{
	leash_ctx_fini(&c->ctx);
	fclose(c->df);
	free(c->diag);
}

/* Build the bundle of @name; returns the rc of build_artifacts(). */
static int bundle_of(struct compiled *c, const char *name,
		     struct artifacts *a)
{
	struct ast_policy *p = res_find_policy(&c->ctx, name);
	int rc;

	ck_assert_msg(p != NULL, "no policy %s", name);
	/* Only this build's notes count in has_note(). */
	diag_flush_notes(&c->ctx.diag, false);
	rc = build_artifacts(&c->ctx, p, BACKEND_NATIVE, TARGET_BUNDLE, ".",
			     a);
	fflush(c->df);
	return rc;
}

static bool has_note(const struct diag *d, const char *part)
{
	size_t i;

	for (i = 0; i < d->pending.n; i++)
		if (strstr(d->pending.v[i].text, part))
			return true;
	return false;
}

static void must_refuse(const void *d, size_t len, const char *why_part,
			const char *what)
{
	struct lb_bundle b;
	const char *why = NULL;

	ck_assert_msg(lb_parse(d, len, &b, &why) < 0, "accepted: %s", what);
	ck_assert_msg(why != NULL, "no reason: %s", what);
	ck_assert_msg(b.name == NULL && b.bpf == NULL && b.paths == NULL,
		      "output not empty after refusal: %s", what);
	if (why_part)
		ck_assert_msg(strstr(why, why_part) != NULL,
			      "%s: refused for '%s', expected '%s'", what,
			      why, why_part);
}

/* Every truncation, one extension and every single-byte change. */
static void tamper_all(const uint8_t *d, size_t len)
{
	uint8_t *buf = malloc(len + 1);
	size_t i;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, d, len);
	for (i = 0; i < len; i++)
		must_refuse(buf, i, NULL, "truncated");
	buf[len] = 0;
	must_refuse(buf, len + 1, NULL, "extended");
	for (i = 0; i < len; i++) {
		buf[i] ^= 0x01;
		must_refuse(buf, len, NULL, "one bit changed");
		buf[i] ^= 0x01 ^ 0xff;
		must_refuse(buf, len, NULL, "one byte inverted");
		buf[i] ^= 0xff;
	}
	free(buf);
}

/* ---- the full policy ---------------------------------------------------- */

static const char full_src[] =
	"policy full {\n"
	"  seccomp { allow read, write, exit_group; }\n"
	"  capabilities { base none; add CHOWN; ambient NET_BIND_SERVICE; }\n"
	"  filesystem {\n"
	"    allow r \"/usr/**\", \"/etc/*.conf\";\n"
	"    allow rw \"/tmp/{a,b}/**\";\n"
	"    allow rx \"/opt/app\\\\*x\";\n"
	"    allow l \"/srv/\";\n"
	"    allow rk \"/var/lock/**\";\n"
	"    deny w \"/tmp/a/secret\";\n"
	"    mask \"/proc/kcore\";\n"
	"  }\n"
	"  network { allow bind tcp 80, 443; allow connect tcp 443, 5432; }\n"
	"  apparmor { name \"my-prof\"; }\n"
	"  process {\n"
	"    no_new_privileges off;\n"
	"    user 1000:100;\n"
	"    groups 27, 1000;\n"
	"    namespaces user, pid, mount, time;\n"
	"    unscoped signal;\n"
	"  }\n"
	"  limits {\n"
	"    memory 256M; cpus 1.5; pids 100;\n"
	"    nofile 1024:4096; core 0; stack unlimited;\n"
	"  }\n"
	"}\n"
	"policy minimal { }\n"
	"policy nonet { network { none; } process { user 5; } }\n"
	"policy tinycpu { limits { cpus 0.005; } }\n"
	"policy onlydeny { filesystem { deny w \"/etc/**\"; } }\n";

/* Landlock rights spelled out from <linux/landlock.h>, not landlock.h. */
#define R 0xcull		/* READ_FILE | READ_DIR */
#define RW 0xfffeull		/* every right of ABI 7 but EXECUTE */
#define X 0x1ull
#define REFER 0x2000ull
#define NS_USER 0x10000000ull
#define NS_PID 0x20000000ull
#define NS_MOUNT 0x00020000ull
#define NS_TIME 0x00000080ull
#define NS_NET 0x40000000ull

START_TEST(test_full)
{
	static const struct {
		const char *path;
		uint64_t access;
	} paths[] = {
		{ "/usr", R }, { "/etc", R }, { "/tmp/a", RW },
		{ "/tmp/b", RW }, { "/opt/app*x", R | X }, { "/srv", REFER },
		{ "/var/lock", R },
	};
	struct compiled c;
	struct artifacts a;
	struct lb_bundle b;
	struct enc e;
	const char *why = NULL;
	size_t i;

	load_text(&c, full_src);
	ck_assert_int_eq(bundle_of(&c, "full", &a), 0);
	ck_assert_int_eq(lb_parse(a.bundle.s, a.bundle.len, &b, &why), 0);

	ck_assert_str_eq(b.name, "full");
	ck_assert_uint_eq(b.bpf_len, a.sc.bpf_len);
	for (i = 0; i < b.bpf_len; i++) {
		ck_assert_uint_eq(b.bpf[i].code, a.sc.bpf[i].code);
		ck_assert_uint_eq(b.bpf[i].jt, a.sc.bpf[i].jt);
		ck_assert_uint_eq(b.bpf[i].jf, a.sc.bpf[i].jf);
		ck_assert_uint_eq(b.bpf[i].k, a.sc.bpf[i].k);
	}
	/* CHOWN is 0, NET_BIND_SERVICE 10; ambient implies add. */
	ck_assert_uint_eq(b.caps[LB_CAP_BOUNDING], 0x401);
	ck_assert_uint_eq(b.caps[LB_CAP_EFFECTIVE], 0x401);
	ck_assert_uint_eq(b.caps[LB_CAP_PERMITTED], 0x401);
	ck_assert_uint_eq(b.caps[LB_CAP_INHERITABLE], 0x400);
	ck_assert_uint_eq(b.caps[LB_CAP_AMBIENT], 0x400);
	ck_assert(!b.nnp);
	ck_assert_str_eq(b.apparmor, "my-prof");
	ck_assert_uint_eq(b.apparmor_flags, LB_AA_REQUIRED);

	ck_assert(b.has_landlock);
	ck_assert_uint_eq(b.handled_fs, 0xffff);
	ck_assert_uint_eq(b.handled_net, 3);
	ck_assert_uint_eq(b.n_paths, ARRAY_SIZE(paths));
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		ck_assert_str_eq(b.paths[i].path, paths[i].path);
		ck_assert_uint_eq(b.paths[i].access, paths[i].access);
	}
	ck_assert_uint_eq(b.n_ports, 3);
	ck_assert_uint_eq(b.ports[0].port, 80);
	ck_assert_uint_eq(b.ports[0].access, 1);
	ck_assert_uint_eq(b.ports[1].port, 443);
	ck_assert_uint_eq(b.ports[1].access, 3);
	ck_assert_uint_eq(b.ports[2].port, 5432);
	ck_assert_uint_eq(b.ports[2].access, 2);

	ck_assert_uint_eq(b.user_flags,
			  LB_USER_UID | LB_USER_GID | LB_USER_GROUPS);
	ck_assert_uint_eq(b.uid, 1000);
	ck_assert_uint_eq(b.gid, 100);
	ck_assert_uint_eq(b.n_groups, 2);
	ck_assert_uint_eq(b.groups[0], 27);
	ck_assert_uint_eq(b.groups[1], 1000);

	ck_assert_uint_eq(b.n_rlimits, 3);
	ck_assert_uint_eq(b.rlimits[0].resource, RLIMIT_CORE);
	ck_assert_uint_eq(b.rlimits[0].soft, 0);
	ck_assert_uint_eq(b.rlimits[0].hard, 0);
	ck_assert_uint_eq(b.rlimits[1].resource, RLIMIT_NOFILE);
	ck_assert_uint_eq(b.rlimits[1].soft, 1024);
	ck_assert_uint_eq(b.rlimits[1].hard, 4096);
	ck_assert_uint_eq(b.rlimits[2].resource, RLIMIT_STACK);
	ck_assert_uint_eq(b.rlimits[2].soft, UINT64_MAX);
	ck_assert_uint_eq(b.rlimits[2].hard, UINT64_MAX);

	ck_assert_uint_eq(b.namespaces, NS_USER | NS_PID | NS_MOUNT | NS_TIME);
	ck_assert_uint_eq(b.memory_max, 256ull << 20);
	ck_assert_uint_eq(b.cpu_quota, 150000);
	ck_assert_uint_eq(b.cpu_period, 100000);
	ck_assert_uint_eq(b.pids_max, 100);

	/* What Landlock cannot say is said. */
	ck_assert(has_note(&c.ctx.diag, "widens 'allow r \"/etc/*.conf\"'"));
	ck_assert(has_note(&c.ctx.diag, "widens 'allow l \"/srv/\"'"));
	ck_assert(!has_note(&c.ctx.diag, "\"/usr/**\""));
	ck_assert(!has_note(&c.ctx.diag, "/tmp/{a,b}"));
	/* The deny inside /tmp/a is a read-only mount instead. */
	ck_assert(!has_note(&c.ctx.diag, "cannot deny inside an allowed tree"));
	ck_assert(has_note(&c.ctx.diag, "'k' (lock)"));
	ck_assert(has_note(&c.ctx.diag, "a path that does not exist then"));
	ck_assert(!has_note(&c.ctx.diag, "mounts nothing"));
	/* The filter denies chmod & co. and connect (default errno). */
	ck_assert(!has_note(&c.ctx.diag, "file metadata"));
	ck_assert(!has_note(&c.ctx.diag, "connect()"));
	ck_assert_uint_eq(b.scope_open, 2);
	ck_assert(b.has_mounts);
	ck_assert_uint_eq(b.mount_flags, 0);
	ck_assert_uint_eq(b.n_mounts, 2);
	ck_assert_uint_eq(b.mounts[0].kind, LB_MNT_READONLY);
	ck_assert_str_eq(b.mounts[0].path, "/tmp/a/secret");
	ck_assert_uint_eq(b.mounts[1].kind, LB_MNT_MASK);
	ck_assert_str_eq(b.mounts[1].path, "/proc/kcore");

	/* The same file from the encoder above, byte for byte. */
	e_init(&e);
	e_begin(&e, LB_SEC_NAME);
	e_str(&e, "full");
	e_end(&e);
	e_begin(&e, LB_SEC_SECCOMP);
	for (i = 0; i < a.sc.bpf_len; i++) {
		e_u8(&e, a.sc.bpf[i].code & 0xff);
		e_u8(&e, a.sc.bpf[i].code >> 8);
		e_u8(&e, a.sc.bpf[i].jt);
		e_u8(&e, a.sc.bpf[i].jf);
		e_u32(&e, a.sc.bpf[i].k);
	}
	e_end(&e);
	e_begin(&e, LB_SEC_CAPS);
	e_u64(&e, 0x401);
	e_u64(&e, 0x401);
	e_u64(&e, 0x401);
	e_u64(&e, 0x400);
	e_u64(&e, 0x400);
	e_end(&e);
	e_begin(&e, LB_SEC_NNP);
	e_u32(&e, 0);
	e_end(&e);
	e_begin(&e, LB_SEC_APPARMOR);
	e_u32(&e, LB_AA_REQUIRED);
	e_str(&e, "my-prof");
	e_end(&e);
	e_begin(&e, LB_SEC_LANDLOCK);
	e_u64(&e, 0xffff);
	e_u64(&e, 3);
	e_u32(&e, ARRAY_SIZE(paths));
	e_u32(&e, 3);
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		e_u64(&e, paths[i].access);
		e_u32(&e, (uint32_t)strlen(paths[i].path) + 1);
		e_u32(&e, 0);
		e_str(&e, paths[i].path);
		e_pad(&e);
	}
	e_u64(&e, 1);
	e_u64(&e, 80);
	e_u64(&e, 3);
	e_u64(&e, 443);
	e_u64(&e, 2);
	e_u64(&e, 5432);
	e_end(&e);
	e_begin(&e, LB_SEC_USER);
	e_u32(&e, 7);
	e_u32(&e, 1000);
	e_u32(&e, 100);
	e_u32(&e, 2);
	e_u32(&e, 27);
	e_u32(&e, 1000);
	e_end(&e);
	e_begin(&e, LB_SEC_RLIMITS);
	e_u32(&e, 3);
	e_u32(&e, 0);
	e_u32(&e, RLIMIT_CORE);
	e_u32(&e, 0);
	e_u64(&e, 0);
	e_u64(&e, 0);
	e_u32(&e, RLIMIT_NOFILE);
	e_u32(&e, 0);
	e_u64(&e, 1024);
	e_u64(&e, 4096);
	e_u32(&e, RLIMIT_STACK);
	e_u32(&e, 0);
	e_u64(&e, UINT64_MAX);
	e_u64(&e, UINT64_MAX);
	e_end(&e);
	e_begin(&e, LB_SEC_NAMESPACES);
	e_u64(&e, NS_USER | NS_PID | NS_MOUNT | NS_TIME);
	e_end(&e);
	e_begin(&e, LB_SEC_CGROUP);
	e_u64(&e, 256ull << 20);
	e_u64(&e, 150000);
	e_u64(&e, 100000);
	e_u64(&e, 100);
	e_end(&e);
	e_begin(&e, LB_SEC_SCOPE);
	e_u64(&e, 2);			/* LANDLOCK_SCOPE_SIGNAL */
	e_end(&e);
	e_begin(&e, LB_SEC_MOUNTS);
	e_u32(&e, 0);
	e_u32(&e, 2);
	e_u32(&e, LB_MNT_READONLY);
	e_u32(&e, (uint32_t)strlen("/tmp/a/secret") + 1);
	e_str(&e, "/tmp/a/secret");
	e_pad(&e);
	e_u32(&e, LB_MNT_MASK);
	e_u32(&e, (uint32_t)strlen("/proc/kcore") + 1);
	e_str(&e, "/proc/kcore");
	e_pad(&e);
	e_end(&e);
	e_finish(&e);
	ck_assert_uint_eq(a.bundle.len, e.len);
	ck_assert(memcmp(a.bundle.s, e.b, e.len) == 0);

	tamper_all((const uint8_t *)a.bundle.s, a.bundle.len);

	free(e.b);
	lb_free(&b);
	ck_assert_ptr_null(b.name);
	artifacts_free(&a);
	compiled_free(&c);
}
END_TEST

START_TEST(test_small_policies)
{
	struct compiled c;
	struct artifacts a;
	struct lb_bundle b;
	const char *why = NULL;

	load_text(&c, full_src);

	/* Only the required sections, with their defaults. */
	ck_assert_int_eq(bundle_of(&c, "minimal", &a), 0);
	ck_assert_int_eq(lb_parse(a.bundle.s, a.bundle.len, &b, &why), 0);
	ck_assert_str_eq(b.name, "minimal");
	ck_assert_uint_eq(b.caps[LB_CAP_BOUNDING], 0);
	ck_assert(b.nnp);
	ck_assert_ptr_null(b.apparmor);
	ck_assert(!b.has_landlock);
	ck_assert_uint_eq(b.user_flags, 0);
	ck_assert_uint_eq(b.n_rlimits, 0);
	ck_assert_uint_eq(b.namespaces, 0);
	ck_assert_uint_eq(b.memory_max | b.cpu_quota | b.pids_max, 0);
	/* magic + version + count 4: name, seccomp, caps, nnp */
	ck_assert_uint_eq((uint8_t)a.bundle.s[12], 4);
	lb_free(&b);
	artifacts_free(&a);

	/* network { none; } is a new network namespace; uid alone means
	 * gid = uid. */
	ck_assert_int_eq(bundle_of(&c, "nonet", &a), 0);
	ck_assert_int_eq(lb_parse(a.bundle.s, a.bundle.len, &b, &why), 0);
	ck_assert_uint_eq(b.namespaces, NS_NET);
	ck_assert_uint_eq(b.user_flags, LB_USER_UID | LB_USER_GID);
	ck_assert_uint_eq(b.uid, 5);
	ck_assert_uint_eq(b.gid, 5);
	ck_assert_uint_eq(b.n_groups, 0);
	ck_assert(!b.has_landlock);
	lb_free(&b);
	artifacts_free(&a);

	/* Below the kernel's smallest quota: an error, no bundle. */
	ck_assert_int_lt(bundle_of(&c, "tinycpu", &a), 0);
	ck_assert_msg(strstr(c.diag, "'cpus' below 0.01") != NULL, "%s",
		      c.diag);
	artifacts_free(&a);

	/* A deny without any allow: no ruleset, and a note says so. */
	ck_assert_int_eq(bundle_of(&c, "onlydeny", &a), 0);
	ck_assert_int_eq(lb_parse(a.bundle.s, a.bundle.len, &b, &why), 0);
	ck_assert(!b.has_landlock);
	ck_assert(has_note(&c.ctx.diag, "is not enforced by Landlock"));
	lb_free(&b);
	artifacts_free(&a);

	compiled_free(&c);
}
END_TEST

/* ---- mounts and scopes --------------------------------------------------- */

static const char mounts_src[] =
	"policy mnt {\n"
	"  seccomp { allow read, exit_group; }\n"
	"  filesystem {\n"
	"    read_only_root;\n"
	"    allow rwx \"/srv/**\";\n"
	"    deny w \"/srv/ro/**\";\n"		/* readonly /srv/ro */
	"    deny r \"/srv/secret\";\n"		/* mask */
	"    deny x \"/srv/bin/\";\n"		/* noexec /srv/bin */
	"    deny wx \"/srv/to\\\\*ols\";\n"	/* readonly + noexec */
	"    deny w \"/srv/*/log\";\n"		/* a glob: no mount */
	"    deny w \"/etc/**\";\n"		/* Landlock enforces it */
	"    deny w \"/srv/ro\";\n"		/* a repeat */
	"    deny l \"/srv/nolink\";\n"		/* no mount for links */
	"    mask \"/proc/kcore\", \"/srv/secret\";\n"
	"    readonly \"/proc/bus/\";\n"
	"  }\n"
	"  process { user 1000; unscoped signal, abstract_unix; }\n"
	"}\n"
	"policy deriv extends mnt {\n"
	"  filesystem { mask \"/srv/ro\"; }\n"
	"  process { unscoped abstract_unix; }\n"
	"}\n"
	"policy roroot { filesystem { read_only_root; } }\n"
	"policy plain { process { user 1000; } }\n"
	"policy nodeny {\n"
	"  filesystem { allow r \"/usr/**\"; deny w \"/usr/**\"; }\n"
	"  process { user 1000; }\n"
	"}\n";

static void check_mounts(const struct lb_bundle *b, uint32_t flags,
			 const uint32_t *kinds, const char *const *paths,
			 size_t n)
{
	size_t i;

	ck_assert(b->has_mounts);
	ck_assert_uint_eq(b->mount_flags, flags);
	ck_assert_uint_eq(b->n_mounts, n);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(b->mounts[i].kind, kinds[i]);
		ck_assert_str_eq(b->mounts[i].path, paths[i]);
	}
}

START_TEST(test_mounts)
{
	/* Under read_only_root, the tree the policy writes stays writable,
	 * first, so that the denies inside it go on top. */
	static const uint32_t kinds[] = {
		LB_MNT_WRITABLE, LB_MNT_READONLY, LB_MNT_MASK, LB_MNT_NOEXEC,
		LB_MNT_READONLY, LB_MNT_NOEXEC, LB_MNT_MASK, LB_MNT_READONLY,
	};
	static const char *const paths[] = {
		"/srv", "/srv/ro", "/srv/secret", "/srv/bin", "/srv/to*ols",
		"/srv/to*ols", "/proc/kcore", "/proc/bus",
	};
	/* Derived first: its mask, then the base's entries. */
	static const uint32_t dkinds[] = {
		LB_MNT_WRITABLE, LB_MNT_MASK, LB_MNT_READONLY, LB_MNT_MASK,
		LB_MNT_NOEXEC, LB_MNT_READONLY, LB_MNT_NOEXEC, LB_MNT_MASK,
		LB_MNT_READONLY,
	};
	static const char *const dpaths[] = {
		"/srv", "/srv/ro", "/srv/ro", "/srv/secret", "/srv/bin",
		"/srv/to*ols", "/srv/to*ols", "/proc/kcore", "/proc/bus",
	};
	struct strbuf many = { 0 };
	struct compiled c;
	struct artifacts a;
	struct lb_bundle b;
	const char *why = NULL;
	size_t i;

	load_text(&c, mounts_src);
	ck_assert_int_eq(bundle_of(&c, "mnt", &a), 0);
	ck_assert_int_eq(lb_parse(a.bundle.s, a.bundle.len, &b, &why), 0);
	check_mounts(&b, LB_MNT_READ_ONLY_ROOT, kinds, paths,
		     ARRAY_SIZE(kinds));
	ck_assert_uint_eq(b.scope_open, 3);
	/* What no mount enforces is said, and only that. */
	ck_assert(has_note(&c.ctx.diag, "'deny w \"/srv/*/log\"' is not "
					"enforced by leash-exec for this "
					"glob"));
	ck_assert(has_note(&c.ctx.diag, "under 'deny w \"/srv/*/log\"' "
					"paths stay writable"));
	ck_assert(has_note(&c.ctx.diag, "under 'deny l \"/srv/nolink\"'"));
	ck_assert(!has_note(&c.ctx.diag, "under 'deny w \"/srv/ro/**\"'"));
	ck_assert(!has_note(&c.ctx.diag, "under 'deny wx"));
	ck_assert(!has_note(&c.ctx.diag, "mounts nothing"));
	ck_assert(has_note(&c.ctx.diag, "a path that does not exist then"));
	/* The filter allows none of them, so only Landlock's gaps that it
	 * closes are left unsaid. */
	ck_assert(!has_note(&c.ctx.diag, "file metadata"));
	tamper_all((const uint8_t *)a.bundle.s, a.bundle.len);
	lb_free(&b);
	artifacts_free(&a);

	/* 'unscoped' is replaced, not added to, by a derived policy. */
	ck_assert_int_eq(bundle_of(&c, "deriv", &a), 0);
	ck_assert_int_eq(lb_parse(a.bundle.s, a.bundle.len, &b, &why), 0);
	check_mounts(&b, LB_MNT_READ_ONLY_ROOT, dkinds, dpaths,
		     ARRAY_SIZE(dkinds));
	ck_assert_uint_eq(b.scope_open, 1);
	lb_free(&b);
	artifacts_free(&a);

	/* read_only_root alone: the flag, no entry, no note about
	 * missing paths ('/' is always there). */
	ck_assert_int_eq(bundle_of(&c, "roroot", &a), 0);
	ck_assert_int_eq(lb_parse(a.bundle.s, a.bundle.len, &b, &why), 0);
	check_mounts(&b, LB_MNT_READ_ONLY_ROOT, NULL, NULL, 0);
	ck_assert_uint_eq(b.scope_open, 0);
	ck_assert(!has_note(&c.ctx.diag, "does not exist"));
	lb_free(&b);
	artifacts_free(&a);

	/* Nothing to mount, nothing scoped out: neither section. */
	ck_assert_int_eq(bundle_of(&c, "plain", &a), 0);
	ck_assert_int_eq(lb_parse(a.bundle.s, a.bundle.len, &b, &why), 0);
	ck_assert(!b.has_mounts);
	ck_assert_uint_eq(b.scope_open, 0);
	/* name, seccomp, caps, nnp, user */
	ck_assert_uint_eq((uint8_t)a.bundle.s[12], 5);
	lb_free(&b);
	artifacts_free(&a);

	/* A deny of what no allow rule grants: Landlock enforces it, so
	 * no mount and no note. */
	ck_assert_int_eq(bundle_of(&c, "nodeny", &a), 0);
	ck_assert_int_eq(lb_parse(a.bundle.s, a.bundle.len, &b, &why), 0);
	ck_assert(b.has_landlock);
	ck_assert(!b.has_mounts);
	ck_assert(!has_note(&c.ctx.diag, "deny w"));
	lb_free(&b);
	artifacts_free(&a);
	compiled_free(&c);

	/* One mount beyond the limit: an error at the path. */
	sb_puts(&many, "policy many { process { user 1; } filesystem {\n");
	for (i = 0; i <= LB_MAX_MOUNTS; i++)
		sb_printf(&many, "  mask \"/m/%zu\";\n", i);
	sb_puts(&many, "} }\n");
	load_text(&c, many.s);
	ck_assert_int_lt(bundle_of(&c, "many", &a), 0);
	ck_assert_msg(strstr(c.diag, "one mount too many") != NULL, "%s",
		      c.diag);
	artifacts_free(&a);
	compiled_free(&c);
	sb_free(&many);
}
END_TEST

/* Landlock's gaps, said unless the filter closes them. */
START_TEST(test_landlock_gaps)
{
	static const char src[] =
		"policy open {\n"
		"  seccomp { default allow; }\n"
		"  filesystem { allow r \"/usr/**\"; }\n"
		"  process { user 1000; }\n"
		"}\n"
		"policy some {\n"
		"  seccomp { allow read; allow chown, utimensat;\n"
		"            allow connect if arg0 == 3; }\n"
		"  filesystem { allow r \"/usr/**\"; }\n"
		"  process { user 1000; }\n"
		"}\n"
		"policy closed {\n"
		"  seccomp { default allow; deny @meta, connect; }\n"
		"  filesystem { allow r \"/usr/**\"; }\n"
		"  process { user 1000; }\n"
		"}\n"
		"group @meta { chmod, fchmod, fchmodat, fchmodat2, chown, fchown,\n"
		"  lchown, fchownat, setxattr, lsetxattr, fsetxattr, setxattrat,\n"
		"  removexattr, lremovexattr, fremovexattr, removexattrat, utime,\n"
		"  utimes, futimesat, utimensat }\n"
		"policy mux {\n"
		"  seccomp { arch x86_64, x86; default allow;\n"
		"            deny @meta, connect; }\n"
		"  filesystem { allow r \"/usr/**\"; }\n"
		"  process { user 1000; }\n"
		"}\n"
		"policy nolist { seccomp { default allow; } process { user 1; } }\n";
	struct compiled c;
	struct artifacts a;

	load_text(&c, src);
	ck_assert_int_eq(bundle_of(&c, "open", &a), 0);
	ck_assert(has_note(&c.ctx.diag, "call chmod, fchmod, fchmodat, "
					"fchmodat2, chown,"));
	ck_assert(has_note(&c.ctx.diag, "utimensat on files outside"));
	ck_assert(has_note(&c.ctx.diag, "connect() to a unix socket"));
	artifacts_free(&a);

	/* Only what the filter allows, a conditional allow included. */
	ck_assert_int_eq(bundle_of(&c, "some", &a), 0);
	ck_assert(has_note(&c.ctx.diag, "can still call chown, utimensat "
					"on files"));
	ck_assert(has_note(&c.ctx.diag, "deny 'connect' in"));
	artifacts_free(&a);

	ck_assert_int_eq(bundle_of(&c, "closed", &a), 0);
	ck_assert(!has_note(&c.ctx.diag, "file metadata"));
	ck_assert(!has_note(&c.ctx.diag, "connect()"));
	artifacts_free(&a);

	/* x86 connects through socketcall() too. */
	ck_assert_int_eq(bundle_of(&c, "mux", &a), 0);
	ck_assert(!has_note(&c.ctx.diag, "file metadata"));
	ck_assert(has_note(&c.ctx.diag, "deny 'socketcall' in"));
	artifacts_free(&a);

	/* No allow-list: nothing for Landlock to leave open. */
	ck_assert_int_eq(bundle_of(&c, "nolist", &a), 0);
	ck_assert(!has_note(&c.ctx.diag, "file metadata"));
	ck_assert(!has_note(&c.ctx.diag, "connect()"));
	artifacts_free(&a);
	compiled_free(&c);
}
END_TEST

/* ---- every policy of the tree ------------------------------------------- */

/* CLONE_NEW* of the flat view, from a table of our own. */
static uint64_t ns_of(const struct flat_policy *f)
{
	static const char *const names[] = {
		"user", "pid", "mount", "time", "net", "ipc", "uts", "cgroup",
	};
	static const uint64_t flags[] = {
		NS_USER, NS_PID, NS_MOUNT, NS_TIME, NS_NET, 0x08000000,
		0x04000000, 0x02000000,
	};
	uint64_t ns = 0;
	size_t i, k;

	for (i = 0; f->namespaces && i < f->namespaces->namespaces.n; i++)
		for (k = 0; k < ARRAY_SIZE(names); k++)
			if (!strcmp(f->namespaces->namespaces.v[i].s, names[k]))
				ns |= flags[k];
	for (i = 0; i < f->n_net; i++)
		if (f->net[i]->kind == NET_NONE)
			ns |= NS_NET;
	return ns;
}

/* The bundle of @p against the flat view and ll_build(). */
static void compare_flat(struct compiled *c, const struct ast_policy *p,
			 const struct artifacts *a, const struct lb_bundle *b)
{
	struct flat_policy f;
	struct ll_ruleset ll;
	size_t i, nr = 0;
	bool aa = false;

	ck_assert_int_eq(flat_build(&c->ctx, p, &f), 0);
	ck_assert_str_eq(b->name, p->name.s);
	ck_assert_uint_eq(b->bpf_len, a->sc.bpf_len);
	for (i = 0; i < b->bpf_len; i++)
		ck_assert(b->bpf[i].code == a->sc.bpf[i].code &&
			  b->bpf[i].jt == a->sc.bpf[i].jt &&
			  b->bpf[i].jf == a->sc.bpf[i].jf &&
			  b->bpf[i].k == a->sc.bpf[i].k);
	ck_assert_uint_eq(b->caps[LB_CAP_BOUNDING], f.caps);
	ck_assert_uint_eq(b->caps[LB_CAP_EFFECTIVE], f.caps);
	ck_assert_uint_eq(b->caps[LB_CAP_PERMITTED], f.caps);
	ck_assert_uint_eq(b->caps[LB_CAP_INHERITABLE], f.ambient);
	ck_assert_uint_eq(b->caps[LB_CAP_AMBIENT], f.ambient);
	ck_assert(b->nnp == !(f.nnp && f.nnp->nnp_value.s &&
			      strcmp(f.nnp->nnp_value.s, "off") == 0));
	for (i = 0; i < f.n_chain; i++)
		aa |= f.chain[i]->apparmor.n > 0;
	ck_assert(aa == (b->apparmor != NULL));

	ck_assert_int_eq(ll_build(&c->ctx, &f, &ll), 0);
	ck_assert(b->has_landlock == (ll.handled_fs || ll.handled_net));
	ck_assert_uint_eq(b->handled_fs, ll.handled_fs);
	ck_assert_uint_eq(b->handled_net, ll.handled_net);
	ck_assert_uint_eq(b->n_paths, ll.paths.n);
	for (i = 0; i < ll.paths.n; i++) {
		ck_assert_str_eq(b->paths[i].path, ll.paths.v[i].path);
		ck_assert_uint_eq(b->paths[i].access, ll.paths.v[i].access);
	}
	ck_assert_uint_eq(b->n_ports, ll.ports.n);
	for (i = 0; i < ll.ports.n; i++) {
		ck_assert_uint_eq(b->ports[i].port, ll.ports.v[i].port);
		ck_assert_uint_eq(b->ports[i].access, ll.ports.v[i].access);
	}
	ll_ruleset_free(&ll);

	ck_assert(!!(b->user_flags & LB_USER_UID) == !!f.user);
	ck_assert(!!(b->user_flags & LB_USER_GROUPS) == !!f.groups);
	if (f.groups)
		ck_assert_uint_eq(b->n_groups, f.groups->groups.n);
	for (i = 0; i < FL_COUNT; i++)
		if (f.limits[i] && flat_limit_info(i)->resource >= 0)
			nr++;
	ck_assert_uint_eq(b->n_rlimits, nr);
	ck_assert(!!b->memory_max == !!f.limits[FL_MEMORY]);
	ck_assert(!!b->cpu_quota == !!f.limits[FL_CPUS]);
	ck_assert(!!b->pids_max == !!f.limits[FL_PIDS]);
	ck_assert_uint_eq(b->namespaces, ns_of(&f));
	/* LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET 1, _SIGNAL 2. */
	for (i = 0, nr = 0; f.unscoped && i < f.unscoped->scopes.n; i++)
		nr |= strcmp(f.unscoped->scopes.v[i].s, "signal") ? 1 : 2;
	ck_assert_uint_eq(b->scope_open, nr);
	ck_assert(!!(b->mount_flags & LB_MNT_READ_ONLY_ROOT) ==
		  f.read_only_root);
	for (i = 0; i < f.n_fs; i++)
		if (f.fs[i]->kind == FS_MASK || f.fs[i]->kind == FS_READONLY)
			ck_assert(b->has_mounts && b->n_mounts > 0);
	for (i = 0; i < b->n_mounts; i++)
		ck_assert(b->mounts[i].path[0] == '/');
	flat_free(&f);
}

static size_t corpus_file(const char *path)
{
	struct compiled c;
	size_t i, n = 0;

	load_file(&c, path);
	for (i = 0; i < c.ctx.policies.n; i++) {
		const struct ast_policy *p = c.ctx.policies.v[i];
		struct artifacts a;
		struct lb_bundle b;
		const char *why = NULL;

		ck_assert_msg(bundle_of(&c, p->name.s, &a) == 0,
			      "%s: %s:\n%s", path, p->name.s, c.diag);
		ck_assert_msg(lb_parse(a.bundle.s, a.bundle.len, &b, &why) == 0,
			      "%s: %s: %s", path, p->name.s, why);
		compare_flat(&c, p, &a, &b);
		tamper_all((const uint8_t *)a.bundle.s, a.bundle.len);
		lb_free(&b);
		artifacts_free(&a);
		n++;
	}
	compiled_free(&c);
	return n;
}

static size_t corpus_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char *path;

		if (len < 7 || strcmp(de->d_name + len - 6, ".leash") != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		n += corpus_file(path);
		free(path);
	}
	closedir(d);
	return n;
}

START_TEST(test_corpus)
{
	size_t n = 0;

	n += corpus_dir(LEASH_SRC_DIR "/tests/valid");
	n += corpus_dir(LEASH_SRC_PROFILE_DIR);
	ck_assert_uint_ge(n, 8);
}
END_TEST

/* ---- Landlock for real -------------------------------------------------- */

/* The kernel's structures, spelled out: this machine's <linux/landlock.h>
 * predates the network rules. */
#define LL_CREATE_RULESET_VERSION 1u

struct ll_attr {
	uint64_t fs, net;
};

struct ll_beneath {
	uint64_t access;
	int32_t fd;
} __attribute__((packed));

struct ll_net {
	uint64_t access, port;
};

/* What a shim does with the LANDLOCK section; 0 or the failing step. */
static int apply_landlock(const struct lb_bundle *b)
{
	struct ll_attr attr = { b->handled_fs, b->handled_net };
	int rs, fd;
	size_t i;

	rs = (int)syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr),
			  0);
	if (rs < 0)
		return 1;
	for (i = 0; i < b->n_paths; i++) {
		struct ll_beneath pb;
		struct stat st;

		fd = open(b->paths[i].path, O_PATH | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0)
			return 2;
		pb.access = b->paths[i].access;
		if (!S_ISDIR(st.st_mode))
			pb.access &= LB_LL_FILE_ACCESS;
		pb.fd = fd;
		if (syscall(__NR_landlock_add_rule, rs, 1, &pb, 0) < 0)
			return 3;
		close(fd);
	}
	for (i = 0; i < b->n_ports; i++) {
		struct ll_net np = { b->ports[i].access, b->ports[i].port };

		if (syscall(__NR_landlock_add_rule, rs, 2, &np, 0) < 0)
			return 4;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(__NR_landlock_restrict_self, rs, 0) < 0)
		return 5;
	close(rs);
	return 0;
}

/* 0 when open(@path, @flags) does what @ok says, else 1 (and why). */
static int try_open(const char *path, int flags, bool ok)
{
	int fd = open(path, flags | O_CLOEXEC, 0600);

	if (fd >= 0)
		close(fd);
	if ((fd >= 0) == ok && (ok || errno == EACCES))
		return 0;
	fprintf(stderr, "open %s: %s, expected %s\n", path,
		fd >= 0 ? "ok" : strerror(errno), ok ? "ok" : "EACCES");
	return 1;
}

static int try_bind(uint16_t port, bool ok)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rc = bind(s, (struct sockaddr *)&sa, sizeof(sa));
	close(s);
	if ((rc == 0) == ok && (ok || errno == EACCES))
		return 0;
	fprintf(stderr, "bind %u: %s, expected %s\n", port,
		rc == 0 ? "ok" : strerror(errno), ok ? "ok" : "EACCES");
	return 1;
}

static int try_exec(const char *path, bool ok)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execl(path, "true", (char *)NULL);
		_exit(errno == EACCES ? 100 : 101);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return 1;
	if ((WEXITSTATUS(st) == 0) == ok &&
	    (ok || WEXITSTATUS(st) == 100))
		return 0;
	fprintf(stderr, "exec %s: status %d, expected %s\n", path,
		WEXITSTATUS(st), ok ? "0" : "EACCES");
	return 1;
}

static void make_dir(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);

	ck_assert_int_eq(mkdir(p, 0755), 0);
	free(p);
}

/* Copy @from to @dir/@name. */
static void put_file(const char *from, const char *dir, const char *name,
		     mode_t mode)
{
	char *buf, *to = xasprintf("%s/%s", dir, name);
	size_t len;
	int fd;

	ck_assert_int_eq(read_file(from, &buf, &len, 1u << 26), 0);
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
	free(buf);
	free(to);
}

START_TEST(test_kernel)
{
	char dir[] = "/tmp/leash-bundle-XXXXXX";
	struct compiled c;
	struct artifacts a;
	struct lb_bundle b;
	const char *why;
	char *src, *p;
	uint16_t port = (uint16_t)(40000 + getpid() % 20000);
	long abi;
	pid_t pid;
	int st;

	abi = syscall(__NR_landlock_create_ruleset, NULL, 0,
		      LL_CREATE_RULESET_VERSION);
	ck_assert_msg(abi >= 4, "Landlock ABI %ld: network rules need 4", abi);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	make_dir(dir, "ro");
	make_dir(dir, "rw");
	make_dir(dir, "none");
	make_dir(dir, "bin");
	put_file("/etc/hostname", dir, "ro/f", 0644);
	put_file("/etc/hostname", dir, "none/f", 0644);
	put_file("/bin/busybox", dir, "ro/busybox", 0755);
	put_file("/bin/busybox", dir, "bin/busybox", 0755);

	src = xasprintf("policy live {\n"
			"  filesystem {\n"
			"    allow r \"%s/ro/**\";\n"
			"    allow rw \"%s/rw/**\";\n"
			"    allow rx \"%s/bin/busybox\";\n"
			"  }\n"
			"  network { allow bind tcp %u; }\n"
			"}\n", dir, dir, dir, port);
	load_text(&c, src);
	ck_assert_int_eq(bundle_of(&c, "live", &a), 0);
	ck_assert_int_eq(lb_parse(a.bundle.s, a.bundle.len, &b, &why), 0);
	ck_assert_uint_eq(b.n_paths, 3);

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int bad = apply_landlock(&b), rc;
		char *q;

		if (bad)
			_exit(100 + bad);
		q = xasprintf("%s/ro/f", dir);
		bad += try_open(q, O_RDONLY, true);
		bad += try_open(q, O_WRONLY, false);
		free(q);
		q = xasprintf("%s/ro/new", dir);
		bad += try_open(q, O_WRONLY | O_CREAT, false);
		free(q);
		q = xasprintf("%s/rw/new", dir);
		bad += try_open(q, O_WRONLY | O_CREAT, true);
		bad += try_open(q, O_RDWR | O_TRUNC, true);
		rc = unlink(q);
		bad += rc != 0;
		free(q);
		q = xasprintf("%s/none/f", dir);
		bad += try_open(q, O_RDONLY, false);
		free(q);
		bad += try_open("/etc/hostname", O_RDONLY, false);
		q = xasprintf("%s/bin/busybox", dir);
		bad += try_exec(q, true);
		free(q);
		q = xasprintf("%s/ro/busybox", dir);
		bad += try_exec(q, false);
		free(q);
		bad += try_bind(port, true);
		bad += try_bind((uint16_t)(port + 1), false);
		_exit(bad);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	p = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(p), 0);
	free(p);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "Landlock in the child: status %d (>100: setup step)",
		      WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	free(src);
	lb_free(&b);
	artifacts_free(&a);
	compiled_free(&c);
}
END_TEST

/* ---- forged bundles ----------------------------------------------------- */

/* Which part of a valid forged bundle to spoil. */
enum spoil {
	OK, UNKNOWN_SEC, ZERO_SEC, REPEATED, MISSING, TOO_MANY_INSNS,
	RAGGED_BPF, TOO_MANY_PATHS, TOO_MANY_PORTS, TOO_MANY_GROUPS,
	TOO_MANY_RLIMITS, NAME_NO_NUL, NAME_INNER_NUL, NAME_EMPTY,
	PATH_NO_NUL, PATH_RELATIVE, PATH_LEN_BEYOND, BAD_PAD, BAD_PATH_PAD,
	RESERVED_SEC, NNP_TWO, AA_FLAG, LL_UNKNOWN_RIGHT, LL_UNHANDLED,
	LL_NOTHING, PORT_RANGE, USER_FLAG, UID_NO_FLAG, UID_MINUS1,
	GROUPS_NO_FLAG, RLIM_RESOURCE, RLIM_REPEAT, RLIM_SOFT_HARD,
	NS_UNKNOWN, CPU_HALF, CPU_TINY, TRAILING, COUNT_LOW, COUNT_HIGH,
	PAYLOAD_PAST_END, CAPS_SHORT, SCOPE_UNKNOWN, SCOPE_LONG, MNT_FLAG,
	MNT_KIND_ZERO, MNT_KIND_HIGH, MNT_RELATIVE, MNT_PATH_PAD,
	TOO_MANY_MOUNTS, MNT_SHORT, SPOILS
};

static void forge(struct enc *e, enum spoil s)
{
	uint32_t i, n;

	e_init(e);
	if (s != MISSING) {
		e_begin(e, LB_SEC_NAME);
		if (s == NAME_NO_NUL)
			e_bytes(e, "forged", 6);
		else if (s == NAME_INNER_NUL)
			e_bytes(e, "for\0ged", 8);
		else
			e_str(e, s == NAME_EMPTY ? "" : "forged");
		e_end(e);
	}
	e_begin(e, s == ZERO_SEC ? 0 : LB_SEC_SECCOMP);
	n = s == TOO_MANY_INSNS ? LB_MAX_BPF + 1 : 1;
	for (i = 0; i < n; i++) {
		e_u32(e, 0x06);		/* BPF_RET | BPF_K */
		e_u32(e, 0x7fff0000);	/* SECCOMP_RET_ALLOW */
	}
	if (s == RAGGED_BPF)
		e_u32(e, 0);
	e_end(e);
	e_begin(e, LB_SEC_CAPS);
	for (i = 0; i < (s == CAPS_SHORT ? 4u : 5u); i++)
		e_u64(e, 0);
	e_end(e);
	e_begin(e, LB_SEC_NNP);
	e_u32(e, s == NNP_TWO ? 2 : 1);
	e_end(e);
	e_begin(e, LB_SEC_APPARMOR);
	e_u32(e, s == AA_FLAG ? 2 : 1);
	e_str(e, "forged");
	e_end(e);

	e_begin(e, LB_SEC_LANDLOCK);
	e_u64(e, s == LL_UNKNOWN_RIGHT ? 0x1ffff :
		 s == LL_NOTHING ? 0 : 0xffff);
	e_u64(e, s == LL_NOTHING ? 0 : 1);
	n = s == TOO_MANY_PATHS ? LB_MAX_PATHS + 1 : 2;
	e_u32(e, n);
	e_u32(e, s == TOO_MANY_PORTS ? LB_MAX_PORTS + 1 : 1);
	for (i = 0; i < n; i++) {
		const char *p = i ? "/usr/lib" : "/tmp";

		if (s == PATH_RELATIVE && i)
			p = "usr/lib";
		e_u64(e, s == LL_UNHANDLED && i ? 0x10000 : R);
		e_u32(e, s == PATH_LEN_BEYOND && i ? 100000 :
			 (uint32_t)strlen(p) + 1);
		e_u32(e, 0);
		if (s == PATH_NO_NUL && i)
			e_bytes(e, "/usr/lib!", 9);
		else
			e_str(e, p);
		e_pad(e);
		if (s == BAD_PATH_PAD && i)
			e->b[e->len - 1] = 1;
	}
	for (i = 0; i < (s == TOO_MANY_PORTS ? LB_MAX_PORTS + 1 : 1); i++) {
		e_u64(e, 1);
		e_u64(e, s == PORT_RANGE ? 65536 : 8080 + i);
	}
	e_end(e);

	e_begin(e, LB_SEC_USER);
	e_u32(e, s == USER_FLAG ? 8 : s == UID_NO_FLAG ? LB_USER_GID :
		 s == GROUPS_NO_FLAG ? LB_USER_UID | LB_USER_GID : 7);
	e_u32(e, s == UID_MINUS1 ? UINT32_MAX : 1000);
	e_u32(e, 1000);
	n = s == TOO_MANY_GROUPS ? LB_MAX_GROUPS + 1 : 2;
	e_u32(e, n);
	for (i = 0; i < n; i++)
		e_u32(e, 100 + i);
	e_end(e);

	e_begin(e, LB_SEC_RLIMITS);
	n = s == TOO_MANY_RLIMITS ? LB_MAX_RLIMITS + 1 : 2;
	e_u32(e, n);
	e_u32(e, 0);
	for (i = 0; i < n; i++) {
		uint32_t res = i;

		if (s == RLIM_RESOURCE && i)
			res = 16;
		if (s == RLIM_REPEAT && i)
			res = 0;
		e_u32(e, res);
		e_u32(e, 0);
		e_u64(e, s == RLIM_SOFT_HARD && i ? 10 : 5);
		e_u64(e, 5);
	}
	e_end(e);

	e_begin(e, s == REPEATED ? LB_SEC_NNP : LB_SEC_NAMESPACES);
	e_u64(e, s == NS_UNKNOWN ? NS_USER | 1 : NS_USER | NS_NET);
	e_end(e);

	e_begin(e, s == UNKNOWN_SEC ? LB_SEC_MAX + 1 : LB_SEC_CGROUP);
	e_u64(e, 1 << 20);
	e_u64(e, s == CPU_TINY ? 999 : 50000);
	e_u64(e, s == CPU_HALF ? 0 : 100000);
	e_u64(e, 10);
	e_end(e);

	e_begin(e, LB_SEC_SCOPE);
	e_u64(e, s == SCOPE_UNKNOWN ? 4 : 3);
	if (s == SCOPE_LONG)
		e_u64(e, 0);
	e_end(e);

	e_begin(e, LB_SEC_MOUNTS);
	e_u32(e, s == MNT_FLAG ? 2 : LB_MNT_READ_ONLY_ROOT);
	n = s == TOO_MANY_MOUNTS ? LB_MAX_MOUNTS + 1 : 3;
	e_u32(e, s == MNT_SHORT ? n + 1 : n);
	for (i = 0; i < n; i++) {
		const char *p = i == 2 && s == MNT_RELATIVE ? "srv" : "/srv";
		uint32_t kind = LB_MNT_MASK + i % 3;

		if (s == MNT_KIND_ZERO && i == 2)
			kind = 0;
		if (s == MNT_KIND_HIGH && i == 2)
			kind = LB_MNT_KIND_MAX + 1;
		e_u32(e, kind);
		e_u32(e, (uint32_t)strlen(p) + 1);
		e_str(e, p);
		e_pad(e);
		if (s == MNT_PATH_PAD && i == 2)
			e->b[e->len - 1] = 1;
	}
	e_end(e);
	/* The last section: say 8 bytes more than there are. */
	if (s == PAYLOAD_PAST_END)
		e->b[e->sec - 8] += 8;

	/* The name section comes first: "forged" and its NUL are 7 bytes,
	 * then one byte of padding. */
	if (s == BAD_PAD)
		e->b[LB_HEADER_SIZE + 16 + 7] = 0x20;
	if (s == RESERVED_SEC)
		e->b[LB_HEADER_SIZE + 4] = 1;
	if (s == TRAILING)
		e_u64(e, 0);
	e_finish(e);
	if (s == COUNT_LOW || s == COUNT_HIGH)
		e->b[12] = (uint8_t)(s == COUNT_LOW ? e->nsec - 1 :
				     LB_SEC_MAX + 1);
}

START_TEST(test_forged)
{
	static const char *const why[SPOILS] = {
		[UNKNOWN_SEC] = "unknown section",
		[ZERO_SEC] = "unknown section",
		[REPEATED] = "repeated section",
		[MISSING] = "required section",
		[TOO_MANY_INSNS] = "BPF_MAXINSNS",
		[RAGGED_BPF] = "ragged",
		[TOO_MANY_PATHS] = "too many Landlock rules",
		[TOO_MANY_PORTS] = "too many Landlock rules",
		[TOO_MANY_GROUPS] = "too many groups",
		[TOO_MANY_RLIMITS] = "too many rlimits",
		[NAME_NO_NUL] = "not NUL-terminated",
		[NAME_INNER_NUL] = "embedded NUL",
		[NAME_EMPTY] = "string empty",
		[PATH_NO_NUL] = "not NUL-terminated",
		[PATH_RELATIVE] = "not absolute",
		[PATH_LEN_BEYOND] = "length limit",
		[BAD_PAD] = "padding",
		[BAD_PATH_PAD] = "padding",
		[RESERVED_SEC] = "reserved",
		[NNP_TWO] = "no_new_privs",
		[AA_FLAG] = "AppArmor flag",
		[LL_UNKNOWN_RIGHT] = "unknown Landlock access right",
		[LL_UNHANDLED] = "not handled",
		[LL_NOTHING] = "handles nothing",
		[PORT_RANGE] = "beyond 65535",
		[USER_FLAG] = "unknown user flag",
		[UID_NO_FLAG] = "without its flag",
		[UID_MINUS1] = "uid or gid invalid",
		[GROUPS_NO_FLAG] = "groups without their flag",
		[RLIM_RESOURCE] = "unknown or repeated rlimit",
		[RLIM_REPEAT] = "unknown or repeated rlimit",
		[RLIM_SOFT_HARD] = "soft value above hard",
		[NS_UNKNOWN] = "unknown namespace flag",
		[CPU_HALF] = "cpu quota",
		[CPU_TINY] = "cpu quota",
		[TRAILING] = "bytes after the last section",
		[COUNT_LOW] = "bytes after the last section",
		[COUNT_HIGH] = "more sections",
		[PAYLOAD_PAST_END] = "past the end",
		[CAPS_SHORT] = "too short",
		[SCOPE_UNKNOWN] = "unknown Landlock scope",
		[SCOPE_LONG] = "too long",
		[MNT_FLAG] = "unknown flags",
		[MNT_KIND_ZERO] = "unknown kind",
		[MNT_KIND_HIGH] = "unknown kind",
		[MNT_RELATIVE] = "not absolute",
		[MNT_PATH_PAD] = "padding",
		[TOO_MANY_MOUNTS] = "too many entries",
		[MNT_SHORT] = "unknown kind",
	};
	struct lb_bundle b;
	const char *w = NULL;
	struct enc e;
	int s;

	/* The unspoiled forgery is valid: the refusals below are due to
	 * the one change each makes. */
	forge(&e, OK);
	ck_assert_msg(lb_parse(e.b, e.len, &b, &w) == 0, "%s", w);
	ck_assert_str_eq(b.name, "forged");
	ck_assert_uint_eq(b.n_paths, 2);
	ck_assert_str_eq(b.paths[1].path, "/usr/lib");
	ck_assert_uint_eq(b.n_groups, 2);
	ck_assert_uint_eq(b.n_rlimits, 2);
	ck_assert_uint_eq(b.scope_open, 3);
	ck_assert_uint_eq(b.mount_flags, LB_MNT_READ_ONLY_ROOT);
	ck_assert_uint_eq(b.n_mounts, 3);
	ck_assert_uint_eq(b.mounts[2].kind, LB_MNT_NOEXEC);
	ck_assert_str_eq(b.mounts[2].path, "/srv");
	lb_free(&b);
	tamper_all(e.b, e.len);
	free(e.b);

	for (s = OK + 1; s < SPOILS; s++) {
		char what[32];

		snprintf(what, sizeof(what), "spoil %d", s);
		forge(&e, (enum spoil)s);
		must_refuse(e.b, e.len, why[s], what);
		free(e.b);
	}
}
END_TEST

START_TEST(test_header)
{
	struct enc e;
	uint8_t *big;

	forge(&e, OK);
	must_refuse(NULL, 0, "truncated", "nothing");
	must_refuse(e.b, 63, "truncated", "63 bytes");
	e.b[0] = 'l';
	must_refuse(e.b, e.len, "magic", "lowercase magic");
	e.b[0] = 'L';
	e.b[8] = 2;
	must_refuse(e.b, e.len, "version", "version 2");
	e.b[8] = 0;
	must_refuse(e.b, e.len, "version", "version 0");
	e.b[8] = 1;
	e.b[24] = 1;
	must_refuse(e.b, e.len, "reserved", "reserved header byte");
	e.b[24] = 0;
	e.b[40] ^= 1;
	must_refuse(e.b, e.len, "digest", "digest");
	e.b[40] ^= 1;
	/* A size field that says more than is there. */
	e.b[16] += 8;
	must_refuse(e.b, e.len, "size mismatch", "size");
	e.b[16] -= 8;
	/* A body edited and its digest recomputed still parses, so the
	 * forged tests reach the content checks. */
	redigest(e.b, e.len);
	{
		struct lb_bundle b;
		const char *w;

		ck_assert_int_eq(lb_parse(e.b, e.len, &b, &w), 0);
		lb_free(&b);
	}
	free(e.b);

	/* Beyond the file limit: refused before hashing. */
	big = calloc(1, LB_MAX_FILE + 1);
	ck_assert_ptr_nonnull(big);
	memcpy(big, LB_MAGIC, 8);
	big[8] = LB_VERSION;
	big[16] = 1;
	big[16 + 2] = 0x40;	/* size 4 MiB + 1 */
	must_refuse(big, LB_MAX_FILE + 1, "size limit", "5 MiB");
	free(big);
}
END_TEST

static Suite *bundle_suite(void)
{
	Suite *s = suite_create("bundle");
	TCase *tc = tcase_create("bundle");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_sha256);
	tcase_add_test(tc, test_header);
	tcase_add_test(tc, test_forged);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_small_policies);
	tcase_add_test(tc, test_mounts);
	tcase_add_test(tc, test_landlock_gaps);
	tcase_add_test(tc, test_corpus);
	tcase_add_test(tc, test_kernel);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(bundle_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
