/* SPDX-License-Identifier: MIT */
/*
 * compile.c - 'leash compile': every artifact of every policy.
 *
 * Every artifact is built in memory first, and written only when all of
 * them succeeded, each through a temporary file and rename(): bad input
 * never leaves a partial or stale-looking set.
 */
#include "cli/cli.h"
#include "targets/emit-systemd.h"
#include "targets/emit-k8s.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct cli_cmd compile_cmd = {
	.name = "compile",
	.opts = CLI_INCLUDE | CLI_VERBOSE | CLI_WERROR | CLI_POLICY |
		CLI_OUTPUT | CLI_TARGET | CLI_BACKEND | CLI_STRICT |
		CLI_CONTAINER,
	.synopsis = "[-p NAME] [-o DIR] [-t LIST] [-b native|libseccomp] [-I "
		    "DIR] [-v] [--werror] [--strict] [--container NAME] FILE",
	.min_args = 1,
	.max_args = 1,
	.help = "Write each policy's artifacts into DIR (default .): "
		"NAME.seccomp.json, NAME.bpf,\n"
		"NAME.pfc, NAME.apparmor, NAME.oci.json, NAME.docker, "
		"NAME.bundle,\n"
		"NAME.podman; all or none.\n"
		"  -t LIST   some of bpf, json, pfc, seccomp, apparmor, oci, "
		"docker, bundle,\n"
		"            podman, all (oci and podman alone: a policy the "
		"JSON format\n"
		"            cannot express still gets them, for crun, with a "
		"note),\n"
		"            and the opt-in systemd (NAME.service.d/"
		"zz-leash.conf) and k8s:\n"
		"            NAME.spo.yaml (SPO SeccompProfile and "
		"AppArmorProfile),\n"
		"            NAME.pod.yaml (a Pod spec patch)\n"
		"  --container NAME  the container NAME.pod.yaml patches "
		"(default: the policy's)\n"
		"  -b B      the generator of NAME.bpf: native (default) or "
		"libseccomp\n"
		"  --strict  what a target cannot enforce is an error: "
		"nothing is written\n",
};

/* Policy names become file names: refuse what would escape the dir. */
static bool safe_file_name(const char *s)
{
	if (!s[0] || s[0] == '.' || strlen(s) > 200)
		return false;
	for (; *s; s++)
		if (*s == '/' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

struct built {
	const struct ast_policy *p;
	struct artifacts a;
};

/*
 * NAME.service.d/zz-leash.conf: the directory made if absent (one that
 * exists as anything but a directory is an error, never replaced), the
 * file through write_atomic().
 */
static int write_dropin(struct leash_ctx *ctx, const char *dir,
			const char *name, const struct strbuf *text)
{
	_cleanup_free_ char *d = xasprintf("%s/%s" SYSTEMD_DIR_SUFFIX, dir,
					   name);
	struct stat st;
	int rc;

	if (mkdir(d, 0755) < 0 && errno != EEXIST) {
		rc = -errno;
		diag_plain_error(&ctx->diag, "creating %s: %s", d,
				 strerror(-rc));
		return rc;
	}
	if (stat(d, &st) < 0 || !S_ISDIR(st.st_mode)) {
		diag_plain_error(&ctx->diag, "writing %s/" SYSTEMD_DROPIN
				 ": %s exists and is not a directory", d, d);
		return -ENOTDIR;
	}
	rc = write_atomic(d, SYSTEMD_DROPIN, text->s ? text->s : "",
			  text->len);
	if (rc < 0)
		diag_plain_error(&ctx->diag, "writing %s/" SYSTEMD_DROPIN
				 ": %s", d, strerror(-rc));
	return rc;
}

static int write_all(struct leash_ctx *ctx, const char *dir,
		     struct built *b, size_t n, unsigned targets)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		const char *name = b[i].p->name.s;
		struct {
			unsigned target;
			const char *ext;
			const void *data;
			size_t len;
		} files[] = {
			{ TARGET_JSON, "seccomp.json", b[i].a.sc.json.s,
			  b[i].a.sc.json.len },
			/* NAME.podman names NAME.seccomp.json: written
			 * with it, the profile or the one that fails
			 * closed (emit_podman()). */
			{ TARGET_PODMAN, "seccomp.json",
			  b[i].a.sc.json.s ? b[i].a.sc.json.s :
			  b[i].a.podman_json.s,
			  b[i].a.sc.json.s ? b[i].a.sc.json.len :
			  b[i].a.podman_json.len },
			{ TARGET_BPF, "bpf", b[i].a.sc.bpf,
			  b[i].a.sc.bpf_len * sizeof(*b[i].a.sc.bpf) },
			{ TARGET_PFC, "pfc", b[i].a.sc.pfc.s,
			  b[i].a.sc.pfc.len },
			{ TARGET_APPARMOR, "apparmor", b[i].a.apparmor.s,
			  b[i].a.apparmor.len },
			{ TARGET_OCI, "oci.json", b[i].a.oci.s, b[i].a.oci.len },
			{ TARGET_DOCKER, "docker", b[i].a.docker.s,
			  b[i].a.docker.len },
			{ TARGET_BUNDLE, "bundle", b[i].a.bundle.s,
			  b[i].a.bundle.len },
			{ TARGET_PODMAN, "podman", b[i].a.podman.s,
			  b[i].a.podman.len },
			{ TARGET_K8S, "spo.yaml", b[i].a.spo.s,
			  b[i].a.spo.len },
			{ TARGET_K8S, "pod.yaml", b[i].a.pod.s,
			  b[i].a.pod.len },
		};
		size_t f;

		if (targets & TARGET_SYSTEMD) {
			rc = write_dropin(ctx, dir, name, &b[i].a.systemd);
			if (rc < 0)
				return rc;
		}
		for (f = 0; f < ARRAY_SIZE(files); f++) {
			_cleanup_free_ char *fn = NULL;

			if (!(targets & files[f].target))
				continue;
			if (files[f].target == TARGET_PODMAN &&
			    !strcmp(files[f].ext, "seccomp.json") &&
			    (targets & TARGET_JSON))
				continue;	/* written already */
			fn = xasprintf("%s.%s", name, files[f].ext);
			rc = write_atomic(dir, fn, files[f].data ? files[f].data : "",
					  files[f].len);
			if (rc < 0) {
				diag_plain_error(&ctx->diag, "writing %s/%s: %s",
						 dir, fn, strerror(-rc));
				return rc;
			}
		}
	}
	return 0;
}

