/* SPDX-License-Identifier: MIT */
/*
 * parser.y - the grammar of the leash policy language (docs/language.md 1-7).
 *
 * This file owns the syntax: it turns the tokens of lexer.l into the tree
 * of ast.h and reports syntax errors.  It looks nothing up (names are
 * resolved later, so a define may follow its use) and judges nothing a
 * later pass can judge better; the few checks here are about the shape of
 * the text itself (the version item comes first, 'x:32' widths, nesting
 * limits).
 *
 * Design notes:
 *
 * - Pure parser, reentrant scanner: no global state, so the fuzzer and the
 *   tests can parse many files in one process.
 *
 * - Keywords are reserved only where the grammar expects one.  Wherever a
 *   name is expected, the 'ident' nonterminal accepts an identifier or any
 *   keyword, so 'kill kill;' (action kill, syscall kill) and
 *   'define allow = 3;' parse.  Two spots need a smaller set to stay
 *   conflict free: expressions ('in' is an operator there) and network
 *   entries ('bind'/'connect' start a port rule there).
 *
 * - Sections append straight into the policy being parsed (gs->cur), so
 *   their statements never live on the parser stack.  Seccomp statements
 *   do, because 'when' blocks nest.
 *
 * - Error recovery: every block has "list error ';'" (skip a statement)
 *   and "'{' list error '}'" (give up on the block) rules, so one run
 *   reports several errors.  Every heap value on the stack has a
 *   %destructor, so recovery and aborts free what they drop (tested under
 *   ASan/LSan and libFuzzer).
 *
 * - Hostile nesting: the tree depth of expressions and 'when' conditions
 *   is checked as nodes are built (LEASH_MAX_EXPR_DEPTH), 'when' blocks
 *   against LEASH_MAX_NEST; the lexer bounds parentheses, braces and runs
 *   of prefix operators before the parser stack can grow; YYMAXDEPTH is
 *   the backstop.  Exceeding any of them is a located error that ends the
 *   parse of the file (the tree built so far is kept and freed normally).
 */

%require "3.6"
%define api.pure full
%define api.prefix {leash_yy}
%define api.location.type {struct leash_loc}
%define parse.error custom
/* Exact "expecting ..." lists despite LALR default reductions. */
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {struct grammar_state *gs}

%code top {
/*
 * struct leash_loc carries the source file: spans keep the file of their
 * first symbol, and an empty rule takes the end of the previous symbol.
 */
#define YYLLOC_DEFAULT(Cur, Rhs, N)					\
	do {								\
		if (N) {						\
			(Cur).file = YYRHSLOC(Rhs, 1).file;		\
			(Cur).first_line = YYRHSLOC(Rhs, 1).first_line;	\
			(Cur).first_column = YYRHSLOC(Rhs, 1).first_column; \
			(Cur).last_line = YYRHSLOC(Rhs, N).last_line;	\
			(Cur).last_column = YYRHSLOC(Rhs, N).last_column; \
		} else {						\
			(Cur).file = YYRHSLOC(Rhs, 0).file;		\
			(Cur).first_line = (Cur).last_line =		\
				YYRHSLOC(Rhs, 0).last_line;		\
			(Cur).first_column = (Cur).last_column =	\
				YYRHSLOC(Rhs, 0).last_column;		\
		}							\
	} while (0)

/*
 * Legitimate input needs a few hundred stack entries at most (the lexer
 * and the depth checks see to that); this only keeps an input that slips
 * past them from growing the stack without bound.
 */
#define YYMAXDEPTH 10000
#define YYMALLOC xmalloc
#define YYFREE free
}

%code requires {
#include "front/front.h"

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

/* Braces the lexer remembers, for "to match this '{'" at end of file. */
#define GRAMMAR_MAX_BRACES (LEASH_MAX_NEST + 8)

/*
 * State of one parse, shared by the scanner (as its "extra" data) and the
 * parser.  Lives on grammar_parse()'s stack.
 */
struct grammar_state {
	struct leash_ctx *ctx;
	struct src_file *src;
	struct ast_file *file;		/* the tree being built */
	struct ast_policy *cur;		/* policy whose body is being parsed */
	unsigned n_items;		/* top-level items so far */
	bool aborted;			/* a fatal error ended the parse */
	bool abort_sent;		/* LEX_ABORT returned; now only EOF */
	/* Scanner position: the next byte to scan. */
	int line, col;
	size_t off;
	/* The last token scanned, for messages and the EOF location. */
	size_t tok_off, tok_len;
	int end_line, end_col;
	/* Nesting seen by the scanner (see lexer.l). */
	unsigned paren_depth, prefix_run, brace_depth;
	struct leash_loc braces[GRAMMAR_MAX_BRACES];
};
}

%code provides {
int leash_yylex(LEASH_YYSTYPE *lval, LEASH_YYLTYPE *lloc, yyscan_t scanner);
}

