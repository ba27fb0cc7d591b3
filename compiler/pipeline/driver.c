/* SPDX-License-Identifier: MIT */
/*
 * driver.c - the pipeline behind every command: front end, lowering,
 * backends, and writing artifacts so that none is ever half-written.
 */
#include "pipeline/driver.h"
#include "targets/emit-apparmor.h"
#include "seccomp/emit-bpf.h"
#include "targets/emit-bundle.h"
#include "seccomp/emit-json.h"
#include "targets/emit-oci.h"
#include "seccomp/emit-pfc.h"
#include "seccomp/emit-scmp.h"
#include "front/flat.h"

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
	front_load(ctx, o, path);
	return front_finish(ctx);
}

void seccomp_out_free(struct seccomp_out *out)
{
	ir_filter_free(out->ir);
	free(out->bpf);
	sb_free(&out->json);
	sb_free(&out->pfc);
	memset(out, 0, sizeof(*out));
}

/* Errors of a backend are not tied to one token: point at the policy. */
static void backend_error(struct leash_ctx *ctx, const struct ast_policy *p,
			  const char *target, const char *msg)
{
	size_t n = strlen(target);

	/* Backends may name themselves already ("json target: ..."). */
	if (strncmp(msg, target, n) == 0 && strncmp(msg + n, " target: ", 9) == 0)
		msg += n + 9;
	diag_error(&ctx->diag, &p->name.loc, "policy '%s': %s target: %s",
		   p->name.s, target, msg);
}

static void add_notes(struct note_vec *notes, const struct ast_policy *p,
		      const char *target, struct strbuf *text)
{
	char *line, *save = NULL;

	if (!text->s)
		return;
	size_t n = strlen(target);

	for (line = strtok_r(text->s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, target, n) == 0 && strncmp(line + n, ": ", 2) == 0)
			line += n + 2;
		note_add(notes, &p->name.loc, "policy '%s': %s: %s",
			 p->name.s, target, line);
	}
}

int build_seccomp(struct leash_ctx *ctx, const struct ast_policy *p,
		  enum backend backend, unsigned targets,
		  struct seccomp_out *out, struct note_vec *notes)
{
	struct flat_policy fp;
	struct strbuf err = { 0 }, jnotes = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = flat_build(ctx, p, &fp);
	if (rc == 0)
		rc = lower_seccomp(ctx, &fp, &out->ir, notes);
	flat_free(&fp);
	if (rc < 0)
		return rc;

	if (backend == BACKEND_LIBSECCOMP)
		rc = emit_scmp(out->ir, 2, &out->bpf, &out->bpf_len, &err);
	else
		rc = emit_bpf(out->ir, &out->bpf, &out->bpf_len);
	if (rc < 0) {
		backend_error(ctx, p, backend == BACKEND_LIBSECCOMP ?
			      "libseccomp" : "bpf",
			      err.s ? err.s : rc == -E2BIG ?
			      "the filter exceeds the kernel's 4096 instructions" :
			      strerror(-rc));
		goto out;
	}
	if (targets & TARGET_JSON) {
		rc = emit_json(out->ir, &out->json, &jnotes, &err);
		if (rc < 0) {
			backend_error(ctx, p, "json",
				      err.s ? err.s : strerror(-rc));
			goto out;
		}
		add_notes(notes, p, "json", &jnotes);
	}
	if (targets & TARGET_PFC)
		emit_pfc(out->ir, p->name.s, out->bpf, out->bpf_len,
			 &out->pfc);
out:
	sb_free(&err);
	sb_free(&jnotes);
	return rc;
}

void artifacts_free(struct artifacts *out)
{
	seccomp_out_free(&out->sc);
	sb_free(&out->apparmor);
	sb_free(&out->oci);
	sb_free(&out->docker);
	sb_free(&out->bundle);
}

int build_artifacts(struct leash_ctx *ctx, const struct ast_policy *p,
		    enum backend backend, unsigned targets,
		    const char *out_dir, struct artifacts *out,
		    struct note_vec *notes)
{
	struct flat_policy fp;
	unsigned sc_targets = targets & TARGET_SECCOMP;
	int rc;

	memset(out, 0, sizeof(*out));
	/* The fragment embeds the seccomp profile; the flags name it. */
	if (targets & (TARGET_OCI | TARGET_DOCKER))
		sc_targets |= TARGET_JSON;
	rc = build_seccomp(ctx, p, backend, sc_targets, &out->sc, notes);
	if (rc < 0)
		return rc;
	if (!(targets & (TARGET_APPARMOR | TARGET_OCI | TARGET_DOCKER |
			 TARGET_BUNDLE)))
		return 0;

	rc = flat_build(ctx, p, &fp);
	if (rc == 0 && (targets & TARGET_APPARMOR))
		rc = emit_apparmor(ctx, &fp, &out->apparmor, notes);
	if (rc == 0 && (targets & TARGET_OCI))
		rc = emit_oci(ctx, &fp, &out->sc, &out->oci, notes);
	if (rc == 0 && (targets & TARGET_DOCKER)) {
		_cleanup_free_ char *abs = realpath(out_dir, NULL);
		_cleanup_free_ char *path = NULL;

		if (!abs) {
			rc = -errno;
			diag_plain_error(&ctx->diag, "output directory '%s': %s",
					 out_dir, strerror(errno));
		} else {
			path = xasprintf("%s/%s.seccomp.json", abs, p->name.s);
			rc = emit_docker(ctx, &fp, path, &out->docker, notes);
		}
	}
	if (rc == 0 && (targets & TARGET_BUNDLE))
		rc = emit_bundle(ctx, &fp, &out->sc, &out->bundle, notes);
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
