/* SPDX-License-Identifier: MIT */
/*
 * ast.h - the syntax tree of a leash policy file (docs/language.md).
 *
 * The parser only builds this tree: it looks nothing up, so definitions
 * may come after their use.  Names are resolved and checked by the
 * passes in resolve.c and check.c.  Every node keeps its location.
 *
 * Ownership: a struct ast_file owns everything below it; ast_file_free()
 * releases it.  Resolved pointers (ast_policy.base_ptrs, ...) borrow.
 */
#ifndef LEASH_AST_H
#define LEASH_AST_H

#include "common/diag.h"
#include "common/tables.h"

/* A located name or string: identifiers, syscall names, paths, ... */
struct ast_name {
	char *s;
	struct leash_loc loc;
};
VEC(name_vec, struct ast_name);

/* ---- expressions ---------------------------------------------------- */

/*
 * One expression grammar serves constant expressions (define, errno(),
 * ports) and argument conditions (seccomp 'if').  Precedence is C's:
 * || < && < | < ^ < & < == != < < <= > >= < in < << >> < + - < * < unary.
 * So "(arg0 & M) == V" needs its parentheses, as docs/language.md writes it,
 * and "arg0 & M == V" is a type error instead of a surprise.
 * check.c types every node as a constant or a condition.
 */
enum expr_kind {
	EX_NUM,		/* num */
	EX_NAME,	/* name: a define, a built-in constant or an argument */
	EX_UNARY,	/* op lhs: OP_NOT OP_BNOT OP_NEG */
	EX_BINARY,	/* lhs op rhs */
	EX_IN,		/* lhs in { items } */
};

enum expr_op {
	OP_NONE,
	OP_LOR, OP_LAND, OP_NOT,		/* conditions */
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,	/* comparisons */
	OP_BOR, OP_BXOR, OP_BAND, OP_SHL, OP_SHR,	/* constants */
	OP_ADD, OP_SUB, OP_MUL, OP_BNOT, OP_NEG,
};

VEC(expr_vec, struct expr *);

struct expr {
	enum expr_kind kind;
	enum expr_op op;
	struct leash_loc loc;	/* the whole expression */
	struct leash_loc op_loc;	/* the operator token */
	unsigned depth;		/* 1 for a leaf; bounded by the parser */
	uint64_t num;
	char *name;
	struct expr *lhs, *rhs;
	struct expr_vec items;	/* EX_IN */
};

/* The parser refuses deeper trees, so every recursive walk is bounded. */
#define LEASH_MAX_EXPR_DEPTH 256

/* ---- seccomp -------------------------------------------------------- */

enum action_kind {
	ACT_ALLOW,
	ACT_LOG,
	ACT_TRAP,
	ACT_NOTIFY,
	ACT_KILL_PROCESS,	/* 'kill' and 'kill_process' */
	ACT_KILL_THREAD,
	ACT_ERRNO,		/* 'errno(N)' and 'deny' (= errno(EPERM)) */
	ACT_TRACE,
};

struct ast_action {
	enum action_kind kind;
	struct expr *value;	/* errno()/trace() argument; NULL for deny */
	bool is_deny;		/* spelled 'deny' */
	struct leash_loc loc;
};

struct ast_argdecl {
	struct ast_name name;
	unsigned width;		/* 0 (from the table), 32 or 64 */
	struct leash_loc width_loc;
};
VEC(argdecl_vec, struct ast_argdecl);

struct ast_target {
	struct ast_name name;	/* syscall name, or "@group" when is_group */
	bool is_group;
	bool has_decl;		/* written with '(...)' */
	struct argdecl_vec args;
};
VEC(target_vec, struct ast_target);

enum cond_kind { COND_CAP, COND_ARCH, COND_NOT, COND_AND, COND_OR };

/* 'when' conditions: decided at compile time, never in the filter. */
struct ast_cond {
	enum cond_kind kind;
	struct ast_name name;	/* COND_CAP / COND_ARCH */
	struct ast_cond *lhs, *rhs;	/* COND_NOT uses lhs */
	struct leash_loc loc;
	unsigned depth;
};

