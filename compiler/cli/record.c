/* SPDX-License-Identifier: MIT */
/*
 * record.c - 'leash record [-o FILE] [--force] [--default ACTION] --
 * CMD [ARGS...]': run CMD under the recorder (record/trace.c) and write
 * the policy it needs (record/write.c), as it goes and at the end.
 *
 * The policy is rewritten atomically whenever something new was seen
 * (at most every REC_FLUSH_MS), so a recorder killed with SIGKILL leaves
 * the last complete policy, never half of one.  The text is checked by
 * the same front end and backends as 'leash check' before the run (its
 * --default) and after it.
 */
#include "cli/cli.h"
#include "cli/complain.h"
#include "record/store.h"
#include "record/trace.h"
#include "record/write.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct cli_cmd record_cmd = {
	.name = "record",
	.opts = CLI_OUTPUT | CLI_RECORD,
	.synopsis = "[-o FILE.leash] [--force] [--merge FILE.leash] "
		    "[--default ACTION] [--for TARGETS] [--base POLICY.leash] "
		    "[--verify] -- CMD [ARGS...]",
	.min_args = 1,
	.max_args = -1,
	.help = "Run CMD, and every thread, child and program it starts, "
		"and write the policy\nit needs: the system calls seen "
		"(with the arguments that decide their risk),\nthe paths "
		"used (generalized as leash(1) says), the sockets and TCP "
		"ports,\nand, run as root, the capabilities the calls "
		"needed.  The policy is\nrewritten as the run goes; the "
		"exit status is CMD's, as a shell gives it.\n"
		"  -o, --output FILE   where to write (default: CMD's base "
		"name + .leash)\n"
		"  --force             replace FILE if it exists\n"
		"  --default ACTION    the seccomp default (default: "
		"errno(EPERM))\n"
		"  --merge FILE        unite this run with the policy FILE "
		"recorded earlier:\n"
		"                      its recorded blocks are rewritten from "
		"both runs,\n"
		"                      the rest of it kept (default -o: FILE)\n"
		"  --for TARGETS       the targets the policy is for, as "
		"'compile -t' names\n"
		"                      them: for json, oci, docker, podman "
		"or k8s it also\n"
		"                      allows what the container runtime "
		"calls (@runtime-nnp)\n"
		"                      and must pass 'leash check -t "
		"TARGETS'\n"
		"  --base POLICY       run CMD under POLICY in complain mode "
		"(leash run\n"
		"                      --complain) and write POLICY with, "
		"first in its body,\n"
		"                      a recorded block of the rules to add "
		"for this run\n"
		"  --verify            then run CMD again under leash-exec "
		"with the policy\n"
		"                      written, and say each call that fails "
		"there with EPERM\n"
		"                      or EACCES but succeeded while "
		"recording (each call of\n"
		"                      the recording then stops at its exit "
		"too)\n",
};

/* The targets whose filter a container runtime loads before it execs
 * the program (pipeline/driver.c, check_runtimes). */
#define RUNTIME_TARGETS \
	(TARGET_JSON | TARGET_OCI | TARGET_DOCKER | TARGET_PODMAN | TARGET_K8S)

struct ctx {
	const char *out;
	unsigned targets;	/* what the text is checked for */
	struct rec_write_opts w;
	char *old;		/* --merge: the earlier policy's text */
	const char *base;	/* --base: the base policy's text */
	size_t base_len, base_at;	/* its length; where its body
					 * starts (after the '{') */
	bool failed;
};

/* The policy text: fresh, or spliced into the --merge file's. */
static int render(struct ctx *c, const struct rec_obs *obs,
		  struct strbuf *out)
{
	struct strbuf fresh = { 0 };
	char *err = NULL;
	int rc = 0;

	if (c->base) {
		sb_putn(out, c->base, c->base_at);
		sb_putc(out, '\n');
		rec_write_additions(obs, &c->w, out);
		sb_putn(out, c->base + c->base_at, c->base_len - c->base_at);
		return 0;
	}
	rec_write(obs, &c->w, &fresh);
	if (!c->old) {
		*out = fresh;
		return 0;
	}
	rc = rec_splice(c->old, fresh.s, out, &err);
	if (rc < 0 && !c->failed) {
		fprintf(stderr, "leash record: %s: %s\n", c->out, err);
		c->failed = true;
	}
	free(err);
	sb_free(&fresh);
	return rc;
}

