/* SPDX-License-Identifier: MIT */
/*
 * ed25519.c - Ed25519 signature verification (RFC 8032 section 5.1.7),
 * with libsodium 1.0.18's extra checks, so that leash-exec accepts
 * exactly the signatures it accepted when it called
 * crypto_sign_verify_detached() (crypto.h).
 *
 * Verification handles public data only, so everything here is
 * variable-time and written to be read: field elements in five 51-bit
 * limbs multiplied through unsigned __int128, the complete twisted
 * Edwards formulas of RFC 8032 5.1.4 in extended coordinates, the
 * width-5 NAFs of S and k sharing one chain of doublings for
 * [S]B + [k](-A), and k reduced modulo L bit by bit.  Measured on this
 * project's machine (gcc -O2, median of 7 x 5,000): 72 us a
 * verification against 48 us for libsodium 1.0.18; minisign makes two.
 */
#include "crypto.h"

#include <stdlib.h>
#include <string.h>

#ifndef __SIZEOF_INT128__
#error "ed25519.c needs unsigned __int128 (a 64-bit GCC or Clang target)"
#endif

typedef unsigned __int128 u128;

#define MASK51 ((UINT64_C(1) << 51) - 1)

/* An element of GF(2^255 - 19): sum of v[i] 2^(51 i), each v[i] below
 * 2^52 after a product or a difference, below 2^54 after a sum. */
struct fe {
	uint64_t v[5];
};

/* A point (X : Y : Z : T), x = X/Z, y = Y/Z, x y = T/Z (RFC 8032 5.1.4). */
struct ge {
	struct fe x, y, z, t;
};

/* d = -121665/121666 and sqrt(-1) = 2^((p - 1)/4), little-endian. */
static const uint8_t d_bytes[32] = {
	0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41,
	0x41, 0x4d, 0x0a, 0x70, 0x00, 0x98, 0xe8, 0x79, 0x77, 0x79, 0x40,
	0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
};
static const uint8_t sqrtm1_bytes[32] = {
	0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f,
	0xad, 0x06, 0x18, 0x43, 0x2f, 0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00,
	0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
};
/* The base point B: y = 4/5, x even. */
static const uint8_t base_bytes[32] = {
	0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
};
/* L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const uint8_t order_bytes[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
	0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

/*
 * NOTE: libsodium's ge25519_has_small_order() list, compared with the
 * sign bit (bit 255) ignored: the y of the points of order 1, 2, 4 and
 * 8, and the non-canonical encodings p and p + 1 of y = 0 and y = 1.
 * Both R and A are refused if they match; without this, a signature by
 * a small-order "key" would verify for many messages.
 */