enum sc_kind { SC_DEFAULT, SC_UNKNOWN, SC_ARCH, SC_RULE, SC_WHEN };

struct sc_stmt;
VEC(sc_stmt_vec, struct sc_stmt *);

struct sc_stmt {
	enum sc_kind kind;
	struct leash_loc loc;		/* the whole statement */
	struct ast_action action;	/* SC_DEFAULT, SC_UNKNOWN, SC_RULE */
	struct name_vec arches;		/* SC_ARCH */
	struct target_vec targets;	/* SC_RULE */
	struct expr *cond;		/* SC_RULE 'if', or NULL */
	struct ast_cond *when;		/* SC_WHEN */
	struct sc_stmt_vec body;	/* SC_WHEN */
};

/* ---- capabilities ---------------------------------------------------- */

enum cap_kind { CAPS_BASE, CAPS_DROP, CAPS_ADD, CAPS_AMBIENT };

struct cap_stmt {
	enum cap_kind kind;
	struct leash_loc loc;
	struct name_vec names;	/* CAPS_BASE: one name (none|docker|all) */
	bool all;		/* 'drop all' */
};
VEC(cap_stmt_vec, struct cap_stmt);

/* ---- filesystem ------------------------------------------------------ */

enum fs_kind { FS_READ_ONLY_ROOT, FS_ALLOW, FS_DENY, FS_MASK, FS_READONLY };

struct fs_stmt {
	enum fs_kind kind;
	struct leash_loc loc;
	struct ast_name mode;	/* FS_ALLOW / FS_DENY: letters from rwxmlk */
	struct name_vec paths;	/* strings */
};
VEC(fs_stmt_vec, struct fs_stmt);

/* ---- network --------------------------------------------------------- */

/* One "family [type]" entry; either part may be absent ('deny raw'). */
struct net_entry {
	struct ast_name first;	/* a family, or a type when it stands alone */
	struct ast_name second;	/* a type, or s == NULL */
	struct leash_loc loc;
};
VEC(net_entry_vec, struct net_entry);

struct net_port {
	struct expr *value;
	struct leash_loc loc;
};
VEC(net_port_vec, struct net_port);

enum net_kind { NET_RULE, NET_PORTS, NET_NONE };

struct net_stmt {
	enum net_kind kind;
	bool deny;
	struct leash_loc loc;
	struct net_entry_vec entries;	/* NET_RULE */
	struct ast_name op;		/* NET_PORTS: bind | connect */
	struct ast_name proto;		/* NET_PORTS: tcp */
	struct net_port_vec ports;	/* NET_PORTS */
};
VEC(net_stmt_vec, struct net_stmt);

/* ---- apparmor / process / limits -------------------------------------- */

enum aa_kind { AA_NAME, AA_TEMPLATE, AA_FLAGS, AA_RAW };

struct aa_stmt {
	enum aa_kind kind;
	struct leash_loc loc;
	struct name_vec values;	/* name, template, flags, raw strings */
};
VEC(aa_stmt_vec, struct aa_stmt);

enum proc_kind {
	PROC_NNP, PROC_USER, PROC_GROUPS, PROC_NAMESPACES, PROC_UNSCOPED
};

struct proc_stmt {
	enum proc_kind kind;
	struct leash_loc loc;
	struct ast_name nnp_value;	/* PROC_NNP: s == NULL, "on" or "off" */
	struct expr *uid, *gid;		/* PROC_USER (gid may be NULL) */
	struct expr_vec groups;		/* PROC_GROUPS */
	struct name_vec namespaces;	/* PROC_NAMESPACES */
	struct name_vec scopes;		/* PROC_UNSCOPED: signal,
					 * abstract_unix */
};
VEC(proc_stmt_vec, struct proc_stmt);

enum limit_value_kind {
	LV_EXPR,	/* a constant expression (plain integer) */
	LV_SIZE,	/* an integer literal with K/M/G/T: num is in bytes */
	LV_DECIMAL,	/* "1.5": text kept for exact parsing */
	LV_UNLIMITED,	/* 'unlimited' */
};