%code {
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void leash_yyerror(LEASH_YYLTYPE *loc, yyscan_t scanner,
			  struct grammar_state *gs, const char *msg);

static struct ast_name mkname(char *s, const LEASH_YYLTYPE *loc)
{
	struct ast_name n = { .s = s, .loc = *loc };

	return n;
}

/* The span from the start of @a to the end of @b. */
static struct leash_loc span(const LEASH_YYLTYPE *a, const LEASH_YYLTYPE *b)
{
	struct leash_loc l = *a;

	l.last_line = b->last_line;
	l.last_column = b->last_column;
	return l;
}

static void too_deep(struct grammar_state *gs, const LEASH_YYLTYPE *loc,
		     const char *what, int limit)
{
	diag_error(&gs->ctx->diag, loc, "%s nested too deeply (more than %d levels)",
		   what, limit);
	gs->aborted = true;
}

/*
 * Refuse a tree deeper than every later pass is prepared to recurse.
 * Runs inside an action: the node owns the rule's values by now, so
 * freeing it is all the cleanup YYABORT needs (bison does not destroy
 * the symbols of the rule whose action aborts).
 */
#define CHECK_EXPR(e, loc)						\
	do {								\
		if ((e)->depth > LEASH_MAX_EXPR_DEPTH) {		\
			too_deep(gs, &(loc), "expression",		\
				 LEASH_MAX_EXPR_DEPTH);			\
			ast_expr_free(e);					\
			YYABORT;					\
		}							\
	} while (0)

#define CHECK_COND(c, loc)						\
	do {								\
		if ((c)->depth > LEASH_MAX_EXPR_DEPTH) {		\
			too_deep(gs, &(loc), "condition",		\
				 LEASH_MAX_EXPR_DEPTH);			\
			ast_cond_free(c);					\
			YYABORT;					\
		}							\
	} while (0)

#define BINARY(res, op, l, r, all, oploc)				\
	do {								\
		(res) = ast_expr_binary((op), (l), (r), &(all), &(oploc));	\
		CHECK_EXPR(res, oploc);					\
	} while (0)

#define UNARY(res, op, e, all, oploc)					\
	do {								\
		(res) = ast_expr_unary((op), (e), &(all));			\
		CHECK_EXPR(res, oploc);					\
	} while (0)

/* ---- destructors of values that ast.c does not free on their own ---- */

static void expr_vec_free(struct expr_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		ast_expr_free(v->v[i]);
	VEC_FREE(v);
}

static void argdecl_vec_free(struct argdecl_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		ast_name_free(&v->v[i].name);
	VEC_FREE(v);
}

static void target_fini(struct ast_target *t)
{
	ast_name_free(&t->name);
	argdecl_vec_free(&t->args);
}

static void target_vec_free(struct target_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		target_fini(&v->v[i]);
	VEC_FREE(v);
}

static void sc_vec_free(struct sc_stmt_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		ast_sc_stmt_free(v->v[i]);
	VEC_FREE(v);
}

static void entry_fini(struct net_entry *e)
{
	ast_name_free(&e->first);
	ast_name_free(&e->second);
}

static void entry_vec_free(struct net_entry_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		entry_fini(&v->v[i]);
	VEC_FREE(v);
}

static void port_vec_free(struct net_port_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		ast_expr_free(v->v[i].value);
	VEC_FREE(v);
}

static void lv_fini(struct limit_value *v)
{
	ast_expr_free(v->expr);
	free(v->text);
}

/* ---- building ----------------------------------------------------------- */

static struct sc_stmt *sc_new(enum sc_kind kind, const LEASH_YYLTYPE *loc)
{
	struct sc_stmt *s = xcalloc(1, sizeof(*s));

	s->kind = kind;
	s->loc = *loc;
	return s;
}

static struct ast_action action(enum action_kind kind, struct expr *value,
				const LEASH_YYLTYPE *loc)
{
	struct ast_action a = { .kind = kind, .value = value, .loc = *loc };

	return a;
}

/* Depth of the deepest chain of 'when' blocks in @body. */
static unsigned when_depth(const struct sc_stmt_vec *body)
{
	unsigned d = 0, sub;
	size_t i;

	for (i = 0; i < body->n; i++) {
		if (body->v[i]->kind != SC_WHEN)
			continue;
		sub = 1 + when_depth(&body->v[i]->body);
		if (sub > d)
			d = sub;
	}
	return d;
}

/* Move the statements of one 'seccomp { }' into the current policy. */
static void append_seccomp(struct grammar_state *gs, struct sc_stmt_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		VEC_PUSH(&gs->cur->seccomp, v->v[i]);
	VEC_FREE(v);
}

static void add_cap(struct grammar_state *gs, enum cap_kind kind,
		    struct name_vec *names, const LEASH_YYLTYPE *loc)
{
	struct cap_stmt c = { .kind = kind, .loc = *loc, .names = *names };

	/*
	 * 'all' is not reserved ('drop all' alone is special, as in docker's
	 * --cap-drop ALL); anything else named 'all' is left for check.c to
	 * call an unknown capability.
	 */
	if (kind == CAPS_DROP && c.names.n == 1 &&
	    strcasecmp(c.names.v[0].s, "all") == 0) {
		ast_name_vec_free(&c.names);
		c.all = true;
	}
	VEC_PUSH(&gs->cur->caps, c);
}

static void add_fs(struct grammar_state *gs, enum fs_kind kind,
		   struct ast_name mode, struct name_vec *paths,
		   const LEASH_YYLTYPE *loc)
{
	struct fs_stmt f = { .kind = kind, .loc = *loc, .mode = mode };

	if (paths)
		f.paths = *paths;
	VEC_PUSH(&gs->cur->fs, f);
}

static void add_net(struct grammar_state *gs, struct net_stmt *n)
{
	VEC_PUSH(&gs->cur->net, *n);
}

static void add_aa(struct grammar_state *gs, enum aa_kind kind,
		   struct name_vec *values, const LEASH_YYLTYPE *loc)
{
	struct aa_stmt a = { .kind = kind, .loc = *loc, .values = *values };

	VEC_PUSH(&gs->cur->apparmor, a);
}

static void add_aa1(struct grammar_state *gs, enum aa_kind kind,
		    struct ast_name value, const LEASH_YYLTYPE *loc)
{
	struct name_vec v = { 0 };

	VEC_PUSH(&v, value);
	add_aa(gs, kind, &v, loc);
}

static void add_proc(struct grammar_state *gs, struct proc_stmt *p)
{
	VEC_PUSH(&gs->cur->process, *p);
}

static struct limit_value lv_expr(struct expr *e, const LEASH_YYLTYPE *loc)
{
	struct limit_value v = { .kind = LV_EXPR, .expr = e, .loc = *loc };

	/*
	 * 'unlimited' is not reserved either: as a value it means "no
	 * limit" (a define of that name cannot be used here).
	 */
	if (e->kind == EX_NAME && strcmp(e->name, "unlimited") == 0) {
		ast_expr_free(e);
		v.expr = NULL;
		v.kind = LV_UNLIMITED;
	}
	return v;
}

static void add_limit(struct grammar_state *gs, struct ast_name name,
		      struct limit_value *soft, struct limit_value *hard,
		      const LEASH_YYLTYPE *loc)
{
	struct limit_stmt l = { .name = name, .loc = *loc, .soft = *soft };

	if (hard) {
		l.has_hard = true;
		l.hard = *hard;
	}
	VEC_PUSH(&gs->cur->limits, l);
}

static void set_version(struct grammar_state *gs, uint64_t v,
			const LEASH_YYLTYPE *vloc, const LEASH_YYLTYPE *all)
{
	if (gs->n_items > 0 || gs->file->has_version) {
		diag_error(&gs->ctx->diag, all,
			   "the 'leash' version must be the first item of a file");
		return;
	}
	gs->file->has_version = true;
	gs->file->version = v;
	gs->file->version_loc = *vloc;
}

static void add_include(struct grammar_state *gs, char *path, bool system,
			const LEASH_YYLTYPE *ploc, const LEASH_YYLTYPE *all)
{
	struct ast_include inc = {
		.path = mkname(path, ploc), .system = system, .loc = *all,
	};

	VEC_PUSH(&gs->file->includes, inc);
}

static void add_define(struct grammar_state *gs, char *name,
		       const LEASH_YYLTYPE *nloc, struct expr *value,
		       const LEASH_YYLTYPE *all)
{
	struct ast_define *d = xcalloc(1, sizeof(*d));

	d->name = mkname(name, nloc);
	d->value = value;
	d->loc = *all;
	VEC_PUSH(&gs->file->defines, d);
}

static void add_group(struct grammar_state *gs, char *name,
		      const LEASH_YYLTYPE *nloc, struct name_vec *members,
		      const LEASH_YYLTYPE *kwloc)
{
	struct ast_group *g = xcalloc(1, sizeof(*g));

	g->name = mkname(name, nloc);
	g->members = *members;
	g->loc = span(kwloc, nloc);
	VEC_PUSH(&gs->file->groups, g);
}

/*
 * Called when 'policy NAME [extends ...] {' is read: the policy is owned
 * by the file from here on, so a syntax error in its body cannot leak it.
 */
static void begin_policy(struct grammar_state *gs, struct ast_name name,
			 struct name_vec *bases, const LEASH_YYLTYPE *kwloc)
{
	struct ast_policy *p = xcalloc(1, sizeof(*p));

	p->name = name;
	p->loc = span(kwloc, &name.loc);
	p->bases = *bases;
	VEC_PUSH(&gs->file->policies, p);
	gs->cur = p;
}

static const char *const section_names[] = {
	"seccomp", "capabilities", "filesystem", "network", "apparmor",
	"process", "limits",
};

static void unknown_section(struct grammar_state *gs, const char *name,
			    const LEASH_YYLTYPE *loc)
{
	const char *hint = NULL;
	size_t i, best = 3, d;

	for (i = 0; i < ARRAY_SIZE(section_names); i++) {
		d = edit_distance(name, section_names[i], 2);
		if (d < best) {
			best = d;
			hint = section_names[i];
		}
	}
	if (hint)
		diag_error(&gs->ctx->diag, loc,
			   "unknown section '%s' (did you mean '%s'?)", name,
			   hint);
	else
		diag_error(&gs->ctx->diag, loc,
			   "unknown section '%s' (expected seccomp, capabilities, filesystem, network, apparmor, process or limits)",
			   name);
}
}

