/* SPDX-License-Identifier: MIT */
/*
 * seccomp-common.c - see seccomp-common.h.
 */
#include "seccomp-common.h"
#include "tests/common/first-error.h"

#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>

bool tc_cache_allows(const struct sock_filter *p, size_t len, uint32_t arch,
		     uint32_t nr)
{
	uint32_t reg = 0;
	size_t pc;
	bool res;

	/* The kernel sees the program as loaded, before
	 * seccomp_check_filter() rewrites the loads: offsets 0 and 4 of
	 * struct seccomp_data are nr and arch. */
	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &p[pc];

		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (in->k == 0)
				reg = nr;
			else if (in->k == 4)
				reg = arch;
			else
				return false;	/* args, ip: not constant */
			break;
		case BPF_RET | BPF_K:
			return in->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA:
			pc += in->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			switch (BPF_OP(in->code)) {
			case BPF_JEQ: res = reg == in->k; break;
			case BPF_JGE: res = reg >= in->k; break;
			case BPF_JGT: res = reg > in->k; break;
			default: res = (reg & in->k) != 0; break;
			}
			pc += res ? in->jt : in->jf;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			reg &= in->k;
			break;
		default:
			return false;	/* "can't optimize (unknown insn)" */
		}
	}
	return false;
}

int tc_docker_load(struct tc_docker *d, const char *srcdir,
		   struct strbuf *err)
{
	_cleanup_free_ char *path =
		xasprintf("%s/tests/data/docker-default.json", srcdir);
	_cleanup_free_ char *buf = NULL;
	uint64_t set = caps_docker_default();
	size_t len;
	int c;

	memset(d, 0, sizeof(*d));
	if (read_file(path, &buf, &len, 1u << 22) < 0) {
		sb_printf(err, "cannot read %s", path);
		return -1;
	}
	if (tc_sj_parse(buf, len, &d->profile, err) < 0)
		return -1;
	for (c = 0; c < CAP_COUNT; c++) {
		if (!(set >> c & 1))
			continue;
		snprintf(d->cap_names[d->n_caps], sizeof(d->cap_names[0]),
			 "CAP_%s", cap_name(c));
		d->caps[d->n_caps] = d->cap_names[d->n_caps];
		d->n_caps++;
	}
	return 0;
}

void tc_docker_opts(const struct tc_docker *d, struct sj_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = SJ_DOCKER;
	o->host_arch = "amd64";
	o->caps = d->caps;
	o->n_caps = d->n_caps;
	o->kernel = "6.12";	/* newer than every minKernel */
}

void tc_docker_free(struct tc_docker *d)
{
	sj_profile_destroy(&d->profile);
}