static const uint8_t small_order[7][32] = {
	/* y = 0 (order 4) */
	{ 0 },
	/* y = 1 (order 1) */
	{ 1 },
	/* order 8 */
	{ 0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
	  0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
	  0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05 },
	/* order 8 */
	{ 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
	  0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
	  0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a },
	/* y = p - 1 (order 2) */
	{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
	/* y = p, i.e. 0 (order 4) */
	{ 0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
	/* y = p + 1, i.e. 1 (order 1) */
	{ 0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
};

/* ---- the field ---------------------------------------------------------- */

/* Bits 0..254 of @s; bit 255 (a sign) is the caller's business. */
static void fe_frombytes(struct fe *h, const uint8_t s[32])
{
	h->v[0] = lc_load_le64(s) & MASK51;
	h->v[1] = lc_load_le64(s + 6) >> 3 & MASK51;
	h->v[2] = lc_load_le64(s + 12) >> 6 & MASK51;
	h->v[3] = lc_load_le64(s + 19) >> 1 & MASK51;
	h->v[4] = lc_load_le64(s + 24) >> 12 & MASK51;
}

/* Limbs back below 2^51 (v[0] a little above); x 2^255 = x 19. */
static void fe_carry(struct fe *h)
{
	uint64_t c;
	unsigned i;

	for (i = 0; i < 4; i++) {
		c = h->v[i] >> 51;
		h->v[i] &= MASK51;
		h->v[i + 1] += c;
	}
	c = h->v[4] >> 51;
	h->v[4] &= MASK51;
	h->v[0] += 19 * c;
}

/* The canonical encoding: the value reduced below p. */
static void fe_tobytes(uint8_t s[32], const struct fe *f)
{
	struct fe h = *f;
	uint64_t q;
	unsigned i;

	fe_carry(&h);
	fe_carry(&h);
	/* Now h < 2^255 + 2^13 < 2p, so h >= p iff h + 19 >= 2^255:
	 * q is that carry, and subtracting p is adding 19 q and
	 * dropping bit 255. */
	q = (h.v[0] + 19) >> 51;
	for (i = 1; i < 5; i++)
		q = (h.v[i] + q) >> 51;
	h.v[0] += 19 * q;
	for (i = 0; i < 4; i++) {
		h.v[i + 1] += h.v[i] >> 51;
		h.v[i] &= MASK51;
	}
	h.v[4] &= MASK51;
	lc_store_le64(s, h.v[0] | h.v[1] << 51);
	lc_store_le64(s + 8, h.v[1] >> 13 | h.v[2] << 38);
	lc_store_le64(s + 16, h.v[2] >> 26 | h.v[3] << 25);
	lc_store_le64(s + 24, h.v[3] >> 39 | h.v[4] << 12);
}

static void fe_set(struct fe *h, uint64_t x)
{
	memset(h, 0, sizeof(*h));
	h->v[0] = x;
}

/*
 * f + g, left uncarried (limbs below 2^54 for operands below 2^53):
 * carrying after every addition cost a tenth of a verification.  So a
 * sum may go into fe_mul(), fe_sq(), fe_tobytes() or be fe_sub()'s
 * first operand, never fe_sub()'s second (which the code below keeps).
 */
static void fe_add(struct fe *h, const struct fe *f, const struct fe *g)
{
	unsigned i;

	for (i = 0; i < 5; i++)
		h->v[i] = f->v[i] + g->v[i];
}

/* f - g computed as f + 4p - g, which keeps every limb positive while
 * g's limbs are below 2^52 (a product, a difference, or bytes). */
static void fe_sub(struct fe *h, const struct fe *f, const struct fe *g)
{
	unsigned i;

	h->v[0] = f->v[0] + 4 * (MASK51 - 18) - g->v[0];
	for (i = 1; i < 5; i++)
		h->v[i] = f->v[i] + 4 * MASK51 - g->v[i];
	fe_carry(h);
}

static void fe_neg(struct fe *h, const struct fe *f)
{
	struct fe zero;

	fe_set(&zero, 0);
	fe_sub(h, &zero, f);
}

/*
 * The five wide limbs of a product back to five below 2^51 (v[1] a
 * little above).  By value, not through an array, so that they stay
 * in registers: through memory this took 40% of a verification.
 */
static inline void fe_reduce_wide(struct fe *h, u128 t0, u128 t1, u128 t2,
				  u128 t3, u128 t4)
{
	u128 c;

	t1 += t0 >> 51;
	t2 += t1 >> 51;
	t3 += t2 >> 51;
	t4 += t3 >> 51;
	/* t4 < 2^116, so 19 times its carry needs the wide type too. */
	c = (t4 >> 51) * 19 + ((uint64_t)t0 & MASK51);
	h->v[0] = (uint64_t)c & MASK51;
	h->v[1] = ((uint64_t)t1 & MASK51) + (uint64_t)(c >> 51);
	h->v[2] = (uint64_t)t2 & MASK51;
	h->v[3] = (uint64_t)t3 & MASK51;
	h->v[4] = (uint64_t)t4 & MASK51;
}

static void fe_mul(struct fe *h, const struct fe *f, const struct fe *g)
{
	uint64_t a0 = f->v[0], a1 = f->v[1], a2 = f->v[2], a3 = f->v[3];
	uint64_t a4 = f->v[4], b0 = g->v[0], b1 = g->v[1], b2 = g->v[2];
	uint64_t b3 = g->v[3], b4 = g->v[4];
	/* A product's part at 2^(255 + k) is worth 19 of the one at 2^k. */
	uint64_t b1_19 = 19 * b1, b2_19 = 19 * b2, b3_19 = 19 * b3;
	uint64_t b4_19 = 19 * b4;

	fe_reduce_wide(h,
		       (u128)a0 * b0 + (u128)a1 * b4_19 + (u128)a2 * b3_19 +
			       (u128)a3 * b2_19 + (u128)a4 * b1_19,
		       (u128)a0 * b1 + (u128)a1 * b0 + (u128)a2 * b4_19 +
			       (u128)a3 * b3_19 + (u128)a4 * b2_19,
		       (u128)a0 * b2 + (u128)a1 * b1 + (u128)a2 * b0 +
			       (u128)a3 * b4_19 + (u128)a4 * b3_19,
		       (u128)a0 * b3 + (u128)a1 * b2 + (u128)a2 * b1 +
			       (u128)a3 * b0 + (u128)a4 * b4_19,
		       (u128)a0 * b4 + (u128)a1 * b3 + (u128)a2 * b2 +
			       (u128)a3 * b1 + (u128)a4 * b0);
}

/* f^2: fe_mul() with the equal cross products counted once, doubled. */
static void fe_sq(struct fe *h, const struct fe *f)
{
	uint64_t a0 = f->v[0], a1 = f->v[1], a2 = f->v[2], a3 = f->v[3];
	uint64_t a4 = f->v[4];
	uint64_t a0_2 = 2 * a0, a1_2 = 2 * a1, a2_2 = 2 * a2, a3_2 = 2 * a3;
	uint64_t a3_19 = 19 * a3, a4_19 = 19 * a4;

	fe_reduce_wide(h,
		       (u128)a0 * a0 + (u128)a1_2 * a4_19 + (u128)a2_2 * a3_19,
		       (u128)a0_2 * a1 + (u128)a2_2 * a4_19 + (u128)a3 * a3_19,
		       (u128)a0_2 * a2 + (u128)a1 * a1 + (u128)a3_2 * a4_19,
		       (u128)a0_2 * a3 + (u128)a1_2 * a2 + (u128)a4 * a4_19,
		       (u128)a0_2 * a4 + (u128)a1_2 * a3 + (u128)a2 * a2);
}

static void fe_sqn(struct fe *h, const struct fe *f, unsigned n)
{
	fe_sq(h, f);
	while (--n > 0)
		fe_sq(h, h);
}

/* z^(2^250 - 1), and z^11 in @z11: both exponents of p - 2 and
 * (p - 5)/8 start so (the usual addition chain). */
static void fe_pow250(struct fe *out, struct fe *z11, const struct fe *z)
{
	struct fe t0, t1, t2;

	fe_sq(&t0, z);			/* 2 */
	fe_sqn(&t1, &t0, 2);		/* 8 */
	fe_mul(&t1, &t1, z);		/* 9 */
	fe_mul(z11, &t0, &t1);		/* 11 */
	fe_sq(&t0, z11);		/* 22 */
	fe_mul(&t1, &t1, &t0);		/* 31 = 2^5 - 1 */
	fe_sqn(&t0, &t1, 5);
	fe_mul(&t1, &t0, &t1);		/* 2^10 - 1 */
	fe_sqn(&t0, &t1, 10);
	fe_mul(&t0, &t0, &t1);		/* 2^20 - 1 */
	fe_sqn(&t2, &t0, 20);
	fe_mul(&t0, &t2, &t0);		/* 2^40 - 1 */
	fe_sqn(&t0, &t0, 10);
	fe_mul(&t1, &t0, &t1);		/* 2^50 - 1 */
	fe_sqn(&t0, &t1, 50);
	fe_mul(&t0, &t0, &t1);		/* 2^100 - 1 */
	fe_sqn(&t2, &t0, 100);
	fe_mul(&t0, &t2, &t0);		/* 2^200 - 1 */
	fe_sqn(&t0, &t0, 50);
	fe_mul(out, &t0, &t1);		/* 2^250 - 1 */
}

/* 1/z = z^(p - 2) = z^(2^255 - 21). */
static void fe_invert(struct fe *h, const struct fe *z)
{
	struct fe t, z11;

	fe_pow250(&t, &z11, z);
	fe_sqn(&t, &t, 5);		/* 2^255 - 32 */
	fe_mul(h, &t, &z11);
}

/* z^((p - 5)/8) = z^(2^252 - 3), the square root's exponent. */
static void fe_pow22523(struct fe *h, const struct fe *z)
{
	struct fe t, z11;

	fe_pow250(&t, &z11, z);
	fe_sqn(&t, &t, 2);		/* 2^252 - 4 */
	fe_mul(h, &t, z);
}

static bool fe_iszero(const struct fe *f)
{
	static const uint8_t zero[32];
	uint8_t s[32];

	fe_tobytes(s, f);
	return memcmp(s, zero, sizeof(s)) == 0;
}

static bool fe_isodd(const struct fe *f)
{
	uint8_t s[32];

	fe_tobytes(s, f);
	return s[0] & 1;
}

/* ---- the curve -x^2 + y^2 = 1 + d x^2 y^2 -------------------------------- */

static void ge_identity(struct ge *p)
{
	fe_set(&p->x, 0);
	fe_set(&p->y, 1);
	fe_set(&p->z, 1);
	fe_set(&p->t, 0);
}

/*
 * RFC 8032 5.1.3, as libsodium's ge25519_frombytes_negate_vartime()
 * does it (whose result it then negates): y is taken as it is (the
 * caller has refused y >= p), and x = 0 with the sign bit set is
 * accepted as x = 0, where the RFC refuses it.  That difference never
 * shows: both such points (y = 1, y = -1) are on the small-order list.
 *
 * Returns false if no x has this y.
 */
static bool ge_frombytes(struct ge *p, const uint8_t s[32])
{
	struct fe d, u, v, v3, vxx, check;

	fe_frombytes(&d, d_bytes);
	fe_frombytes(&p->y, s);
	fe_set(&p->z, 1);
	fe_sq(&u, &p->y);
	fe_mul(&v, &u, &d);
	fe_sub(&u, &u, &p->z);		/* u = y^2 - 1 */
	fe_add(&v, &v, &p->z);		/* v = d y^2 + 1 */
	/* x = (u/v)^((p + 3)/8) = u v^3 (u v^7)^((p - 5)/8) */
	fe_sq(&v3, &v);
	fe_mul(&v3, &v3, &v);
	fe_sq(&p->x, &v3);
	fe_mul(&p->x, &p->x, &v);
	fe_mul(&p->x, &p->x, &u);	/* u v^7 */
	fe_pow22523(&p->x, &p->x);
	fe_mul(&p->x, &p->x, &v3);
	fe_mul(&p->x, &p->x, &u);
	fe_sq(&vxx, &p->x);
	fe_mul(&vxx, &vxx, &v);
	fe_sub(&check, &vxx, &u);
	if (!fe_iszero(&check)) {
		struct fe sqrtm1;

		/* v x^2 = -u: x times sqrt(-1) is the root. */
		fe_add(&check, &vxx, &u);
		if (!fe_iszero(&check))
			return false;
		fe_frombytes(&sqrtm1, sqrtm1_bytes);
		fe_mul(&p->x, &p->x, &sqrtm1);
	}
	if (fe_isodd(&p->x) != (s[31] >> 7))
		fe_neg(&p->x, &p->x);
	fe_mul(&p->t, &p->x, &p->y);
	return true;
}

static void ge_tobytes(uint8_t s[32], const struct ge *p)
{
	struct fe zi, x, y;

	fe_invert(&zi, &p->z);
	fe_mul(&x, &p->x, &zi);
	fe_mul(&y, &p->y, &zi);
	fe_tobytes(s, &y);
	s[31] |= (uint8_t)(fe_isodd(&x) << 7);
}

/*
 * A point ready to be added: (Y + X, Y - X, Z, 2 d T), the values of
 * RFC 8032's addition formula that depend on it alone, computed once
 * for the many additions of the same table entry.
 */
struct ge_cached {
	struct fe ypx, ymx, z, t2d;
};

static void ge_to_cached(struct ge_cached *c, const struct ge *p,
			 const struct fe *d2)
{
	fe_add(&c->ypx, &p->y, &p->x);
	fe_sub(&c->ymx, &p->y, &p->x);
	c->z = p->z;
	fe_mul(&c->t2d, &p->t, d2);
}

/*
 * RFC 8032 5.1.4 addition, complete (any two points, equal or not):
 * r = p + q, or p - q if @sub.  -Q is (-X : Y : Z : -T), so
 * subtracting swaps Y + X with Y - X and negates 2 d T.
 */
static void ge_add(struct ge *r, const struct ge *p, const struct ge_cached *q,
		   bool sub)
{
	struct fe a, b, c, d, e, f, g, h;

	fe_sub(&a, &p->y, &p->x);
	fe_mul(&a, &a, sub ? &q->ypx : &q->ymx);
	fe_add(&b, &p->y, &p->x);
	fe_mul(&b, &b, sub ? &q->ymx : &q->ypx);
	fe_mul(&c, &p->t, &q->t2d);
	if (sub)
		fe_neg(&c, &c);
	fe_mul(&d, &p->z, &q->z);
	fe_add(&d, &d, &d);
	fe_sub(&e, &b, &a);
	fe_sub(&f, &d, &c);
	fe_add(&g, &d, &c);
	fe_add(&h, &b, &a);
	fe_mul(&r->x, &e, &f);
	fe_mul(&r->y, &g, &h);
	fe_mul(&r->t, &e, &h);
	fe_mul(&r->z, &f, &g);
}

/* RFC 8032 5.1.4 doubling.  It never reads T, so T is computed only
 * when an addition comes next (@with_t). */
static void ge_double(struct ge *r, const struct ge *p, bool with_t)
{
	struct fe a, b, c, e, f, g, h, t;

	fe_sq(&a, &p->x);
	fe_sq(&b, &p->y);
	fe_sq(&c, &p->z);
	fe_add(&c, &c, &c);
	fe_add(&h, &a, &b);
	fe_add(&t, &p->x, &p->y);
	fe_sq(&t, &t);
	fe_sub(&e, &h, &t);
	fe_sub(&g, &a, &b);
	fe_add(&f, &c, &g);
	fe_mul(&r->x, &e, &f);
	fe_mul(&r->y, &g, &h);
	if (with_t)
		fe_mul(&r->t, &e, &h);
	fe_mul(&r->z, &f, &g);
}

/* [1]P, [3]P, .., [15]P: the odd multiples a width-5 NAF digit names. */
static void ge_odd_multiples(struct ge_cached table[8], const struct ge *p,
			     const struct fe *d2)
{
	struct ge p2, acc = *p;
	struct ge_cached c2;
	unsigned i;

	ge_double(&p2, p, true);
	ge_to_cached(&c2, &p2, d2);
	ge_to_cached(&table[0], p, d2);
	for (i = 1; i < 8; i++) {
		ge_add(&acc, &acc, &c2, false);
		ge_to_cached(&table[i], &acc, d2);
	}
}

/* ---- scalars modulo L ---------------------------------------------------- */

/* Whether the 256-bit little-endian @s is below L (libsodium's
 * sc25519_is_canonical()). */
static bool sc_is_canonical(const uint8_t s[32])
{
	int i;

	for (i = 31; i >= 0; i--)
		if (s[i] != order_bytes[i])
			return s[i] < order_bytes[i];
	return false;	/* s == L */
}

/*
 * The 512-bit little-endian @h modulo L, into @out: shift in one bit at
 * a time, subtracting L whenever the remainder reaches it.  512 steps
 * on four words; speed does not matter here.
 */
static void sc_reduce(uint8_t out[32], const uint8_t h[64])
{
	uint64_t r[4] = { 0 }, l[4], t[4], borrow, x;
	int bit, i;

	for (i = 0; i < 4; i++)
		l[i] = lc_load_le64(order_bytes + 8 * i);
	for (bit = 511; bit >= 0; bit--) {
		/* r < L < 2^253, so 2 r + 1 still fits in 256 bits. */
		for (i = 3; i > 0; i--)
			r[i] = r[i] << 1 | r[i - 1] >> 63;
		r[0] = r[0] << 1 | (uint64_t)(h[bit / 8] >> (bit % 8) & 1);
		borrow = 0;
		for (i = 0; i < 4; i++) {
			x = r[i] - l[i] - borrow;
			borrow = r[i] < l[i] || (r[i] == l[i] && borrow);
			t[i] = x;
		}
		if (!borrow)
			memcpy(r, t, sizeof(r));
	}
	for (i = 0; i < 4; i++)
		lc_store_le64(out + 8 * i, r[i]);
}

/* ---- verification ------------------------------------------------------- */

/* Whether @s is on the small-order list, bit 255 ignored. */
static bool has_small_order(const uint8_t s[32])
{
	unsigned i;

	for (i = 0; i < sizeof(small_order) / sizeof(small_order[0]); i++)
		if (memcmp(s, small_order[i], 31) == 0 &&
		    (s[31] & 0x7f) == small_order[i][31])
			return true;
	return false;
}

/* Whether y < p, bit 255 ignored (libsodium's ge25519_is_canonical()):
 * y >= p only for bytes ed..ff, then 30 0xff, then 0x7f. */
static bool y_is_canonical(const uint8_t s[32])
{
	unsigned i;

	if ((s[31] & 0x7f) != 0x7f || s[0] < 0xed)
		return true;
	for (i = 1; i < 31; i++)
		if (s[i] != 0xff)
			return true;
	return false;
}

/*
 * The width-5 NAF of the scalar @s (< 2^253): digits naf[i] in
 * {0, +-1, +-3, .., +-15}, s = sum naf[i] 2^i, at least 4 zeros after
 * each non-zero digit (Hankerson, Menezes, Vanstone, "Guide to Elliptic
 * Curve Cryptography", algorithm 3.35).  So about one addition per 6
 * doublings instead of one per 2 with plain bits.
 */
static void naf5(int8_t naf[256], const uint8_t s[32])
{
	uint64_t k[4];
	int i, j, digit;

	for (i = 0; i < 4; i++)
		k[i] = lc_load_le64(s + 8 * i);
	for (i = 0; i < 256; i++) {
		digit = 0;
		if (k[0] & 1) {
			digit = (int)(k[0] & 31);
			if (digit > 15)
				digit -= 32;
			if (digit > 0) {
				/* These are k's low 5 bits: no borrow. */
				k[0] -= (uint64_t)digit;
			} else {
				/* k < 2^253 leaves room for k + 15. */
				uint64_t c = (uint64_t)-digit;

				for (j = 0; j < 4 && c; j++) {
					k[j] += c;
					c = k[j] < c;
				}
			}
		}
		naf[i] = (int8_t)digit;
		for (j = 0; j < 3; j++)
			k[j] = k[j] >> 1 | k[j + 1] << 63;
		k[3] >>= 1;
	}
}

bool lc_ed25519_verify(const uint8_t sig[LC_ED25519_SIG_LEN], const void *msg,
		       size_t len, const uint8_t pk[LC_ED25519_PK_LEN])
{
	struct lc_sha512 hs;
	struct ge a, b, r;
	struct ge_cached ta[8], tb[8];
	struct fe d2;
	int8_t ns[256], nk[256];
	uint8_t h[64], k[32], check[32];
	const uint8_t *s = sig + 32;
	int i;

	/* NOTE: the checks of libsodium's default build, in its order. */
	if (!sc_is_canonical(s) || has_small_order(sig))
		return false;
	if (!y_is_canonical(pk) || has_small_order(pk))
		return false;
	if (!ge_frombytes(&a, pk))
		return false;
	fe_neg(&a.x, &a.x);	/* -A */
	fe_neg(&a.t, &a.t);

	lc_sha512_init(&hs);
	lc_sha512_update(&hs, sig, 32);
	lc_sha512_update(&hs, pk, 32);
	lc_sha512_update(&hs, msg, len);
	lc_sha512_final(&hs, h);
	sc_reduce(k, h);

	/* [S]B + [k](-A) by the width-5 NAFs of both scalars, doubling
	 * once per digit (Straus-Shamir), from the top non-zero digit. */
	if (!ge_frombytes(&b, base_bytes))
		return false;	/* cannot happen: B is on the curve */
	fe_frombytes(&d2, d_bytes);
	fe_add(&d2, &d2, &d2);
	ge_odd_multiples(tb, &b, &d2);
	ge_odd_multiples(ta, &a, &d2);
	naf5(ns, s);
	naf5(nk, k);
	ge_identity(&r);
	for (i = 255; i >= 0 && !ns[i] && !nk[i]; i--)
		;
	for (; i >= 0; i--) {
		ge_double(&r, &r, ns[i] || nk[i]);
		if (ns[i])
			ge_add(&r, &r, &tb[abs(ns[i]) / 2], ns[i] < 0);
		if (nk[i])
			ge_add(&r, &r, &ta[abs(nk[i]) / 2], nk[i] < 0);
	}
	ge_tobytes(check, &r);
	return memcmp(check, sig, 32) == 0;
}
