#!/bin/sh
# autogen.sh - generate ./configure and friends from a git checkout.
# Needs autoconf, automake, libtool and pkg-config (for the PKG_* macros).
# Usage: ./autogen.sh && ./configure && make
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --force --install --warnings=all
echo "Now run ./configure (see ./configure --help) and make."