struct limit_value {
	enum limit_value_kind kind;
	struct expr *expr;	/* LV_EXPR */
	uint64_t num;		/* LV_SIZE */
	char *text;		/* LV_DECIMAL */
	struct leash_loc loc;
};

struct limit_stmt {
	struct ast_name name;	/* memory, cpus, pids, nofile, core, ... */
	struct leash_loc loc;
	struct limit_value soft;
	bool has_hard;		/* "nofile 1024:4096" */
	struct limit_value hard;
};
VEC(limit_stmt_vec, struct limit_stmt);

/* ---- top level ------------------------------------------------------- */

struct ast_policy;
VEC(policy_ptr_vec, struct ast_policy *);

/*
 * Where a define, group or policy stands in resolve.c's depth-first
 * walk; zero (a fresh node) is AST_UNVISITED.
 */
enum ast_visit {
	AST_UNVISITED,
	AST_VISITING,	/* on the walk's stack: reaching it again is a cycle */
	AST_DONE,	/* resolved */
	AST_BROKEN,	/* failed and already reported */
};

struct ast_policy {
	struct ast_name name;
	struct leash_loc loc;		/* 'policy NAME' */
	struct name_vec bases;		/* extends a, b */
	/* Repeated sections are concatenated in source order. */
	struct sc_stmt_vec seccomp;
	struct cap_stmt_vec caps;
	struct fs_stmt_vec fs;
	struct net_stmt_vec net;
	struct aa_stmt_vec apparmor;
	struct proc_stmt_vec process;
	struct limit_stmt_vec limits;
	/* Filled by resolve.c. */
	struct policy_ptr_vec base_ptrs;
	enum ast_visit visit;	/* extends cycle detection */
};

struct ast_include {
	struct ast_name path;	/* the string or the <path> text */
	bool system;		/* <...> form */
	struct leash_loc loc;
};
VEC(include_vec, struct ast_include);

struct ast_define {
	struct ast_name name;
	struct expr *value;
	struct leash_loc loc;
	/* Filled by resolve.c. */
	enum ast_visit state;	/* evaluation, for self-reference */
	uint64_t num;		/* on the native arch */
	/* Built-in names make a define per arch (language.md section 2):
	 * its value on each arch, computed once (bit a of arch_done). */
	bool builtin;
	uint32_t arch_done;
	uint64_t arch_num[ARCH_COUNT];
};
VEC(define_vec, struct ast_define *);

struct ast_group {
	struct ast_name name;	/* with its '@' */
	struct name_vec members;	/* syscall names and "@groups" */
	struct leash_loc loc;
	enum ast_visit visit;	/* group cycle detection */
};
VEC(group_vec, struct ast_group *);
VEC(policy_vec, struct ast_policy *);

/* One parsed file, in item order. */
struct ast_file {
	struct src_file *src;
	bool has_version;
	uint64_t version;
	struct leash_loc version_loc;
	struct include_vec includes;
	struct define_vec defines;
	struct group_vec groups;
	struct policy_vec policies;
};

/* Constructors used by the parser; all abort on OOM. */
struct expr *ast_expr_num(uint64_t v, const struct leash_loc *loc);
struct expr *ast_expr_name(char *name, const struct leash_loc *loc);
struct expr *ast_expr_unary(enum expr_op op, struct expr *e,
			const struct leash_loc *loc);
struct expr *ast_expr_binary(enum expr_op op, struct expr *l, struct expr *r,
			 const struct leash_loc *loc,
			 const struct leash_loc *op_loc);
struct expr *ast_expr_in(struct expr *l, struct expr_vec *items,
		     const struct leash_loc *loc);
void ast_expr_free(struct expr *e);
struct ast_cond *ast_cond_new(enum cond_kind k, struct ast_cond *l,
			  struct ast_cond *r, const struct leash_loc *loc);
void ast_cond_free(struct ast_cond *c);
void ast_sc_stmt_free(struct sc_stmt *s);
void ast_policy_free(struct ast_policy *p);
void ast_name_free(struct ast_name *n);
void ast_name_vec_free(struct name_vec *v);
void ast_file_free(struct ast_file *f);

const char *ast_expr_op_str(enum expr_op op);
const char *ast_action_name(enum action_kind k);

#endif
