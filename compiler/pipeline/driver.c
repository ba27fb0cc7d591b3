/* SPDX-License-Identifier: MIT */
/*
 * driver.c - the pipeline behind every command: front end, lowering,
 * backends, and writing artifacts so that none is ever half-written.
 */
#include "pipeline/driver.h"
#include "front/flat.h"
#include "seccomp/vital.h"
#include "targets/emit-apparmor.h"
#include "targets/emit-bundle.h"
#include "targets/emit-k8s.h"
#include "targets/emit-oci.h"
#include "targets/emit-systemd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int front_load(struct leash_ctx *ctx, const struct front_opts *o,
	       const char *path)
{
	size_t i;

	ctx->verbose = o->verbose;
	ctx->diag.werror = o->werror;
	for (i = 0; i < o->include_dirs.n; i++)
		VEC_PUSH(&ctx->include_dirs, xstrdup(o->include_dirs.v[i]));
	if (strcmp(path, "-") == 0) {
		char *buf;
		size_t len;
		int rc = read_file("/dev/stdin", &buf, &len,
				   LEASH_MAX_FILE_SIZE);

		if (rc < 0) {
			diag_plain_error(&ctx->diag, "<stdin>: %s",
					 strerror(-rc));
		} else {
			res_load_buffer(ctx, "<stdin>", buf, len);
			free(buf);
		}
	} else {
		res_load(ctx, path);
	}
	return diag_failed(&ctx->diag) ? -EINVAL : 0;
}

int front_finish(struct leash_ctx *ctx)
{
	/* Stop between passes: later passes assume an intact tree. */
	if (!diag_failed(&ctx->diag))
		res_names(ctx);
	if (!diag_failed(&ctx->diag))
		chk_all(ctx);
	return diag_failed(&ctx->diag) ? -EINVAL : 0;
}

int front_run(struct leash_ctx *ctx, const struct front_opts *o,
	      const char *path)
{
	int rc;

	front_load(ctx, o, path);
	rc = front_finish(ctx);
	/*
	 * Only now: --strict is about what the requested targets cannot
	 * enforce.  The front end's own notes (with -v, the names a group
	 * gives that some arch lacks) say what the policy means, not what
	 * a target drops, and stay notes.
	 */
	ctx->diag.strict = o->strict;
	return rc;
}

void artifacts_free(struct artifacts *out)
{
	build_seccomp_free(&out->sc);
	sb_free(&out->apparmor);
	sb_free(&out->oci);
	sb_free(&out->docker);
	sb_free(&out->bundle);
	sb_free(&out->podman);
	sb_free(&out->podman_json);
	sb_free(&out->systemd);
	sb_free(&out->spo);
	sb_free(&out->pod);
}

/* NAME.docker and NAME.podman name NAME.seccomp.json by its absolute
 * path; @a NULL: NAME.docker. */
static int build_docker(struct leash_ctx *ctx, const struct flat_policy *fp,
			struct artifacts *a, const char *out_dir,
			struct strbuf *out)
{
	_cleanup_free_ char *abs = realpath(out_dir, NULL);
	_cleanup_free_ char *path = NULL;

	if (!abs) {
		int rc = -errno;

		diag_plain_error(&ctx->diag, "output directory '%s': %s",
				 out_dir, strerror(-rc));
		return rc;
	}
	path = xasprintf("%s/%s.seccomp.json", abs, fp->policy->name.s);
	if (a)
		return emit_podman(ctx, fp, &a->sc, path, out, &a->podman_json);
	return emit_docker(ctx, fp, path, out);
}

static void first_failure(int *rc, int r)
{
	if (*rc == 0)
		*rc = r;
}

/*
 * The targets that hand the filter to a container runtime: one that
 * denies a call the runtime makes after loading it starts no container.
 * Reported once, for the first of those targets built.
 */
static void check_runtimes(struct leash_ctx *ctx, const struct flat_policy *fp,
			   unsigned targets, const struct ir_filter *f)
{
	const struct ast_policy *p = fp->policy;
	struct diag *d = &ctx->diag;
	const char *t = targets & TARGET_OCI ? "oci" :
			targets & TARGET_DOCKER ? "docker" :
			targets & TARGET_PODMAN ? "podman" :
			targets & TARGET_JSON ? "json" : "k8s";
	struct diag_scope saved = diag_enter(d, p->name.s, t, &p->name.loc);

	check_runtime_calls(d, p, f, flat_nnp_on(fp),
			    (targets & TARGET_NAMED) || d->strict);
	diag_leave(d, saved);
}