/* The policy text through the front end and every backend, as 'leash
 * check' runs it.  Returns 0 when it has no error. */
static int check_text(const char *name, const char *text, size_t len,
		      unsigned targets, bool loud)
{
	struct leash_ctx ctx;
	size_t i;
	int rc;

	/* Quiet: warnings about what a runtime would need are for 'leash
	 * check' to say; only errors matter here, said on a second run. */
	leash_ctx_init(&ctx, loud ? stderr : NULL);
	ctx.diag.prog = "leash record";
	if (res_load_buffer(&ctx, name, text, len) == 0 &&
	    front_finish(&ctx) == 0) {
		for (i = 0; i < ctx.policies.n; i++) {
			struct artifacts a;

			build_artifacts(&ctx, ctx.policies.v[i], BACKEND_NATIVE,
					targets, "/", &a);
			artifacts_free(&a);
		}
	}
	rc = diag_failed(&ctx.diag) ? -EINVAL : 0;
	if (loud)
		diag_summary(&ctx.diag);
	leash_ctx_fini(&ctx);
	if (rc && !loud)
		check_text(name, text, len, targets, true);
	return rc;
}

static int write_policy(struct ctx *c, const struct rec_obs *obs)
{
	struct strbuf sb = { 0 };
	_cleanup_free_ char *d = xstrdup(c->out), *b = xstrdup(c->out);
	int rc;

	rc = render(c, obs, &sb);
	if (rc == 0)
		rc = write_atomic(dirname(d), basename(b), sb.s, sb.len);
	if (rc < 0 && !c->failed) {
		fprintf(stderr, "leash record: %s: %s\n", c->out,
			strerror(-rc));
		c->failed = true;
	}
	sb_free(&sb);
	return rc;
}

static void flush(const struct rec_obs *obs, void *arg)
{
	write_policy(arg, obs);
}

/* A policy name from the command: its base name, in the characters a
 * name keeps readable. */
static char *name_of(const char *cmd)
{
	_cleanup_free_ char *copy = xstrdup(cmd);
	char *n = xstrdup(basename(copy)), *p;

	for (p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		      *p == '.'))
			*p = '_';
	return n;
}

static char *command_line(int argc, char **argv)
{
	struct strbuf sb = { 0 };
	int i;

	for (i = 0; i < argc; i++) {
		if (i)
			sb_putc(&sb, ' ');
		sb_puts(&sb, argv[i]);
		if (sb.len > 200) {
			sb_puts(&sb, " ...");
			break;
		}
	}
	return sb_steal(&sb);
}

/* The --for list as the user gave it (the last one), for the policy's
 * comment. */
static char *for_targets(int argc, char **argv)
{
	const char *last = NULL;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--for") && i + 1 < argc)
			last = argv[++i];
		else if (!strncmp(argv[i], "--for=", 6))
			last = argv[i] + 6;
	}
	return last ? xstrdup(last) : NULL;
}

/*
 * Where the body of the policy named at @loc begins in its file: past
 * the '{' after its name (and its 'extends' list), skipping strings
 * and comments.  0 when there is none (then nothing is written).
 */
static size_t body_start(const struct leash_loc *loc)
{
	const struct src_file *f = loc->file;
	size_t i;
	bool quoted = false;

	if (!f || loc->first_line < 1)
		return 0;
	i = f->lines[loc->first_line - 1] + (size_t)loc->first_column - 1;
	/* The name itself may be a string: step over it first. */
	if (i < f->len && f->buf[i] == '"') {
		for (i++; i < f->len && f->buf[i] != '"'; i++)
			if (f->buf[i] == '\\')
				i++;
		i++;
	}
	for (; i < f->len; i++) {
		char ch = f->buf[i];

		if (quoted) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				quoted = false;
		} else if (ch == '"') {
			quoted = true;
		} else if (ch == '#') {
			while (i < f->len && f->buf[i] != '\n')
				i++;
		} else if (ch == '{') {
			return i + 1;
		}
	}
	return 0;
}