%union {
	char *str;
	const char *kw;		/* a keyword's spelling (static) */
	uint64_t num;
	struct expr *expr;
	struct expr_vec exprs;
	struct ast_cond *cond;
	struct ast_action action;
	struct ast_name name;
	struct name_vec names;
	struct ast_argdecl argdecl;
	struct argdecl_vec argdecls;
	struct ast_target target;
	struct target_vec targets;
	struct sc_stmt *sc;
	struct sc_stmt_vec scs;
	struct net_entry entry;
	struct net_entry_vec entries;
	struct net_port_vec ports;
	struct limit_value lv;
}

/*
 * Punctuation first: "expecting" lists follow declaration order, and
 * "expecting ';' or ','" reads better than the reverse.
 */
%token ';' ',' ')' '}' '(' '{' ':' '='
%token OROR "'||'" ANDAND "'&&'" EQ "'=='" NE "'!='" LE "'<='" GE "'>='"
%token SHL "'<<'" SHR "'>>'"
%token '<' '>' '|' '^' '&' '+' '-' '*' '!' '~'

%token <str> IDENT "identifier"
%token <str> GROUP "group name"
%token <str> STRING "string"
%token <str> SYSPATH "include path"
%token <str> DECIMAL "decimal number"
%token <num> INT "integer"
%token <num> SIZE "size"
/* Returned once by the scanner after a fatal error; no rule accepts it. */
%token LEX_ABORT "invalid input"

%token <kw> KW_LEASH "'leash'" KW_INCLUDE "'include'" KW_DEFINE "'define'"
%token <kw> KW_GROUP "'group'" KW_POLICY "'policy'" KW_EXTENDS "'extends'"
%token <kw> KW_SECCOMP "'seccomp'" KW_CAPABILITIES "'capabilities'"
%token <kw> KW_FILESYSTEM "'filesystem'" KW_NETWORK "'network'"
%token <kw> KW_APPARMOR "'apparmor'" KW_PROCESS "'process'"
%token <kw> KW_LIMITS "'limits'"
%token <kw> KW_DEFAULT "'default'" KW_UNKNOWN "'unknown'" KW_ARCH "'arch'"
%token <kw> KW_WHEN "'when'" KW_IF "'if'" KW_IN "'in'" KW_CAP "'cap'"
%token <kw> KW_ALLOW "'allow'" KW_LOG "'log'" KW_TRAP "'trap'"
%token <kw> KW_NOTIFY "'notify'" KW_KILL "'kill'"
%token <kw> KW_KILL_PROCESS "'kill_process'" KW_KILL_THREAD "'kill_thread'"
%token <kw> KW_ERRNO "'errno'" KW_TRACE "'trace'" KW_DENY "'deny'"
%token <kw> KW_BASE "'base'" KW_DROP "'drop'" KW_ADD "'add'"
%token <kw> KW_AMBIENT "'ambient'"
%token <kw> KW_READ_ONLY_ROOT "'read_only_root'" KW_MASK "'mask'"
%token <kw> KW_READONLY "'readonly'"
%token <kw> KW_BIND "'bind'" KW_CONNECT "'connect'" KW_NONE "'none'"
%token <kw> KW_NAME "'name'" KW_TEMPLATE "'template'" KW_FLAGS "'flags'"
%token <kw> KW_RAW "'raw'"
%token <kw> KW_NO_NEW_PRIVILEGES "'no_new_privileges'" KW_USER "'user'"
%token <kw> KW_GROUPS "'groups'" KW_NAMESPACES "'namespaces'"
%token <kw> KW_UNSCOPED "'unscoped'"

