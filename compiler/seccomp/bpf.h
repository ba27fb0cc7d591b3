/* SPDX-License-Identifier: MIT */
/*
 * bpf.h - classic BPF for seccomp, independent of the policy: a program
 * builder with symbolic labels, the kernel's load-time checks, an
 * interpreter, a disassembler and raw file I/O.
 *
 * Code generators emit instructions in any order they like and jump to
 * labels; bpf_assemble() lays the program out, resolves every jump and
 * inserts the trampolines classic BPF needs for conditional jumps longer
 * than 255 instructions.  The interpreter accepts exactly what the
 * kernel's seccomp() accepts (net/core/filter.c bpf_check_classic() plus
 * kernel/seccomp.c seccomp_check_filter()), so a test that runs a filter
 * here cannot pass on a program the kernel would refuse.
 */
#ifndef LEASH_BPF_H
#define LEASH_BPF_H

#include "common/util.h"

#include <linux/filter.h>
#include <linux/seccomp.h>

/* Offsets into struct seccomp_data: 64 bytes, loaded 4 at a time. */
#define BPF_SD_NR 0u
#define BPF_SD_ARCH 4u
#define BPF_SD_IP 8u
#define BPF_SD_ARGS 16u
#define BPF_SD_SIZE 64u

/*
 * The word of args[@arg] holding bits 0..31 (@hi false) or 32..63.  The
 * kernel stores the 64-bit args in its own byte order; leash targets the
 * machine it runs on, so the host's byte order decides.
 */
static inline uint32_t bpf_arg_off(unsigned int arg, bool hi)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	hi = !hi;
#endif
	return BPF_SD_ARGS + 8u * arg + (hi ? 4u : 0u);
}

/* ---- builder ---------------------------------------------------------- */

/* One instruction before layout: jump targets are label ids. */
struct bpf_sym {
	uint16_t code;
	uint32_t k;
	int jt, jf;		/* conditional jumps; BPF_JA uses jt */
};

struct bpf_builder {
	VEC(bpf_sym_vec, struct bpf_sym) ins;
	VEC(bpf_label_vec, size_t) labels;	/* label -> index in ins */
	int err;		/* first error, reported by bpf_assemble() */
	size_t n_trampolines;	/* set by bpf_assemble() */
};

void bpf_builder_init(struct bpf_builder *b);
void bpf_builder_fini(struct bpf_builder *b);
/* A new label, bound to nothing yet. */
int bpf_label(struct bpf_builder *b);
/* Bind @label to the next instruction emitted. */
void bpf_bind(struct bpf_builder *b, int label);
/* Any instruction that does not jump. */
void bpf_stmt(struct bpf_builder *b, uint16_t code, uint32_t k);
/* A conditional jump (BPF_JMP | JEQ/JGT/JGE/JSET | K/X). */
void bpf_jump(struct bpf_builder *b, uint16_t code, uint32_t k, int jt,
	      int jf);
/* An unconditional jump (BPF_JA). */
void bpf_goto(struct bpf_builder *b, int label);
/* Instructions emitted so far (before layout). */
size_t bpf_count(const struct bpf_builder *b);
/*
 * Lay the program out into a new array.  Returns 0, -EINVAL for a jump
 * to an unbound label or backwards, or -E2BIG past BPF_MAXINSNS.
 */
int bpf_assemble(struct bpf_builder *b, struct sock_filter **prog,
		 size_t *len);

/* ---- checks and interpreter ------------------------------------------- */

/* The kernel's verdict on loading @prog as a seccomp filter: 0 or -EINVAL. */
int bpf_check(const struct sock_filter *prog, size_t len);

struct bpf_trace {
	uint32_t steps;		/* instructions executed, the RET included */
	uint16_t loaded;	/* bit i: the word at offset 4 * i was read */
};

/*
 * Run a program that passed bpf_check() on @d.  Stays safe on any input:
 * what the kernel would not run (bad opcode or offset, a jump out of the
 * program, falling off its end) returns -EINVAL, never a guess.  @tr may
 * be NULL.
 */
int bpf_exec(const struct sock_filter *prog, size_t len,
	     const struct seccomp_data *d, uint32_t *ret,
	     struct bpf_trace *tr);
/* bpf_check() then bpf_exec(). */
int bpf_run(const struct sock_filter *prog, size_t len,
	    const struct seccomp_data *d, uint32_t *ret, struct bpf_trace *tr);

/* ---- listing and files ------------------------------------------------ */

/* "ALLOW", "ERRNO(13)", "KILL_PROCESS", ... into @buf. */
const char *bpf_ret_str(uint32_t ret, char *buf, size_t len);
/* "nr", "arch", "args[1].hi", ... into @buf. */
const char *bpf_off_str(uint32_t off, char *buf, size_t len);
/* One line per instruction, jump targets as absolute indices. */
void bpf_disasm(FILE *out, const struct sock_filter *prog, size_t len);

/*
 * The raw program: an array of struct sock_filter in host byte order,
 * what seccomp_export_bpf() writes and 'bwrap --seccomp FD' reads.
 */
int bpf_write_raw(int fd, const struct sock_filter *prog, size_t len);
int bpf_from_bytes(const void *buf, size_t n, struct sock_filter **prog,
		   size_t *len);
int bpf_read_raw(const char *path, struct sock_filter **prog, size_t *len);

#endif