/* --for with --base: the runtime's calls, spelled out (the base need
 * not include groups.leash), from the group its no_new_privileges
 * setting calls for. */
static char *runtime_list(const struct rec_write_opts *w, const char *group)
{
	struct strbuf sb = { 0 };
	size_t g, k;

	for (g = 0; g < w->n_groups; g++) {
		if (strcmp(w->groups[g].name, group))
			continue;
		for (k = 0; k < w->groups[g].members.n; k++)
			sb_printf(&sb, "%s%s", k ? ", " : "",
				  w->groups[g].members.v[k]);
	}
	return sb.len ? sb_steal(&sb) : NULL;
}

/*
 * --verify: the workload again, under leash-exec with the policy just
 * written, and what fails there with EPERM or EACCES that succeeded
 * while recording, said.  What it finds does not change the exit
 * status, which stays CMD's of the recording.
 */
static void verify(const struct cli_opts *o, const char *out,
		   struct rec_keys *keys)
{
	struct complain vx;
	bool ran = false;

	fflush(NULL);
	if (complain_build_real(&vx, "leash record --verify", o, out) == 0 &&
	    complain_verify(&vx, o->args, o->n_args, keys, &ran) >= 0 &&
	    ran) {
		if (vx.n_denials)
			fprintf(stderr, "leash record --verify: %zu call%s "
				"failed under %s that succeeded while "
				"recording (%zu distinct): the policy needs "
				"more than was recorded\n", vx.n_denials,
				vx.n_denials == 1 ? "" : "s", out,
				vx.said.n);
		else
			fprintf(stderr, "leash record --verify: under %s, no "
				"call failed with EPERM or EACCES that "
				"succeeded while recording\n", out);
	}
	complain_fini(&vx);
}