%type <str> ident expr_ident net_word
%type <kw> kw_common kw_any
%type <name> iname pname sname net_op
%type <names> inames pnames snames members extends_opt
%type <expr> expr lor land bor bxor band eq rel inx shift add mul unary
%type <expr> primary if_opt
%type <exprs> exprs
%type <cond> cond cond_and cond_un cond_prim
%type <action> action
%type <argdecl> argdecl
%type <argdecls> argdecls
%type <target> target
%type <targets> targets
%type <sc> sc_stmt
%type <scs> sc_stmts
%type <entry> net_entry
%type <entries> net_entries
%type <ports> ports
%type <lv> lvalue

%destructor { free($$); } <str>
%destructor { ast_expr_free($$); } <expr>
%destructor { expr_vec_free(&$$); } <exprs>
%destructor { ast_cond_free($$); } <cond>
%destructor { ast_expr_free($$.value); } <action>
%destructor { ast_name_free(&$$); } <name>
%destructor { ast_name_vec_free(&$$); } <names>
%destructor { ast_name_free(&$$.name); } <argdecl>
%destructor { argdecl_vec_free(&$$); } <argdecls>
%destructor { target_fini(&$$); } <target>
%destructor { target_vec_free(&$$); } <targets>
%destructor { ast_sc_stmt_free($$); } <sc>
%destructor { sc_vec_free(&$$); } <scs>
%destructor { entry_fini(&$$); } <entry>
%destructor { entry_vec_free(&$$); } <entries>
%destructor { port_vec_free(&$$); } <ports>
%destructor { lv_fini(&$$); } <lv>

%initial-action {
	@$.file = gs->src;
	@$.first_line = @$.last_line = 1;
	@$.first_column = @$.last_column = 1;
}

%start file

%%

/* ---- file structure (docs/language.md 2) --------------------------------- */

file
	: items
	;

/*
 * Top-level recovery: skip to the end of the broken item.  No yyerrok on
 * '}': the closing braces of a half-parsed item would each report again.
 */
items
	: %empty
	| items item			{ gs->n_items++; }
	| items error ';'		{ gs->n_items++; yyerrok; }
	| items error '}'		{ gs->n_items++; }
	;

item
	: KW_LEASH INT ';'		{ set_version(gs, $2, &@2, &@$); }
	| KW_INCLUDE STRING ';'		{ add_include(gs, $2, false, &@2, &@$); }
	| KW_INCLUDE SYSPATH ';'	{ add_include(gs, $2, true, &@2, &@$); }
	| KW_DEFINE ident '=' expr ';'	{ add_define(gs, $2, &@2, $4, &@$); }
	| KW_GROUP GROUP '{' members '}'
					{ add_group(gs, $2, &@2, &$4, &@1); }
	| KW_GROUP GROUP '{' members ',' '}'
					{ add_group(gs, $2, &@2, &$4, &@1); }
	| policy
	;

members
	: iname				{ $$ = (struct name_vec){ 0 }; VEC_PUSH(&$$, $1); }
	| GROUP				{ $$ = (struct name_vec){ 0 }; VEC_PUSH(&$$, mkname($1, &@1)); }
	| members ',' iname		{ $$ = $1; VEC_PUSH(&$$, $3); }
	| members ',' GROUP		{ $$ = $1; VEC_PUSH(&$$, mkname($3, &@3)); }
	;

/* ---- policies (docs/language.md 3) --------------------------------------- */

policy
	: policy_head sections '}'
	| policy_head sections error '}'
	;

policy_head
	: KW_POLICY pname extends_opt '{'
					{ begin_policy(gs, $2, &$3, &@1); }
	;

pname
	: ident				{ $$ = mkname($1, &@1); }
	| STRING			{ $$ = mkname($1, &@1); }
	;

pnames
	: pname				{ $$ = (struct name_vec){ 0 }; VEC_PUSH(&$$, $1); }
	| pnames ',' pname		{ $$ = $1; VEC_PUSH(&$$, $3); }
	;

extends_opt
	: %empty			{ $$ = (struct name_vec){ 0 }; }
	| KW_EXTENDS pnames		{ $$ = $2; }
	;

sections
	: %empty
	| sections section
	;

section
	: KW_SECCOMP '{' sc_stmts '}'	{ append_seccomp(gs, &$3); }
	| KW_SECCOMP '{' sc_stmts error '}'
					{ append_seccomp(gs, &$3); }
	| KW_CAPABILITIES '{' cap_stmts '}'
	| KW_CAPABILITIES '{' cap_stmts error '}'
	| KW_FILESYSTEM '{' fs_stmts '}'
	| KW_FILESYSTEM '{' fs_stmts error '}'
	| KW_NETWORK '{' net_stmts '}'
	| KW_NETWORK '{' net_stmts error '}'
	| KW_APPARMOR '{' aa_stmts '}'
	| KW_APPARMOR '{' aa_stmts error '}'
	| KW_PROCESS '{' proc_stmts '}'
	| KW_PROCESS '{' proc_stmts error '}'
	| KW_LIMITS '{' lim_stmts '}'
	| KW_LIMITS '{' lim_stmts error '}'
	/* A misspelt section: one clear error, and its block is skipped. */
	| IDENT '{'			{ unknown_section(gs, $1, &@1); }
	  junk '}'			{ free($1); }
	| error ';'			{ yyerrok; }
	;

/* Any balanced run of tokens. */
junk
	: %empty
	| junk junk_tok
	| junk '{' junk '}'
	;

junk_tok
	: IDENT { free($1); } | GROUP { free($1); } | STRING { free($1); }
	| SYSPATH { free($1); } | DECIMAL { free($1); }
	| INT { (void)$1; } | SIZE { (void)$1; } | kw_any { (void)$1; }
	| ';' | ',' | ')' | '(' | ':' | '=' | OROR | ANDAND | EQ | NE | LE
	| GE | SHL | SHR | '<' | '>' | '|' | '^' | '&' | '+' | '-' | '*'
	| '!' | '~'
	;

/* ---- names: keywords are reserved only where a keyword is expected ---- */

