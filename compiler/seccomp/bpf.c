/* SPDX-License-Identifier: MIT */
/*
 * bpf.c - classic BPF for seccomp: the program builder and its layout
 * pass, the kernel's load-time checks, the interpreter, the disassembler
 * and raw file I/O.  Nothing here knows about policies or the IR.
 */
#include "seccomp/bpf.h"
#include "common/tables.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NO_INDEX ((size_t)-1)
#define JUMP_MAX 255u		/* jt and jf are 8 bits */

/* ---- builder ---------------------------------------------------------- */

void bpf_builder_init(struct bpf_builder *b)
{
	memset(b, 0, sizeof(*b));
}

void bpf_builder_fini(struct bpf_builder *b)
{
	VEC_FREE(&b->ins);
	VEC_FREE(&b->labels);
}

int bpf_label(struct bpf_builder *b)
{
	VEC_PUSH(&b->labels, NO_INDEX);
	return (int)(b->labels.n - 1);
}

static bool label_ok(const struct bpf_builder *b, int label)
{
	return label >= 0 && (size_t)label < b->labels.n;
}

void bpf_bind(struct bpf_builder *b, int label)
{
	if (!label_ok(b, label) || b->labels.v[label] != NO_INDEX) {
		if (!b->err)
			b->err = -EINVAL;	/* unknown or bound twice */
		return;
	}
	b->labels.v[label] = b->ins.n;
}

static void push(struct bpf_builder *b, uint16_t code, uint32_t k, int jt,
		 int jf)
{
	struct bpf_sym s = { .code = code, .k = k, .jt = jt, .jf = jf };

	VEC_PUSH(&b->ins, s);
}

void bpf_stmt(struct bpf_builder *b, uint16_t code, uint32_t k)
{
	push(b, code, k, -1, -1);
}

void bpf_jump(struct bpf_builder *b, uint16_t code, uint32_t k, int jt,
	      int jf)
{
	push(b, code, k, jt, jf);
}

void bpf_goto(struct bpf_builder *b, int label)
{
	push(b, BPF_JMP | BPF_JA, 0, label, -1);
}

size_t bpf_count(const struct bpf_builder *b)
{
	return b->ins.n;
}

static bool is_ja(uint16_t code)
{
	return code == (BPF_JMP | BPF_JA);
}

static bool is_cond(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && !is_ja(code);
}

/*
 * The index a jump at @from to @label really lands on, or NO_INDEX when
 * the label is unbound, not ahead of @from, or past the end.
 * @next_live[i] is the first instruction at or after i that survives.
 */
static size_t resolve(const struct bpf_builder *b, const size_t *next_live,
		      size_t from, int label)
{
	size_t at;

	if (!label_ok(b, label))
		return NO_INDEX;
	at = b->labels.v[label];
	if (at == NO_INDEX || at <= from || at > b->ins.n)
		return NO_INDEX;
	at = next_live[at];
	return at < b->ins.n ? at : NO_INDEX;
}

/* Trampolines a conditional jump needs: its own JA per far branch. */
static size_t n_tramp(const uint8_t *far, size_t i, bool same)
{
	if (same && far[i])
		return 1;	/* both branches share one JA */
	return (far[i] & 1) + ((far[i] >> 1) & 1);
}

/* What the layout pass knows about each instruction of the builder. */
struct layout {
	size_t *next_live;	/* first kept instruction at or after i */
	size_t *pos;		/* where instruction i lands */
	size_t *tt, *tf;	/* the instructions its branches land on */
	uint8_t *far;		/* bit 0: jt, bit 1: jf */
};

static void layout_free(struct layout *l)
{
	free(l->next_live);
	free(l->pos);
	free(l->tt);
	free(l->tf);
	free(l->far);
}

/*
 * Drop every JA that lands on the very next instruction and resolve
 * every branch; -EINVAL when one goes nowhere.  Backwards, so that a
 * branch's target already knows whether it survives.
 */