int build_artifacts(struct leash_ctx *ctx, const struct ast_policy *p,
		    enum backend backend, unsigned targets,
		    const char *out_dir, struct artifacts *out)
{
	struct diag *d = &ctx->diag;
	struct diag_scope saved;
	struct flat_policy fp;
	unsigned want = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	/* The fragment embeds the seccomp profile; the flags name it; the
	 * SeccompProfile is it.  The fragment and podman's flags also carry
	 * the program for crun, so without the targets that are the profile
	 * (json, docker, k8s) one that the format cannot express is no
	 * error (BUILD_JSON_TRY). */
	if (targets & (TARGET_JSON | TARGET_DOCKER | TARGET_K8S))
		want |= BUILD_JSON;
	else if (targets & (TARGET_OCI | TARGET_PODMAN))
		want |= BUILD_JSON_TRY;
	if (targets & TARGET_PFC)
		want |= BUILD_PFC;
	/* AppArmor alone needs no filter: neither its errors nor its notes
	 * (which --strict makes errors) concern the targets asked for. */
	if (targets & (TARGET_SECCOMP | TARGET_OCI | TARGET_DOCKER |
		       TARGET_BUNDLE | TARGET_PODMAN | TARGET_SYSTEMD |
		       TARGET_K8S)) {
		rc = build_seccomp(ctx, p, backend, want, &out->sc);
		if (rc < 0)
			return rc;
		warn_vital_calls(d, p, out->sc.ir);
	}
	if (!(targets & (TARGET_APPARMOR | TARGET_JSON | TARGET_OCI |
			 TARGET_DOCKER | TARGET_BUNDLE | TARGET_PODMAN |
			 TARGET_SYSTEMD | TARGET_K8S)))
		return 0;

	rc = flat_build(ctx, p, &fp);
	if (rc < 0) {
		flat_free(&fp);
		return rc;
	}
	if (targets & (TARGET_JSON | TARGET_OCI | TARGET_DOCKER |
		       TARGET_PODMAN | TARGET_K8S))
		check_runtimes(ctx, &fp, targets, out->sc.ir);
	/*
	 * These targets read the seccomp output and the flat policy, never
	 * each other's: one that fails does not stop the next, so that
	 * check (and --strict) reports every target's problems at once.
	 * The first failure is returned.
	 */
	saved = d->scope;
	if (targets & TARGET_APPARMOR) {
		diag_enter(d, p->name.s, "apparmor", &p->name.loc);
		first_failure(&rc, emit_apparmor(ctx, &fp, &out->apparmor));
	}
	if (targets & TARGET_OCI) {
		diag_enter(d, p->name.s, "oci", &p->name.loc);
		first_failure(&rc, emit_oci(ctx, &fp, &out->sc, &out->oci));
	}
	if (targets & TARGET_DOCKER) {
		diag_enter(d, p->name.s, "docker", &p->name.loc);
		first_failure(&rc, build_docker(ctx, &fp, NULL, out_dir,
						&out->docker));
	}
	if (targets & TARGET_PODMAN) {
		diag_enter(d, p->name.s, "podman", &p->name.loc);
		first_failure(&rc, build_docker(ctx, &fp, out, out_dir,
						&out->podman));
	}
	if (targets & TARGET_BUNDLE) {
		diag_enter(d, p->name.s, "bundle", &p->name.loc);
		first_failure(&rc, emit_bundle(ctx, &fp, &out->sc,
					       &out->bundle));
	}
	if (targets & TARGET_SYSTEMD) {
		diag_enter(d, p->name.s, "systemd", &p->name.loc);
		first_failure(&rc, emit_systemd(ctx, &fp, &out->sc,
						&out->systemd));
	}
	if (targets & TARGET_K8S) {
		diag_enter(d, p->name.s, "k8s", &p->name.loc);
		first_failure(&rc, emit_spo(ctx, &fp, &out->sc, &out->spo));
		first_failure(&rc, emit_pod(ctx, &fp, ctx->k8s_container,
					    &out->pod));
	}
	diag_leave(d, saved);
	flat_free(&fp);
	return rc;
}

int write_atomic(const char *dir, const char *name, const void *data,
		 size_t len)
{
	_cleanup_free_ char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	_cleanup_free_ char *dst = xasprintf("%s/%s", dir, name);
	const char *p = data;
	int fd, rc = 0;

	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	/* mkstemp() makes 0600; artifacts are for runtimes to read. */
	if (rc == 0 && fchmod(fd, 0644) < 0)
		rc = -errno;
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, dst) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	return rc;
}