kw_common
	: KW_LEASH | KW_INCLUDE | KW_DEFINE | KW_GROUP | KW_POLICY
	| KW_EXTENDS | KW_SECCOMP | KW_CAPABILITIES | KW_FILESYSTEM
	| KW_NETWORK | KW_APPARMOR | KW_PROCESS | KW_LIMITS | KW_DEFAULT
	| KW_UNKNOWN | KW_ARCH | KW_WHEN | KW_IF | KW_CAP | KW_ALLOW | KW_LOG
	| KW_TRAP | KW_NOTIFY | KW_KILL | KW_KILL_PROCESS | KW_KILL_THREAD
	| KW_ERRNO | KW_TRACE | KW_DENY | KW_BASE | KW_DROP | KW_ADD
	| KW_AMBIENT | KW_READ_ONLY_ROOT | KW_MASK | KW_READONLY | KW_NONE
	| KW_NAME | KW_TEMPLATE | KW_FLAGS | KW_RAW | KW_NO_NEW_PRIVILEGES
	| KW_USER | KW_GROUPS | KW_NAMESPACES | KW_UNSCOPED
	;

kw_any
	: kw_common | KW_IN | KW_BIND | KW_CONNECT
	;

/* Any name: syscalls, arguments, capabilities, defines, ... */
ident
	: IDENT
	| kw_any			{ $$ = xstrdup($1); }
	;

/* A name inside an expression: 'in' is the set operator there. */
expr_ident
	: IDENT
	| kw_common			{ $$ = xstrdup($1); }
	| KW_BIND			{ $$ = xstrdup($1); }
	| KW_CONNECT			{ $$ = xstrdup($1); }
	;

iname
	: ident				{ $$ = mkname($1, &@1); }
	;

inames
	: iname				{ $$ = (struct name_vec){ 0 }; VEC_PUSH(&$$, $1); }
	| inames ',' iname		{ $$ = $1; VEC_PUSH(&$$, $3); }
	;

sname
	: STRING			{ $$ = mkname($1, &@1); }
	;

snames
	: sname				{ $$ = (struct name_vec){ 0 }; VEC_PUSH(&$$, $1); }
	| snames ',' sname		{ $$ = $1; VEC_PUSH(&$$, $3); }
	;

/* ---- seccomp (docs/language.md 4) ---------------------------------------- */

sc_stmts
	: %empty			{ $$ = (struct sc_stmt_vec){ 0 }; }
	| sc_stmts sc_stmt		{ $$ = $1; VEC_PUSH(&$$, $2); }
	| sc_stmts error ';'		{ $$ = $1; yyerrok; }
	;

sc_stmt
	: KW_DEFAULT action ';'
		{ $$ = sc_new(SC_DEFAULT, &@$); $$->action = $2; }
	| KW_UNKNOWN action ';'
		{ $$ = sc_new(SC_UNKNOWN, &@$); $$->action = $2; }
	| KW_ARCH inames ';'
		{ $$ = sc_new(SC_ARCH, &@$); $$->arches = $2; }
	| action targets if_opt ';'
		{
			$$ = sc_new(SC_RULE, &@$);
			$$->action = $1;
			$$->targets = $2;
			$$->cond = $3;
		}
	| KW_WHEN cond '{' sc_stmts '}'
		{
			$$ = sc_new(SC_WHEN, &@$);
			$$->when = $2;
			$$->body = $4;
			if (1 + when_depth(&$$->body) > LEASH_MAX_NEST) {
				too_deep(gs, &@1, "'when' blocks",
					 LEASH_MAX_NEST);
				ast_sc_stmt_free($$);
				YYABORT;
			}
		}
	| KW_WHEN cond '{' sc_stmts error '}'
		{
			/* Keep the statements that parsed: later passes
			 * can still check them. */
			$$ = sc_new(SC_WHEN, &@$);
			$$->when = $2;
			$$->body = $4;
			if (1 + when_depth(&$$->body) > LEASH_MAX_NEST) {
				too_deep(gs, &@1, "'when' blocks",
					 LEASH_MAX_NEST);
				ast_sc_stmt_free($$);
				YYABORT;
			}
		}
	;

action
	: KW_ALLOW			{ $$ = action(ACT_ALLOW, NULL, &@$); }
	| KW_LOG			{ $$ = action(ACT_LOG, NULL, &@$); }
	| KW_TRAP			{ $$ = action(ACT_TRAP, NULL, &@$); }
	| KW_NOTIFY			{ $$ = action(ACT_NOTIFY, NULL, &@$); }
	| KW_KILL			{ $$ = action(ACT_KILL_PROCESS, NULL, &@$); }
	| KW_KILL_PROCESS		{ $$ = action(ACT_KILL_PROCESS, NULL, &@$); }
	| KW_KILL_THREAD		{ $$ = action(ACT_KILL_THREAD, NULL, &@$); }
	| KW_ERRNO '(' expr ')'		{ $$ = action(ACT_ERRNO, $3, &@$); }
	| KW_TRACE '(' expr ')'		{ $$ = action(ACT_TRACE, $3, &@$); }
	| KW_DENY
		{
			/* errno(EPERM): check.c fills in the number. */
			$$ = action(ACT_ERRNO, NULL, &@$);
			$$.is_deny = true;
		}
	;

targets
	: target			{ $$ = (struct target_vec){ 0 }; VEC_PUSH(&$$, $1); }
	| targets ',' target		{ $$ = $1; VEC_PUSH(&$$, $3); }
	;

target
	: ident
		{
			$$ = (struct ast_target){ .name = mkname($1, &@1) };
		}
	| ident '(' error ')'
		{
			/* reported; keep the name so later rules still parse */
			$$ = (struct ast_target){ .name = mkname($1, &@1) };
		}
	| ident '(' argdecls ')'
		{
			$$ = (struct ast_target){
				.name = mkname($1, &@1),
				.has_decl = true,
				.args = $3,
			};
		}
	| GROUP
		{
			$$ = (struct ast_target){
				.name = mkname($1, &@1),
				.is_group = true,
			};
		}
	;

argdecls
	: argdecl			{ $$ = (struct argdecl_vec){ 0 }; VEC_PUSH(&$$, $1); }
	| argdecls ',' argdecl		{ $$ = $1; VEC_PUSH(&$$, $3); }
	;