static int resolve_jumps(const struct bpf_builder *b, struct layout *l)
{
	size_t n = b->ins.n, i;

	l->next_live[n] = n;
	for (i = n; i-- > 0;) {
		const struct bpf_sym *s = &b->ins.v[i];

		l->next_live[i] = i;
		if (is_ja(s->code)) {
			l->tt[i] = resolve(b, l->next_live, i, s->jt);
			if (l->tt[i] == NO_INDEX)
				return -EINVAL;
			if (l->tt[i] == l->next_live[i + 1])
				l->next_live[i] = l->next_live[i + 1];
		} else if (is_cond(s->code)) {
			l->tt[i] = resolve(b, l->next_live, i, s->jt);
			l->tf[i] = resolve(b, l->next_live, i, s->jf);
			if (l->tt[i] == NO_INDEX || l->tf[i] == NO_INDEX)
				return -EINVAL;
		}
	}
	return 0;
}

/* Positions with the trampolines known so far; the program's length. */
static size_t place(const struct bpf_builder *b, struct layout *l)
{
	size_t total = 0, i;

	for (i = 0; i < b->ins.n; i++) {
		if (l->next_live[i] != i)
			continue;
		l->pos[i] = total;
		total += 1;
		if (is_cond(b->ins.v[i].code))
			total += n_tramp(l->far, i, l->tt[i] == l->tf[i]);
	}
	return total;
}

/* Mark the branches too long for 8 bits; whether any was new. */
static bool mark_far(const struct bpf_builder *b, struct layout *l)
{
	bool changed = false;
	size_t i;

	for (i = 0; i < b->ins.n; i++) {
		if (l->next_live[i] != i || !is_cond(b->ins.v[i].code))
			continue;
		if (!(l->far[i] & 1) &&
		    l->pos[l->tt[i]] - l->pos[i] - 1 > JUMP_MAX) {
			l->far[i] |= 1;
			changed = true;
		}
		if (!(l->far[i] & 2) &&
		    l->pos[l->tf[i]] - l->pos[i] - 1 > JUMP_MAX) {
			l->far[i] |= 2;
			changed = true;
		}
	}
	return changed;
}

/* The offsets of conditional jump @i, and the JAs right behind it. */
static void emit_cond(struct bpf_builder *b, const struct layout *l,
		      struct sock_filter *out, size_t i)
{
	size_t p = l->pos[i];
	size_t q = p + 1;	/* next trampoline slot */
	size_t dst[2] = { l->tt[i], l->tf[i] };
	uint8_t off[2];
	int br;

	for (br = 0; br < 2; br++) {
		if (!(l->far[i] & (1 << br))) {
			off[br] = (uint8_t)(l->pos[dst[br]] - p - 1);
		} else if (br == 1 && dst[0] == dst[1] && (l->far[i] & 1)) {
			off[br] = off[0];	/* shared JA */
		} else {
			out[q].code = BPF_JMP | BPF_JA;
			out[q].k = (uint32_t)(l->pos[dst[br]] - q - 1);
			off[br] = (uint8_t)(q - p - 1);
			q++;
			b->n_trampolines++;
		}
	}
	out[p].jt = off[0];
	out[p].jf = off[1];
}

/* The program of @total instructions the final layout says. */
static struct sock_filter *emit(struct bpf_builder *b,
				const struct layout *l, size_t total)
{
	struct sock_filter *out = xcalloc(total, sizeof(*out));
	size_t i;

	b->n_trampolines = 0;
	for (i = 0; i < b->ins.n; i++) {
		const struct bpf_sym *s = &b->ins.v[i];
		struct sock_filter *o;
		size_t p;

		if (l->next_live[i] != i)
			continue;	/* a dropped JA */
		p = l->pos[i];
		o = &out[p];
		o->code = s->code;
		o->k = s->k;
		if (is_ja(s->code))
			o->k = (uint32_t)(l->pos[l->tt[i]] - p - 1);
		else if (is_cond(s->code))
			emit_cond(b, l, out, i);
	}
	return out;
}

/*
 * Layout.  First drop every JA that lands on the very next instruction
 * (emitters produce them where a branch happens to fall through).  Then
 * give every conditional jump whose branch lies more than 255
 * instructions ahead a JA right behind it, which has 32 bits of offset;
 * inserting one moves everything after it, so repeat until no branch is
 * too long.  Each pass only adds trampolines, so this ends.
 */
