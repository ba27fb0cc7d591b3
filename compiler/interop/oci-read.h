/* SPDX-License-Identifier: MIT */
/*
 * oci-read.h - read what a container actually runs with, from an OCI
 * runtime config.json or from 'docker inspect' output.
 *
 * Both become the same plain structure (one per container), so that
 * 'leash audit' and 'leash import CONFIG.json' need not know which
 * format they were given.  Nothing is interpreted beyond what the format
 * itself defines: Docker's CapAdd/CapDrop are applied to Docker's
 * default set, and 'Privileged' means every capability, no seccomp and
 * no AppArmor, because that is what dockerd passes to the runtime.
 *
 * The reader uses libyaml, like scmp-json.c: field names match
 * case-insensitively, unknown fields are ignored, and errors carry
 * "LINE:COL: message".
 */
#ifndef LEASH_OCI_READ_H
#define LEASH_OCI_READ_H

#include "seccomp/scmp-json.h"
#include "common/util.h"

/* What a JSON document is, from its shape alone. */
enum oci_kind {
	OCI_KIND_UNKNOWN,
	OCI_KIND_SECCOMP,	/* a Docker/OCI seccomp profile */
	OCI_KIND_CONFIG,	/* an OCI runtime config.json */
	OCI_KIND_INSPECT,	/* 'docker inspect': an array of containers */
};

/* Guess the kind of @src.  Never fails: a document that does not parse
 * or fits no shape is OCI_KIND_UNKNOWN. */
enum oci_kind oci_detect(const struct src_file *src);

/* Where a setting was read: 0 when it was absent. */
struct oci_loc {
	int line, col;
};

VEC(oci_str_vec, char *);

struct oci_rlimit {
	char *type;		/* "RLIMIT_NOFILE" */
	uint64_t soft, hard;
};
VEC(oci_rlimit_vec, struct oci_rlimit);

/* The seccomp a container gets. */
enum oci_seccomp {
	OCI_SECCOMP_NONE,	/* config: linux.seccomp absent; docker:
				 * seccomp=unconfined or Privileged */
	OCI_SECCOMP_PROFILE,	/* @seccomp holds the profile */
	OCI_SECCOMP_DEFAULT,	/* docker inspect without seccomp=: dockerd's
				 * built-in default profile (inspect output
				 * does not contain it) */
};

struct oci_container {
	enum oci_kind kind;	/* OCI_KIND_CONFIG or OCI_KIND_INSPECT */
	char *name;		/* inspect: "Name" ("/web"); config: NULL */

	/* ---- capabilities: FLAT_CAP_BIT() sets ---- */
	bool has_caps;		/* config: process.capabilities present;
				 * inspect: always (the default set) */
	uint64_t cap_bounding, cap_effective, cap_permitted;
	uint64_t cap_inheritable, cap_ambient;
	struct oci_str_vec unknown_caps;	/* names leash does not know */
	struct oci_loc caps_loc;
	bool privileged;	/* inspect: HostConfig.Privileged */

	/* ---- process ---- */
	bool no_new_privileges;
	struct oci_loc nnp_loc;
	bool has_user;
	uint32_t uid, gid;	/* process.user; inspect: Config.User
				 * when numeric */
	char *user;		/* inspect: Config.User as written */
	struct oci_rlimit_vec rlimits;	/* process.rlimits */
	char *apparmor_profile;	/* NULL: none set; "unconfined" */
	struct oci_loc apparmor_loc;

	/* ---- root and paths ---- */
	bool readonly_root;
	struct oci_loc readonly_loc;
	struct oci_str_vec masked_paths, readonly_paths;

	/* ---- seccomp ---- */
	enum oci_seccomp seccomp_kind;
	struct sj_profile *seccomp;	/* OCI_SECCOMP_PROFILE only */
	struct oci_loc seccomp_loc;

	/* ---- resources: 0 means no limit ---- */
	int64_t memory;		/* bytes */
	int64_t pids;
	double cpus;		/* quota / period, or NanoCpus / 1e9 */
	struct oci_loc memory_loc, pids_loc;

	/* ---- namespaces ---- */
	bool userns;		/* a user namespace (config: with
				 * uidMappings; inspect: UsernsMode
				 * not "host") */
	bool uid_maps_root;	/* a mapping sends container uid 0 to
				 * host uid 0 */
	bool has_netns, has_pidns, has_ipcns, has_utsns, has_mntns;
	bool has_cgroupns;
	char *network_mode;	/* inspect: HostConfig.NetworkMode */
	char *pid_mode, *ipc_mode, *userns_mode;	/* inspect */
	struct oci_loc ns_loc;
	/* Host paths bind-mounted in ("/var/run/docker.sock", "/"). */
	struct oci_str_vec bind_sources;
	/* What the input sets that nothing above models ("namespace 'time'",
	 * "linux.resources.devices", ...), so a reader can say what it left
	 * out instead of dropping it silently. */
	struct oci_str_vec ignored;
};

struct oci_doc {
	enum oci_kind kind;
	struct oci_container *c;
	size_t n;
};

/*
 * Read @src, an OCI config.json or 'docker inspect' output (a JSON
 * array of containers, or one container object).  Returns 0 with @out
 * filled (release it with oci_doc_free()), or -EINVAL after a located
 * error to @d; a seccomp profile alone is -EINVAL too (read it with
 * sj_parse()).
 */
int oci_read(const struct src_file *src, struct oci_doc *out, struct diag *d);
void oci_doc_free(struct oci_doc *d);

/* Docker's capability arithmetic: @privileged, else the default set with
 * CapDrop then CapAdd applied ("ALL" in either).  Unknown names go to
 * @unknown (may be NULL). */
uint64_t oci_docker_caps(bool privileged, const char *const *add,
			 size_t n_add, const char *const *drop, size_t n_drop,
			 struct oci_str_vec *unknown);

#endif