argdecl
	: ident
		{ $$ = (struct ast_argdecl){ .name = mkname($1, &@1) }; }
	| ident ':' INT
		{
			$$ = (struct ast_argdecl){
				.name = mkname($1, &@1),
				.width_loc = @3,
			};
			/* check.c judges the value; only one that does not
			 * even fit the field is refused here. */
			if ($3 <= UINT_MAX)
				$$.width = (unsigned)$3;
			else
				diag_error(&gs->ctx->diag, &@3,
					   "argument width must be 32 or 64");
		}
	;

if_opt
	: %empty			{ $$ = NULL; }
	| KW_IF expr			{ $$ = $2; }
	;

/* 'when' conditions: decided at compile time, a grammar of their own. */
cond
	: cond_and
	| cond OROR cond_and
		{ $$ = ast_cond_new(COND_OR, $1, $3, &@$); CHECK_COND($$, @2); }
	;

cond_and
	: cond_un
	| cond_and ANDAND cond_un
		{ $$ = ast_cond_new(COND_AND, $1, $3, &@$); CHECK_COND($$, @2); }
	;

cond_un
	: cond_prim
	| '!' cond_un
		{ $$ = ast_cond_new(COND_NOT, $2, NULL, &@$); CHECK_COND($$, @1); }
	;

cond_prim
	: KW_CAP ident
		{ $$ = ast_cond_new(COND_CAP, NULL, NULL, &@$); $$->name = mkname($2, &@2); }
	| KW_ARCH ident
		{ $$ = ast_cond_new(COND_ARCH, NULL, NULL, &@$); $$->name = mkname($2, &@2); }
	| '(' cond ')'			{ $$ = $2; }
	;

/* ---- capabilities (docs/language.md 5) ----------------------------------- */

cap_stmts
	: %empty
	| cap_stmts cap_stmt
	| cap_stmts error ';'		{ yyerrok; }
	;

cap_stmt
	: KW_BASE iname ';'
		{
			struct name_vec v = { 0 };

			VEC_PUSH(&v, $2);
			add_cap(gs, CAPS_BASE, &v, &@$);
		}
	| KW_DROP inames ';'		{ add_cap(gs, CAPS_DROP, &$2, &@$); }
	| KW_ADD inames ';'		{ add_cap(gs, CAPS_ADD, &$2, &@$); }
	| KW_AMBIENT inames ';'		{ add_cap(gs, CAPS_AMBIENT, &$2, &@$); }
	;

/* ---- filesystem (docs/language.md 6) ------------------------------------- */

fs_stmts
	: %empty
	| fs_stmts fs_stmt
	| fs_stmts error ';'		{ yyerrok; }
	;

fs_stmt
	: KW_READ_ONLY_ROOT ';'
		{ add_fs(gs, FS_READ_ONLY_ROOT, (struct ast_name){ 0 }, NULL, &@$); }
	| KW_ALLOW iname snames ';'	{ add_fs(gs, FS_ALLOW, $2, &$3, &@$); }
	| KW_DENY iname snames ';'	{ add_fs(gs, FS_DENY, $2, &$3, &@$); }
	| KW_MASK snames ';'
		{ add_fs(gs, FS_MASK, (struct ast_name){ 0 }, &$2, &@$); }
	| KW_READONLY snames ';'
		{ add_fs(gs, FS_READONLY, (struct ast_name){ 0 }, &$2, &@$); }
	;

/* ---- network (docs/language.md 6) ---------------------------------------- */

net_stmts
	: %empty
	| net_stmts net_stmt
	| net_stmts error ';'		{ yyerrok; }
	;

net_stmt
	: KW_ALLOW net_entries ';'
		{
			struct net_stmt n = {
				.kind = NET_RULE, .loc = @$, .entries = $2,
			};

			add_net(gs, &n);
		}
	| KW_DENY net_entries ';'
		{
			struct net_stmt n = {
				.kind = NET_RULE, .deny = true, .loc = @$,
				.entries = $2,
			};

			add_net(gs, &n);
		}
	| KW_ALLOW net_op iname ports ';'
		{
			struct net_stmt n = {
				.kind = NET_PORTS, .loc = @$, .op = $2,
				.proto = $3, .ports = $4,
			};

			add_net(gs, &n);
		}
	| KW_DENY net_op iname ports ';'
		{
			struct net_stmt n = {
				.kind = NET_PORTS, .deny = true, .loc = @$,
				.op = $2, .proto = $3, .ports = $4,
			};

			add_net(gs, &n);
		}
	| KW_NONE ';'
		{
			struct net_stmt n = { .kind = NET_NONE, .loc = @$ };

			add_net(gs, &n);
		}
	;

net_op
	: KW_BIND			{ $$ = mkname(xstrdup($1), &@1); }
	| KW_CONNECT			{ $$ = mkname(xstrdup($1), &@1); }
	;

/* 'bind' and 'connect' start a port rule here, so they are no family. */
net_word
	: IDENT
	| kw_common			{ $$ = xstrdup($1); }
	| KW_IN				{ $$ = xstrdup($1); }
	;

net_entries
	: net_entry			{ $$ = (struct net_entry_vec){ 0 }; VEC_PUSH(&$$, $1); }
	| net_entries ',' net_entry	{ $$ = $1; VEC_PUSH(&$$, $3); }
	;

net_entry
	: net_word
		{
			$$ = (struct net_entry){
				.first = mkname($1, &@1), .loc = @$,
			};
		}
	| net_word net_word
		{
			$$ = (struct net_entry){
				.first = mkname($1, &@1),
				.second = mkname($2, &@2),
				.loc = @$,
			};
		}
	;

ports
	: expr
		{
			struct net_port p = { .value = $1, .loc = @1 };

			$$ = (struct net_port_vec){ 0 };
			VEC_PUSH(&$$, p);
		}
	| ports ',' expr
		{
			struct net_port p = { .value = $3, .loc = @3 };

			$$ = $1;
			VEC_PUSH(&$$, p);
		}
	;

/* ---- apparmor, process, limits (docs/language.md 7) ---------------------- */

aa_stmts
	: %empty
	| aa_stmts aa_stmt
	| aa_stmts error ';'		{ yyerrok; }
	;