int bpf_assemble(struct bpf_builder *b, struct sock_filter **prog,
		 size_t *len)
{
	_cleanup_(layout_free) struct layout l = { 0 };
	size_t n = b->ins.n, total;
	int r;

	if (b->err)
		return b->err;
	if (n == 0)
		return -EINVAL;
	l.next_live = xcalloc(n + 1, sizeof(*l.next_live));
	l.pos = xcalloc(n, sizeof(*l.pos));
	l.tt = xcalloc(n, sizeof(*l.tt));
	l.tf = xcalloc(n, sizeof(*l.tf));
	l.far = xcalloc(n, 1);

	r = resolve_jumps(b, &l);
	if (r < 0)
		return r;
	do {
		total = place(b, &l);
		if (total > BPF_MAXINSNS)
			return -E2BIG;
	} while (mark_far(b, &l));

	*prog = emit(b, &l, total);
	*len = total;
	return 0;
}

/* ---- kernel checks ---------------------------------------------------- */

/*
 * The opcodes seccomp accepts (seccomp_check_filter()), a subset of what
 * bpf_check_classic() accepts; anything else, LD H/B, IND, MSH and MOD
 * included, is refused.
 */
static bool seccomp_code_ok(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

/*
 * Scratch memory is not cleared between runs, so the kernel proves that
 * every path writes a cell before reading it (check_load_and_stores()).
 * Only called once every jump is known to stay in the program.
 */
static int check_mem(const struct sock_filter *prog, size_t len)
{
	_cleanup_free_ uint16_t *masks = xmalloc(len * sizeof(*masks));
	uint16_t valid = 0;
	size_t pc;

	memset(masks, 0xff, len * sizeof(*masks));
	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];

		valid &= masks[pc];
		switch (in->code) {
		case BPF_ST:
		case BPF_STX:
			valid |= (uint16_t)(1u << in->k);
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(valid & (1u << in->k)))
				return -EINVAL;
			break;
		case BPF_JMP | BPF_JA:
			masks[pc + 1 + in->k] &= valid;
			valid = 0xffff;
			break;
		default:
			if (is_cond(in->code)) {
				masks[pc + 1 + in->jt] &= valid;
				masks[pc + 1 + in->jf] &= valid;
				valid = 0xffff;
			}
			break;
		}
	}
	return 0;
}

int bpf_check(const struct sock_filter *prog, size_t len)
{
	size_t pc;

	if (!prog || len == 0 || len > BPF_MAXINSNS)
		return -EINVAL;
	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];

		if (!seccomp_code_ok(in->code))
			return -EINVAL;
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			/* seccomp_data only, whole aligned words */
			if (in->k >= BPF_SD_SIZE || (in->k & 3))
				return -EINVAL;
			break;
		case BPF_ALU | BPF_DIV | BPF_K:
			if (in->k == 0)
				return -EINVAL;
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			if (in->k >= 32)
				return -EINVAL;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (in->k >= BPF_MEMWORDS)
				return -EINVAL;
			break;
		case BPF_JMP | BPF_JA:
			if (in->k >= len - pc - 1)
				return -EINVAL;
			break;
		default:
			if (is_cond(in->code) &&
			    (pc + in->jt + 1 >= len || pc + in->jf + 1 >= len))
				return -EINVAL;
			break;
		}
	}
	/* Ending in a RET, with forward jumps only, nothing falls off. */
	if (BPF_CLASS(prog[len - 1].code) != BPF_RET)
		return -EINVAL;
	return check_mem(prog, len);
}

/* ---- interpreter ------------------------------------------------------ */

