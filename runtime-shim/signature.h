/* SPDX-License-Identifier: MIT */
/*
 * signature.h - whether a bundle must be signed, by whom, and the check.
 *
 * A bundle's digest only shows that it was not damaged: anyone who can
 * write the file can recompute it.  A signature (BUNDLE.minisig, in
 * minisign's format: minisig.h) shows who wrote it.  Signatures are
 * required when the caller names a key (--trust KEY.pub) and, for every
 * bundle, whenever the system trust directory LEASH_TRUST_DIR exists
 * (configure --with-trust-dir; /etc/leash/trusted.d by default): then
 * one of its KEY.pub files must have made the signature.  With both,
 * both must hold (the --trust key is then one of the directory's).
 *
 * Who may write the keys: the directory is root's alone
 * (trust_root_dir()), each key in it a file of root's; a --trust key
 * is checked as a bundle is (trust_file_fd(): root's or the caller's).
 */
#ifndef LEASH_SIGNATURE_H
#define LEASH_SIGNATURE_H

#include <stddef.h>
#include <sys/types.h>

#ifndef LEASH_TRUST_DIR
#define LEASH_TRUST_DIR "/etc/leash/trusted.d"
#endif

/* Keys beyond this many in the trust directory are refused. */
#define SIG_MAX_KEYS 256u

/*
 * Check the signature of the bundle read from @path, whose @len bytes
 * (the very bytes about to be parsed) are at @data, against the key
 * file @key_path (--trust; NULL: none) and the trust directory.
 * Returns NULL when no signature is required; otherwise the policy name
 * the verified trusted comment binds the bundle to (the caller compares
 * it with the bundle's own, once parsed).  Anything else is die(): no
 * signature, a bad or tampered one, an unknown key, a trust directory
 * or key that others could have written.
 */
char *sig_check_bundle(const char *path, const void *data, size_t len,
		       const char *key_path, uid_t caller);

#endif