/* Build every artifact of @pols in memory; false when any failed. */
static bool build_all(struct leash_ctx *ctx, const struct cli_opts *o,
		      const struct policy_vec *pols, struct built *b)
{
	size_t i;

	for (i = 0; i < pols->n; i++) {
		b[i].p = pols->v[i];
		if (!safe_file_name(pols->v[i]->name.s)) {
			diag_error(&ctx->diag, &pols->v[i]->name.loc,
				   "policy name '%s' cannot be a file name",
				   pols->v[i]->name.s);
			continue;
		}
		build_artifacts(ctx, pols->v[i], o->backend, o->targets,
				o->output, &b[i].a);
	}
	diag_flush_notes(&ctx->diag, true);
	return !diag_failed(&ctx->diag);
}

int cmd_compile(int argc, char **argv)
{
	struct policy_vec pols = { 0 };
	struct leash_ctx ctx;
	struct cli_opts o;
	struct built *b = NULL;
	struct stat st;
	size_t i;
	int rc = cli_parse(&compile_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	if (!o.output)
		o.output = ".";
	if (o.container && !(o.targets & TARGET_K8S)) {
		rc = cli_usage(&compile_cmd, "--container needs -t k8s");
		goto done;
	}
	if (o.container && k8s_container_problem(o.container)) {
		rc = cli_usage(&compile_cmd, "--container '%s' %s (a "
			       "Kubernetes container name)", o.container,
			       k8s_container_problem(o.container));
		goto done;
	}
	rc = EXIT_INPUT;
	leash_ctx_init(&ctx, stderr);
	ctx.diag.prog = "leash compile";
	ctx.k8s_container = o.container;
	if (stat(o.output, &st) < 0 || !S_ISDIR(st.st_mode))
		diag_plain_error(&ctx.diag,
				 "output directory '%s' does not exist",
				 o.output);
	else if (front_run(&ctx, &o.front, o.args[0]) == 0 &&
		 cli_policies(&ctx, o.policy, 0, &pols) == 0) {
		b = xcalloc(pols.n, sizeof(*b));
		/* All or nothing: one failed policy writes no artifact. */
		if (build_all(&ctx, &o, &pols, b) &&
		    write_all(&ctx, o.output, b, pols.n, o.targets) == 0)
			rc = 0;
	}
	diag_summary(&ctx.diag);
	for (i = 0; b && i < pols.n; i++)
		artifacts_free(&b[i].a);
	free(b);
	VEC_FREE(&pols);
	leash_ctx_fini(&ctx);
done:
	cli_opts_free(&o);
	return rc;
}