static int alu(uint16_t op, uint32_t *a, uint32_t v)
{
	switch (op) {
	case BPF_ADD: *a += v; break;
	case BPF_SUB: *a -= v; break;
	case BPF_MUL: *a *= v; break;
	case BPF_DIV: *a /= v; break;	/* v != 0: checked by the caller */
	case BPF_AND: *a &= v; break;
	case BPF_OR: *a |= v; break;
	case BPF_XOR: *a ^= v; break;
	/* eBPF masks 32-bit shift counts; the checker limits K to < 32 */
	case BPF_LSH: *a <<= (v & 31); break;
	case BPF_RSH: *a >>= (v & 31); break;
	case BPF_NEG: *a = -*a; break;
	default: return -EINVAL;
	}
	return 0;
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_JEQ: return a == v;
	case BPF_JGT: return a > v;
	case BPF_JGE: return a >= v;
	default: return (a & v) != 0;	/* BPF_JSET */
	}
}

/*
 * The word an LD or LDX instruction loads into @v, or -EINVAL for what
 * the kernel would refuse; @loaded gets a bit for each word of
 * seccomp_data read.
 */
static int load(const struct sock_filter *in, const unsigned char *data,
		const uint32_t *mem, uint16_t valid, uint16_t *loaded,
		uint32_t *v)
{
	if (in->code == (BPF_LD | BPF_W | BPF_ABS)) {
		if (in->k >= BPF_SD_SIZE || (in->k & 3))
			return -EINVAL;
		memcpy(v, data + in->k, 4);
		*loaded |= (uint16_t)(1u << (in->k / 4));
	} else if (BPF_MODE(in->code) == BPF_LEN) {
		*v = BPF_SD_SIZE;
	} else if (BPF_MODE(in->code) == BPF_IMM) {
		*v = in->k;
	} else {	/* BPF_MEM */
		if (in->k >= BPF_MEMWORDS || !(valid & (1u << in->k)))
			return -EINVAL;
		*v = mem[in->k];
	}
	return 0;
}

/* One ALU instruction on @a: 0, 1 when it divides by a zero X (which
 * ends the run), or -EINVAL for what the kernel would refuse. */
static int exec_alu(const struct sock_filter *in, uint32_t *a, uint32_t x)
{
	uint32_t v = BPF_SRC(in->code) == BPF_X ? x : in->k;

	if (BPF_OP(in->code) == BPF_DIV && v == 0)
		return BPF_SRC(in->code) == BPF_K ? -EINVAL : 1;
	if (BPF_SRC(in->code) == BPF_K && in->k >= 32 &&
	    (BPF_OP(in->code) == BPF_LSH || BPF_OP(in->code) == BPF_RSH))
		return -EINVAL;
	if (alu(BPF_OP(in->code), a, v) < 0)
		return -EINVAL;
	return 0;
}