int cmd_record(int argc, char **argv)
{
	struct rec_obs obs;
	struct cli_opts o;
	struct ctx c = { 0 };
	_cleanup_free_ char *name = NULL, *out = NULL, *cmdline = NULL;
	_cleanup_free_ char *for_text = NULL;
	_cleanup_free_ char *runtime = NULL;
	struct rec_keys *keys = NULL;
	struct strbuf probe = { 0 };
	struct complain cx;
	bool have_cx = false;
	struct stat st;
	bool ran = false;
	int rc = cli_parse(&record_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	rc = EXIT_USAGE;
	if (o.not_built) {
		cli_usage(&record_cmd, "%s is not built yet", o.not_built);
		goto done;
	}
	if (o.base && o.verify) {
		cli_usage(&record_cmd, "--verify with --base is not built yet");
		goto done;
	}
	if (o.base && o.merge) {
		cli_usage(&record_cmd, "--base and --merge do not go together: "
			  "--base writes the base policy with its additions");
		goto done;
	}
	/* The policy is named after the file it is written to, else after
	 * the command. */
	if (o.output) {
		size_t len;

		name = name_of(o.output);
		len = strlen(name);
		if (len > 6 && !strcmp(name + len - 6, ".leash"))
			name[len - 6] = '\0';
	} else {
		name = name_of(o.args[0]);
	}
	out = o.output ? xstrdup(o.output) : o.merge ? xstrdup(o.merge) :
	      xasprintf("%s.leash", name);
	if (!o.force && stat(out, &st) == 0 &&
	    !(o.merge && !strcmp(out, o.merge))) {
		cli_usage(&record_cmd, "'%s' exists; --force replaces it",
			  out);
		goto done;
	}
	c.out = out;
	c.w.name = name;
	c.w.def = o.def ? o.def : "errno(EPERM)";
	c.w.command = cmdline = command_line(o.n_args, o.args);
	/* --for: checked as 'leash check -t TARGETS' checks, where what a
	 * runtime needs is an error; the recorded policy leaves
	 * no_new_privileges on, so the runtime's calls are @runtime-nnp. */
	c.targets = o.record_for ? o.record_for : TARGET_DEFAULT;
	for_text = o.record_for ? for_targets(argc, argv) : NULL;
	if (o.record_for & RUNTIME_TARGETS) {
		c.w.runtime = "@runtime-nnp";
		c.w.runtime_for = for_text;
	}
	/* The default action is the user's text: check it before the run
	 * rather than write a policy that does not compile. */
	sb_printf(&probe, "leash 1;\npolicy x { seccomp { default %s; "
		  "allow execve; } }\n", c.w.def);
	if (strchr(c.w.def, ';') || strchr(c.w.def, '}') ||
	    check_text("--default", probe.s, probe.len, TARGET_DEFAULT,
		       false) < 0) {
		sb_free(&probe);
		cli_usage(&record_cmd, "--default takes an action, as in "
			  "'default ACTION;': errno(EPERM), kill, log, ...");
		goto done;
	}
	sb_free(&probe);
	if (rec_groups_load(&c.w.groups, &c.w.n_groups) < 0) {
		rc = EXIT_INPUT;
		goto done;
	}
	obs_init(&obs);
	if (o.base) {
		have_cx = true;
		rc = complain_build(&cx, "leash record --base", &o, o.base);
		c.base = cx.policy ? cx.policy->name.loc.file->buf : NULL;
		c.base_len = cx.policy ? cx.policy->name.loc.file->len : 0;
		c.base_at = cx.policy ? body_start(&cx.policy->name.loc) : 0;
		if (rc == 0 && (!c.base || !c.base_at ||
				strlen(c.base) != c.base_len)) {
			fprintf(stderr, "leash record: %s: cannot find where "
				"the body of policy '%s' begins\n", o.base,
				cx.policy ? cx.policy->name.s : "?");
			rc = EXIT_INPUT;
		}
		if (rc)
			goto free_obs;
		/* The runtime's calls, after the base's no_new_privileges. */
		if (c.w.runtime) {
			c.w.runtime = flat_nnp_on(&cx.fp) ? "@runtime-nnp" :
				      "@runtime";
			c.w.runtime_calls = runtime = runtime_list(&c.w,
								   c.w.runtime);
		}
	}
	if (o.merge) {
		size_t len;
		char *err = NULL;
		int r = read_file(o.merge, &c.old, &len, 16u << 20);

		if (r < 0 || strlen(c.old) != len)
			err = xstrdup(r < 0 ? strerror(-r) : "a NUL byte");
		else if (rec_obs_load(c.old, &obs, &err) == 0)
			err = NULL;
		if (err) {
			fprintf(stderr, "leash record: %s: %s\n", o.merge, err);
			free(err);
			rc = EXIT_INPUT;
			goto free_obs;
		}
	}
	if (o.base) {
		struct str_vec none = { 0 };

		rc = complain_run(&cx, &none, o.args, o.n_args, &obs, flush,
				  &c, &ran);
	} else if (o.verify) {
		struct rec_verify rv = { .ok = keys = rec_keys_new() };

		rc = rec_trace_verify(o.args, &rv, &obs, flush, &c, &ran);
	} else {
		rc = rec_trace(o.args, &obs, flush, &c, &ran);
	}
	if (ran) {
		struct strbuf sb = { 0 };

		write_policy(&c, &obs);
		if (render(&c, &obs, &sb) == 0 &&
		    check_text(out, sb.s, sb.len, c.targets, false) < 0)
			fprintf(stderr, "leash record: %s has errors: please "
				"report this as a bug of leash record\n", out);
		sb_free(&sb);
		if (c.failed && rc == 0)
			rc = EXIT_INPUT;
		if (keys && !c.failed)
			verify(&o, out, keys);
	} else if (rc < 0) {
		rc = EXIT_INPUT;	/* said why; no policy written */
	}
free_obs:
	obs_fini(&obs);
	if (have_cx)
		complain_fini(&cx);
	rec_keys_free(keys);
	rec_groups_free(c.w.groups, c.w.n_groups);
	free(c.old);
done:
	cli_opts_free(&o);
	return rc;
}
