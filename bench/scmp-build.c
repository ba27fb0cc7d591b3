/* SPDX-License-Identifier: MIT */
/*
 * scmp-build.c - libseccomp alone: replay the libseccomp calls that runc
 * makes for a profile (recorded by 'bench-seccomp record') and export
 * the filter as raw BPF, as one small process linked with libseccomp
 * only.  bench/run.sh times it against 'leash compile -t bpf'.
 *
 *     scmp-build [-O LEVEL] SCRIPT OUT.bpf
 *
 * SCRIPT lines (numbers in C syntax):
 *     init ACTION                  seccomp_init()
 *     arch TOKEN                   seccomp_arch_add() (EEXIST ignored)
 *     attr ATTR VALUE              seccomp_attr_set()
 *     rule ACTION NR N [ARG OP A B]*N   seccomp_rule_add_array()
 * -O LEVEL replaces the value of every SCMP_FLTATR_CTL_OPTIMIZE (and
 * sets it right after init).
 *
 * Built by bench/run.sh: cc scmp-build.c $(pkg-config --libs libseccomp)
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "scmp-build: %s: %s\n", what, detail);
	exit(1);
}

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx = NULL;
	long level = 0;
	char line[4096];
	FILE *f;
	int opt, fd, rc;

	while ((opt = getopt(argc, argv, "O:")) != -1) {
		if (opt != 'O') {
			fputs("usage: scmp-build [-O LEVEL] SCRIPT OUT.bpf\n", stderr);
			return 2;
		}
		level = strtol(optarg, NULL, 0);
	}
	if (argc - optind != 2) {
		fputs("usage: scmp-build [-O LEVEL] SCRIPT OUT.bpf\n", stderr);
		return 2;
	}
	f = fopen(argv[optind], "r");
	if (!f)
		die(argv[optind], strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;
		unsigned long long v[3 + 4 * 6];
		size_t n = 0;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		p = strchr(line, ' ');
		if (!p)
			die("bad line", line);
		while (n < sizeof(v) / sizeof(v[0])) {
			v[n] = strtoull(p, &end, 0);
			if (end == p)
				break;
			n++;
			p = end;
		}
		rc = 0;
		if (!strncmp(line, "init ", 5) && n == 1) {
			ctx = seccomp_init((uint32_t)v[0]);
			if (!ctx)
				die("seccomp_init", line);
			if (level)
				rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE,
						      (uint32_t)level);
		} else if (!ctx) {
			die("no init before", line);
		} else if (!strncmp(line, "arch ", 5) && n == 1) {
			rc = seccomp_arch_add(ctx, (uint32_t)v[0]);
			if (rc == -EEXIST)
				rc = 0;
		} else if (!strncmp(line, "attr ", 5) && n == 2) {
			if (level && v[0] == SCMP_FLTATR_CTL_OPTIMIZE)
				v[1] = (unsigned long long)level;
			rc = seccomp_attr_set(ctx, (enum scmp_filter_attr)v[0],
					      (uint32_t)v[1]);
		} else if (!strncmp(line, "rule ", 5) && n >= 3 &&
			   n == 3 + 4 * v[2]) {
			struct scmp_arg_cmp cmp[6];
			unsigned i;

			for (i = 0; i < v[2]; i++) {
				cmp[i].arg = (unsigned)v[3 + 4 * i];
				cmp[i].op = (enum scmp_compare)v[4 + 4 * i];
				cmp[i].datum_a = v[5 + 4 * i];
				cmp[i].datum_b = v[6 + 4 * i];
			}
			rc = seccomp_rule_add_array(ctx, (uint32_t)v[0], (int)v[1],
						    (unsigned)v[2], cmp);
		} else {
			die("bad line", line);
		}
		if (rc < 0)
			die(line, strerror(-rc));
	}
	fclose(f);
	if (!ctx)
		die(argv[optind], "no init");
	fd = open(argv[optind + 1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		  0644);
	if (fd < 0)
		die(argv[optind + 1], strerror(errno));
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		die("seccomp_export_bpf", strerror(-rc));
	if (close(fd) < 0)
		die(argv[optind + 1], strerror(errno));
	seccomp_release(ctx);
	return 0;
}