int bpf_exec(const struct sock_filter *prog, size_t len,
	     const struct seccomp_data *d, uint32_t *ret, struct bpf_trace *tr)
{
	unsigned char data[BPF_SD_SIZE];
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS], v;
	uint16_t valid = 0;
	struct bpf_trace t = { 0 };
	size_t pc = 0;
	int r;

	_Static_assert(sizeof(struct seccomp_data) == BPF_SD_SIZE,
		       "seccomp_data is 64 bytes");
	if (!prog || len == 0 || len > BPF_MAXINSNS)
		return -EINVAL;
	memcpy(data, d, sizeof(data));
	for (;;) {
		const struct sock_filter *in;

		if (pc >= len)
			return -EINVAL;		/* fell off the end */
		in = &prog[pc++];
		t.steps++;
		if (!seccomp_code_ok(in->code))
			return -EINVAL;
		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
		case BPF_LDX:
			if (load(in, data, mem, valid, &t.loaded, &v) < 0)
				return -EINVAL;
			if (BPF_CLASS(in->code) == BPF_LD)
				a = v;
			else
				x = v;
			break;
		case BPF_ST:
		case BPF_STX:
			if (in->k >= BPF_MEMWORDS)
				return -EINVAL;
			mem[in->k] = BPF_CLASS(in->code) == BPF_ST ? a : x;
			valid |= (uint16_t)(1u << in->k);
			break;
		case BPF_ALU:
			r = exec_alu(in, &a, x);
			if (r < 0)
				return r;
			if (r > 0) {
				/* the kernel's cBPF conversion returns 0 */
				*ret = 0;
				goto out;
			}
			break;
		case BPF_JMP:
			if (is_ja(in->code)) {
				if (in->k >= len - pc)
					return -EINVAL;
				pc += in->k;
				break;
			}
			v = BPF_SRC(in->code) == BPF_X ? x : in->k;
			v = jump_taken(BPF_OP(in->code), a, v) ? in->jt :
								    in->jf;
			if (pc + v >= len)
				return -EINVAL;
			pc += v;
			break;
		case BPF_RET:
			*ret = BPF_RVAL(in->code) == BPF_A ? a : in->k;
			goto out;
		default:	/* BPF_MISC */
			if (BPF_MISCOP(in->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
out:
	if (tr)
		*tr = t;
	return 0;
}

int bpf_run(const struct sock_filter *prog, size_t len,
	    const struct seccomp_data *d, uint32_t *ret, struct bpf_trace *tr)
{
	int r = bpf_check(prog, len);

	return r < 0 ? r : bpf_exec(prog, len, d, ret, tr);
}

/* ---- listing ---------------------------------------------------------- */

const char *bpf_ret_str(uint32_t ret, char *buf, size_t len)
{
	uint32_t data = ret & SECCOMP_RET_DATA;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		snprintf(buf, len, "KILL_PROCESS");
		break;
	case SECCOMP_RET_KILL_THREAD:
		snprintf(buf, len, "KILL_THREAD");
		break;
	case SECCOMP_RET_TRAP:
		snprintf(buf, len, "TRAP(%u)", data);
		break;
	case SECCOMP_RET_ERRNO:
		snprintf(buf, len, "ERRNO(%u)", data);
		break;
	case SECCOMP_RET_USER_NOTIF:
		snprintf(buf, len, "USER_NOTIF");
		break;
	case SECCOMP_RET_TRACE:
		snprintf(buf, len, "TRACE(%u)", data);
		break;
	case SECCOMP_RET_LOG:
		snprintf(buf, len, "LOG");
		break;
	case SECCOMP_RET_ALLOW:
		snprintf(buf, len, "ALLOW");
		break;
	default:
		snprintf(buf, len, "0x%08x", ret);
		return buf;
	}
	/* data the action ignores would be lost in the name */
	if (data && (ret & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_TRAP &&
	    (ret & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ERRNO &&
	    (ret & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_TRACE)
		snprintf(buf, len, "0x%08x", ret);
	return buf;
}

const char *bpf_off_str(uint32_t off, char *buf, size_t len)
{
	if (off == BPF_SD_NR)
		snprintf(buf, len, "nr");
	else if (off == BPF_SD_ARCH)
		snprintf(buf, len, "arch");
	else if (off >= BPF_SD_ARGS && off < BPF_SD_SIZE && !(off & 3))
		snprintf(buf, len, "args[%u].%s", (off - BPF_SD_ARGS) / 8,
			 bpf_arg_off((off - BPF_SD_ARGS) / 8, true) == off ?
			 "hi" : "lo");
	else if (off == BPF_SD_IP || off == BPF_SD_IP + 4)
		snprintf(buf, len, "ip.%s",
			 (off == BPF_SD_IP) == (bpf_arg_off(0, false) ==
						BPF_SD_ARGS) ? "lo" : "hi");
	else
		snprintf(buf, len, "[%u]", off);
	return buf;
}

static const char *arch_of(uint32_t audit)
{
	int a;

	for (a = 0; a < ARCH_COUNT; a++)
		if (arch_info((enum leash_arch)a)->audit_arch == audit)
			return arch_info((enum leash_arch)a)->name;
	return NULL;
}

static const char *const alu_names[16] = {
	"add", "sub", "mul", "div", "or", "and", "lsh", "rsh",
	"neg", "mod", "xor",
};
static const char *const jmp_names[16] = {
	"ja", "jeq", "jgt", "jge", "jset",
};

/* "#0x10" for K, "x" for X */
static void src_str(const struct sock_filter *in, char *buf, size_t len)
{
	if (BPF_SRC(in->code) == BPF_X)
		snprintf(buf, len, "x");
	else
		snprintf(buf, len, "#0x%x", in->k);
}

void bpf_disasm(FILE *out, const struct sock_filter *prog, size_t len)
{
	size_t pc;
	uint32_t last_ld = (uint32_t)-1;	/* annotates arch constants */

	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];
		const char *op = "", *note = NULL;
		char arg[48] = "";
		int pad;

		if (!seccomp_code_ok(in->code)) {
			fprintf(out, "%4zu: .insn code=0x%04x jt=%u jf=%u "
				"k=0x%08x\n", pc, in->code, in->jt, in->jf,
				in->k);
			continue;
		}
		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
		case BPF_LDX:
			op = BPF_CLASS(in->code) == BPF_LD ? "ld" : "ldx";
			if (BPF_MODE(in->code) == BPF_ABS) {
				bpf_off_str(in->k, arg, sizeof(arg));
				last_ld = in->k;
			} else if (BPF_MODE(in->code) == BPF_LEN) {
				snprintf(arg, sizeof(arg), "#len");
			} else if (BPF_MODE(in->code) == BPF_IMM) {
				snprintf(arg, sizeof(arg), "#0x%x", in->k);
			} else {
				snprintf(arg, sizeof(arg), "M[%u]", in->k);
			}
			break;
		case BPF_ST:
		case BPF_STX:
			op = BPF_CLASS(in->code) == BPF_ST ? "st" : "stx";
			snprintf(arg, sizeof(arg), "M[%u]", in->k);
			break;
		case BPF_ALU:
			op = alu_names[BPF_OP(in->code) >> 4];
			if (BPF_OP(in->code) != BPF_NEG)
				src_str(in, arg, sizeof(arg));
			break;
		case BPF_JMP:
			op = jmp_names[BPF_OP(in->code) >> 4];
			if (is_ja(in->code)) {
				snprintf(arg, sizeof(arg), "%zu",
					 pc + 1 + in->k);
				break;
			}
			src_str(in, arg, sizeof(arg));
			if (last_ld == BPF_SD_ARCH &&
			    BPF_SRC(in->code) == BPF_K)
				note = arch_of(in->k);
			break;
		case BPF_RET:
			op = "ret";
			if (BPF_RVAL(in->code) == BPF_A)
				snprintf(arg, sizeof(arg), "a");
			else
				bpf_ret_str(in->k, arg, sizeof(arg));
			break;
		default:
			op = in->code == (BPF_MISC | BPF_TAX) ? "tax" : "txa";
			break;
		}
		fprintf(out, "%4zu: %-4s %s", pc, op, arg);
		pad = 20 - (int)strlen(arg);
		if (is_cond(in->code))
			fprintf(out, "%*s jt %-4zu jf %zu", pad > 0 ? pad : 0,
				"", pc + 1 + in->jt, pc + 1 + in->jf);
		if (note)
			fprintf(out, "  ; %s", note);
		fputc('\n', out);
	}
}

/* ---- raw files -------------------------------------------------------- */

int bpf_write_raw(int fd, const struct sock_filter *prog, size_t len)
{
	const char *p = (const char *)prog;
	size_t left = len * sizeof(*prog);

	while (left > 0) {
		ssize_t n = write(fd, p, left);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		left -= (size_t)n;
	}
	return 0;
}

int bpf_from_bytes(const void *buf, size_t n, struct sock_filter **prog,
		   size_t *len)
{
	if (n == 0 || n % sizeof(**prog) != 0)
		return -EINVAL;
	if (n / sizeof(**prog) > BPF_MAXINSNS)
		return -E2BIG;
	*prog = xmalloc(n);
	memcpy(*prog, buf, n);
	*len = n / sizeof(**prog);
	return 0;
}

int bpf_read_raw(const char *path, struct sock_filter **prog, size_t *len)
{
	_cleanup_free_ char *buf = NULL;
	size_t n = 0;
	int r;

	r = read_file(path, &buf, &n, BPF_MAXINSNS * sizeof(**prog));
	if (r == -EFBIG)
		return -E2BIG;
	if (r < 0)
		return r;
	return bpf_from_bytes(buf, n, prog, len);
}
