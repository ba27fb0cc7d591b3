/* SPDX-License-Identifier: MIT */
/*
 * ir.h - the seccomp IR: per arch, per syscall, an ordered rule list.
 *
 * Lowering (lower.c) expands includes, groups, 'when' and 'extends' into
 * this form and normalizes every condition: negation pushed down to the
 * comparisons, 'in' sets turned into ORs, constants folded, the width of
 * each argument (32 or 64 bits) fixed.  What is left is first match wins
 * over plain data that every backend reads and none modifies:
 *
 *   emit-bpf.c     native classic-BPF code generator (ordered rules)
 *   disjoint.c     rules -> disjoint boxes, for targets without ordering
 *   emit-json.c    Docker/OCI seccomp JSON, from the boxes
 *   emit-scmp.c    libseccomp filter, from the boxes (second backend)
 */
#ifndef LEASH_IR_H
#define LEASH_IR_H

#include "common/util.h"
#include "common/tables.h"

struct sc_stmt;
struct leash_loc;

/* SECCOMP_RET_* values, so an action is just the filter's return value. */
#define IR_RET_KILL_PROCESS 0x80000000u
#define IR_RET_KILL_THREAD 0x00000000u
#define IR_RET_TRAP 0x00030000u
#define IR_RET_ERRNO 0x00050000u	/* | errno (0..4095) */
#define IR_RET_NOTIFY 0x7fc00000u
#define IR_RET_TRACE 0x7ff00000u	/* | data (0..65535) */
#define IR_RET_LOG 0x7ffc0000u
#define IR_RET_ALLOW 0x7fff0000u
#define IR_RET_ACTION_MASK 0xffff0000u
#define IR_RET_DATA_MASK 0x0000ffffu

/*
 * One comparison: (args[arg] & mask) OP value, unsigned, on the low
 * @width bits.  For width 32, mask and value fit in 32 bits and the
 * upper half of the register is ignored, as the kernel ignores it.  A
 * plain comparison has mask = all ones (of the width).
 */
enum ir_op { IR_EQ, IR_NE, IR_LT, IR_LE, IR_GT, IR_GE };

struct ir_cmp {
	uint8_t arg;		/* 0..5 */
	uint8_t width;		/* 32 or 64 */
	enum ir_op op;
	uint64_t mask;
	uint64_t value;
};

/* A negation-free condition tree. */
enum ir_cond_kind { IRC_TRUE, IRC_FALSE, IRC_CMP, IRC_AND, IRC_OR };

struct ir_cond {
	enum ir_cond_kind kind;
	struct ir_cmp cmp;		/* IRC_CMP */
	struct ir_cond **kids;		/* IRC_AND, IRC_OR */
	size_t n_kids;
};

struct ir_rule {
	struct ir_cond *cond;		/* NULL: always matches */
	uint32_t action;		/* IR_RET_* | data */
	const struct sc_stmt *src;	/* for explain: file:line; NULL for
					 * a rule the network section adds */
	const struct leash_loc *net_loc;	/* that rule's statement */
};

struct ir_syscall {
	int64_t nr;			/* as seccomp_data.nr shows it (x32 bias
					 * included) */
	const char *name;		/* borrowed from the tables */
	struct ir_rule *rules;		/* first match wins; nothing follows an
					 * unconditional rule */
	size_t n_rules;
};

struct ir_arch {
	enum leash_arch arch;
	uint32_t default_action;	/* no rule matched */
	uint32_t unknown_action;	/* nr > max_nr */
	int64_t max_nr;			/* highest number leash knows (bias
					 * included) */
	struct ir_syscall *sys;		/* sorted by nr, each nr once */
	size_t n_sys;
};

struct ir_filter {
	struct ir_arch *arches;		/* in the policy's order */
	size_t n_arches;
	uint32_t bad_arch_action;	/* any other arch: IR_RET_KILL_PROCESS */
};

/* Constructors and destructors (ir.c). */
struct ir_cond *ir_cond_new(enum ir_cond_kind kind);
struct ir_cond *ir_cond_cmp(const struct ir_cmp *c);
void ir_cond_add(struct ir_cond *parent, struct ir_cond *kid);
void ir_cond_free(struct ir_cond *c);
void ir_filter_free(struct ir_filter *f);

/* Evaluate a condition on concrete arguments (tests, explain, fuzzers). */
bool ir_cond_eval(const struct ir_cond *c, const uint64_t args[6]);
/* The action the IR gives for a call: the reference semantics that every
 * backend must reproduce.  @nr carries the x32 bias. */
uint32_t ir_eval(const struct ir_filter *f, uint32_t audit_arch, int64_t nr,
		 const uint64_t args[6]);

/* "allow", "errno(1)", "kill_process", ... into @buf. */
const char *ir_action_str(uint32_t action, char *buf, size_t len);

#endif