/* The lexer reads 'template docker-default' as one name (lexer.l). */
aa_stmt
	: KW_NAME pname ';'		{ add_aa1(gs, AA_NAME, $2, &@$); }
	| KW_TEMPLATE pname ';'		{ add_aa1(gs, AA_TEMPLATE, $2, &@$); }
	| KW_FLAGS inames ';'		{ add_aa(gs, AA_FLAGS, &$2, &@$); }
	| KW_RAW sname ';'		{ add_aa1(gs, AA_RAW, $2, &@$); }
	;

proc_stmts
	: %empty
	| proc_stmts proc_stmt
	| proc_stmts error ';'		{ yyerrok; }
	;

proc_stmt
	: KW_NO_NEW_PRIVILEGES ';'
		{
			struct proc_stmt p = { .kind = PROC_NNP, .loc = @$ };

			add_proc(gs, &p);
		}
	| KW_NO_NEW_PRIVILEGES iname ';'
		{
			/* on / off: check.c judges the word. */
			struct proc_stmt p = {
				.kind = PROC_NNP, .loc = @$, .nnp_value = $2,
			};

			add_proc(gs, &p);
		}
	| KW_USER expr ';'
		{
			struct proc_stmt p = {
				.kind = PROC_USER, .loc = @$, .uid = $2,
			};

			add_proc(gs, &p);
		}
	| KW_USER expr ':' expr ';'
		{
			struct proc_stmt p = {
				.kind = PROC_USER, .loc = @$, .uid = $2,
				.gid = $4,
			};

			add_proc(gs, &p);
		}
	| KW_GROUPS exprs ';'
		{
			struct proc_stmt p = {
				.kind = PROC_GROUPS, .loc = @$, .groups = $2,
			};

			add_proc(gs, &p);
		}
	| KW_NAMESPACES inames ';'
		{
			struct proc_stmt p = {
				.kind = PROC_NAMESPACES, .loc = @$,
				.namespaces = $2,
			};

			add_proc(gs, &p);
		}
	| KW_UNSCOPED inames ';'
		{
			/* signal, abstract_unix: check.c judges the words. */
			struct proc_stmt p = {
				.kind = PROC_UNSCOPED, .loc = @$,
				.scopes = $2,
			};

			add_proc(gs, &p);
		}
	;

lim_stmts
	: %empty
	| lim_stmts lim_stmt
	| lim_stmts error ';'		{ yyerrok; }
	;

lim_stmt
	: iname lvalue ';'		{ add_limit(gs, $1, &$2, NULL, &@$); }
	| iname lvalue ':' lvalue ';'	{ add_limit(gs, $1, &$2, &$4, &@$); }
	;

lvalue
	: expr				{ $$ = lv_expr($1, &@1); }
	| SIZE
		{ $$ = (struct limit_value){ .kind = LV_SIZE, .num = $1, .loc = @1 }; }
	| DECIMAL
		{ $$ = (struct limit_value){ .kind = LV_DECIMAL, .text = $1, .loc = @1 }; }
	;

/* ---- expressions: C precedence, one level per nonterminal --------------- */

expr
	: lor
	;

lor
	: land
	| lor OROR land			{ BINARY($$, OP_LOR, $1, $3, @$, @2); }
	;

land
	: bor
	| land ANDAND bor		{ BINARY($$, OP_LAND, $1, $3, @$, @2); }
	;

bor
	: bxor
	| bor '|' bxor			{ BINARY($$, OP_BOR, $1, $3, @$, @2); }
	;

bxor
	: band
	| bxor '^' band			{ BINARY($$, OP_BXOR, $1, $3, @$, @2); }
	;

band
	: eq
	| band '&' eq			{ BINARY($$, OP_BAND, $1, $3, @$, @2); }
	;

eq
	: rel
	| eq EQ rel			{ BINARY($$, OP_EQ, $1, $3, @$, @2); }
	| eq NE rel			{ BINARY($$, OP_NE, $1, $3, @$, @2); }
	;

rel
	: inx
	| rel '<' inx			{ BINARY($$, OP_LT, $1, $3, @$, @2); }
	| rel LE inx			{ BINARY($$, OP_LE, $1, $3, @$, @2); }
	| rel '>' inx			{ BINARY($$, OP_GT, $1, $3, @$, @2); }
	| rel GE inx			{ BINARY($$, OP_GE, $1, $3, @$, @2); }
	;

/* 'x in { a, b }' does not chain: its result is a condition. */
inx
	: shift
	| shift KW_IN '{' exprs '}'
		{
			$$ = ast_expr_in($1, &$4, &@$);
			$$->op_loc = @2;
			CHECK_EXPR($$, @2);
		}
	| shift KW_IN '{' exprs ',' '}'	/* a trailing comma, as in groups */
		{
			$$ = ast_expr_in($1, &$4, &@$);
			$$->op_loc = @2;
			CHECK_EXPR($$, @2);
		}
	/*
	 * Recover inside the braces: without this, bison's nearest error
	 * rule is the section's "stmts error '}'", which would take this
	 * '}' for the end of the section and cascade.
	 */
	| shift KW_IN '{' error '}'	{ $$ = $1; }
	;

shift
	: add
	| shift SHL add			{ BINARY($$, OP_SHL, $1, $3, @$, @2); }
	| shift SHR add			{ BINARY($$, OP_SHR, $1, $3, @$, @2); }
	;

add
	: mul
	| add '+' mul			{ BINARY($$, OP_ADD, $1, $3, @$, @2); }
	| add '-' mul			{ BINARY($$, OP_SUB, $1, $3, @$, @2); }
	;

mul
	: unary
	| mul '*' unary			{ BINARY($$, OP_MUL, $1, $3, @$, @2); }
	;

unary
	: primary
	| '!' unary			{ UNARY($$, OP_NOT, $2, @$, @1); }
	| '~' unary			{ UNARY($$, OP_BNOT, $2, @$, @1); }
	| '-' unary			{ UNARY($$, OP_NEG, $2, @$, @1); }
	;

primary
	: INT				{ $$ = ast_expr_num($1, &@1); }
	| expr_ident			{ $$ = ast_expr_name($1, &@1); }
	| '(' expr ')'			{ $$ = $2; }
	| '(' error ')'			{ $$ = ast_expr_num(0, &@$); }
	;

