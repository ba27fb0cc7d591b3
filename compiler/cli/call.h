/* SPDX-License-Identifier: MIT */
/*
 * call.h - what 'leash explain' and 'leash test' share: one system call
 * as a user writes it ('socket(AF_INET, SOCK_STREAM, 0)', '83(0)'), its
 * number on an arch, its arguments as constants of a policy, the action
 * the compiled filter gives it and the statement that decided that.
 *
 * Both commands answer from the compiled BPF run in the interpreter
 * (what the kernel would do) and name the statement from the IR; the
 * two are cross-checked, so a wrong answer is an internal error, never
 * a plausible lie.
 */
#ifndef LEASH_CLI_CALL_H
#define LEASH_CLI_CALL_H

#include "front/flat.h"
#include "seccomp/build.h"

#define CALL_MAX_ARGS 6

/* A call as written: its name (or number) and argument texts, each with
 * the byte offset where it starts in the text parsed. */
struct call {
	char *name;
	size_t name_off;
	char *args[CALL_MAX_ARGS];
	size_t arg_off[CALL_MAX_ARGS];
	unsigned n_args;
};

/*
 * "socket(AF_INET, SOCK_STREAM, 0)" -> name and argument texts; the
 * parentheses may be left out.  Returns false with *@why and the offset
 * of the problem in *@where.  Release @c with call_free() either way.
 */
bool call_parse(const char *s, struct call *c, const char **why,
		size_t *where);
void call_free(struct call *c);

/* The place of @len bytes at byte offset @off of @f's text. */
struct leash_loc call_loc(const struct src_file *f, size_t off, size_t len);

/*
 * The number of @name (a system call name, or a number in any C base)
 * on @arch, its bias (x32) added, into *@nr.  Otherwise an error at @loc
 * (NULL: not tied to a file), with the nearest name for a misspelling,
 * and false.
 */
bool call_nr(struct diag *d, const struct leash_loc *loc, const char *name,
	     enum leash_arch arch, int64_t *nr);

/*
 * Evaluate @text as a constant expression of @ctx (numbers, built-in
 * constants of @arch, the policy's defines) into *@out.  @at is where @text is
 * written (a vectors file, the command line as "<call>"), so that every
 * error points into it.  Returns false after reporting.
 */
bool call_eval(struct leash_ctx *ctx, enum leash_arch arch, const char *text,
	       const struct leash_loc *at, uint64_t *out);

/*
 * An action as the language writes it, "errno(EPERM)", "trace(7)",
 * "kill_process", into @buf: errno by name where it has one.  Data an
 * action has no use for shows the raw value, so two different answers
 * never read the same.
 */
const char *call_action_str(enum leash_arch arch, uint32_t action, char *buf,
			    size_t len);

/*
 * Run the call through @sc's BPF and check the answer against the IR.
 * Returns 0 with the filter's return value in *@ret, or -EPROTO after an
 * internal error to @d.
 */
int call_run(struct diag *d, const struct seccomp_out *sc,
	     enum leash_arch arch, int64_t nr, const uint64_t args[6],
	     uint32_t *ret);

/* Why the filter answered as it did (call_decider()). */
enum call_why {
	CALL_BAD_ARCH,	/* the arch is not the policy's */
	CALL_UNKNOWN,	/* above every number leash knows: 'unknown',
			 * else 'default' */
	CALL_RULE,	/* a rule matched */
	CALL_NETWORK,	/* the network section refused a socket */
	CALL_DEFAULT,	/* no rule matched: 'default' */
};

/*
 * The statement that decides the call, into *@stmt (NULL where the
 * policy does not write one, as an implicit default); for CALL_NETWORK,
 * the network entry into *@net instead.
 */
enum call_why call_decider(const struct ir_filter *ir,
			   const struct flat_policy *fp, enum leash_arch arch,
			   int64_t nr, const uint64_t args[6],
			   const struct sc_stmt **stmt,
			   const struct leash_loc **net);

/*
 * Every statement that gives call @nr on @arch the action @action for
 * some arguments, for a record that has none (the kernel's seccomp audit
 * lines): @fn once each, in rule order, with why (CALL_RULE,
 * CALL_NETWORK, CALL_DEFAULT, CALL_UNKNOWN) and the statement or
 * network entry, as call_decider() gives them.  Returns how many, or -1
 * when @arch is not the policy's (CALL_BAD_ARCH: the bad-arch action).
 */
typedef void call_giver_fn(void *opaque, enum call_why why,
			   const struct sc_stmt *stmt,
			   const struct leash_loc *net);
int call_givers(const struct ir_filter *ir, const struct flat_policy *fp,
		enum leash_arch arch, int64_t nr, uint32_t action,
		call_giver_fn *fn, void *opaque);

/*
 * Whether @path starts with something other than text (a NUL byte or
 * invalid UTF-8 in its first KiB): a compiled filter or any other file
 * given by mistake, which the front end would answer with a screen of
 * stray bytes.  false when it cannot be read: the reader says why.
 */
bool call_file_is_binary(const char *path);

#endif