exprs
	: expr				{ $$ = (struct expr_vec){ 0 }; VEC_PUSH(&$$, $1); }
	| exprs ',' expr		{ $$ = $1; VEC_PUSH(&$$, $3); }
	;

%%

/* ---- syntax error messages ----------------------------------------------- */

/*
 * Binary operators, by name: char tokens have no stable symbol names, and
 * this only runs on errors.
 */
static bool is_operator(yysymbol_kind_t k)
{
	static const char *const ops[] = {
		"'||'", "'&&'", "'=='", "'!='", "'<='", "'>='", "'<<'", "'>>'",
		"'<'", "'>'", "'|'", "'^'", "'&'", "'+'", "'-'", "'*'", "'in'",
	};
	const char *name = yysymbol_name(k);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (strcmp(name, ops[i]) == 0)
			return true;
	return false;
}

static bool is_named(yysymbol_kind_t k, const char *name)
{
	return strcmp(yysymbol_name(k), name) == 0;
}

/* Tokens that may start an operand, besides names and integers. */
static bool is_prefix(yysymbol_kind_t k)
{
	return is_named(k, "'('") || is_named(k, "'!'") ||
	       is_named(k, "'~'") || is_named(k, "'-'");
}

static bool is_keyword(yysymbol_kind_t k)
{
	return k >= YYSYMBOL_KW_LEASH && k <= YYSYMBOL_KW_UNSCOPED;
}

/* Tokens worth quoting after their kind: "unexpected identifier 'alow'". */
static bool show_text(yysymbol_kind_t k)
{
	return k == YYSYMBOL_IDENT || k == YYSYMBOL_GROUP ||
	       k == YYSYMBOL_INT || k == YYSYMBOL_SIZE ||
	       k == YYSYMBOL_DECIMAL;
}

/*
 * "syntax error, unexpected identifier 'write', expecting ',' or ';'".
 * Bison's own message lists at most four expected tokens and otherwise
 * none; three things make the list short far more often here:
 * - where a name is expected, every keyword is too (they are not
 *   reserved there): listing them all would bury the one word that
 *   matters, "identifier";
 * - where an operand is expected, names, integers, '(' and the prefix
 *   operators become "an expression";
 * - after an operand, the binary operators become "an operator".
 */
static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner,
				 struct grammar_state *gs)
{
	yysymbol_kind_t exp[YYNTOKENS], tok = yypcontext_token(yyctx);
	const char *shown[YYNTOKENS];
	struct strbuf sb = { 0 };
	bool ident = false, integer = false, paren = false, brace = false;
	bool operand, oper = false, name = false, expr = false;
	int n, i, n_ops = 0, n_kw = 0, n_shown = 0;

	(void)scanner;
	if (gs->aborted)
		return 0;	/* the fatal error was reported already */
	sb_puts(&sb, "syntax error");
	if (tok != YYSYMBOL_YYEMPTY) {
		sb_printf(&sb, ", unexpected %s", yysymbol_name(tok));
		if (show_text(tok) && gs->tok_len > 0 &&
		    gs->tok_off + gs->tok_len <= gs->src->len) {
			size_t len = gs->tok_len;

			if (len > 40)
				sb_printf(&sb, " '%.40s...'",
					  gs->src->buf + gs->tok_off);
			else
				sb_printf(&sb, " '%.*s'", (int)len,
					  gs->src->buf + gs->tok_off);
		}
	}
	n = yypcontext_expected_tokens(yyctx, exp, YYNTOKENS);
	if (n < 0) {
		sb_free(&sb);
		return n == YYENOMEM ? 2 : 0;
	}
	for (i = 0; i < n; i++) {
		ident |= exp[i] == YYSYMBOL_IDENT;
		integer |= exp[i] == YYSYMBOL_INT;
		paren |= is_named(exp[i], "'('");
		brace |= is_named(exp[i], "'}'");
		n_ops += is_operator(exp[i]);
		n_kw += is_keyword(exp[i]);
	}
	operand = ident && integer && paren;
	for (i = 0; i < n; i++) {
		yysymbol_kind_t k = exp[i];

		/* Each group is shown once, where its first member is. */
		if (operand && (k == YYSYMBOL_IDENT || k == YYSYMBOL_INT ||
				is_prefix(k) || is_keyword(k))) {
			if (!expr)
				shown[n_shown++] = "an expression";
			expr = true;
			continue;
		}
		/* All keywords plus "identifier": a name is expected. */
		if (ident && n_kw >= 40 &&
		    (k == YYSYMBOL_IDENT || is_keyword(k))) {
			if (!name)
				shown[n_shown++] = "identifier";
			name = true;
			continue;
		}
		if (n_ops >= 3 && is_operator(k)) {
			if (!oper)
				shown[n_shown++] = "an operator";
			oper = true;
			continue;
		}
		shown[n_shown++] = yysymbol_name(k);
	}
	if (n_shown > 4 && tok == YYSYMBOL_YYEOF && brace) {
		/* At end of file, the missing brace is what matters. */
		shown[0] = "'}'";
		n_shown = 1;
	}
	if (n_shown > 0 && n_shown <= 4) {
		for (i = 0; i < n_shown; i++)
			sb_printf(&sb, "%s%s", i ? " or " : ", expecting ",
				  shown[i]);
	}
	diag_error(&gs->ctx->diag, yypcontext_location(yyctx), "%s", sb.s);
	if (tok == YYSYMBOL_YYEOF && gs->brace_depth > 0 &&
	    gs->brace_depth <= GRAMMAR_MAX_BRACES)
		diag_note(&gs->ctx->diag, &gs->braces[gs->brace_depth - 1],
			  "to match this '{'");
	sb_free(&sb);
	return 0;
}

/*
 * Bison calls this only for "memory exhausted", i.e. the stack hit
 * YYMAXDEPTH (allocation failures abort in xmalloc()).
 */
static void leash_yyerror(LEASH_YYLTYPE *loc, yyscan_t scanner,
			  struct grammar_state *gs, const char *msg)
{
	(void)scanner;
	(void)msg;
	if (gs->aborted)
		return;
	diag_error(&gs->ctx->diag, loc,
		   "input nested too deeply (parser stack exhausted)");
	gs->aborted = true;
}
