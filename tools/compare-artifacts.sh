#!/usr/bin/env bash
# compare-artifacts.sh - prove that a change to the compiler's code left
# every artifact it writes byte-identical.
#
# Usage: tools/compare-artifacts.sh OLD_LEASH NEW_LEASH [OUT_DIR]
#
# Compiles every .leash file under profiles/ and tests/ (the vector
# policies included) with both binaries, with every target and both
# backends, into the same directory (NAME.docker holds its absolute
# path), and compares each artifact and exit status byte for byte (DIFF)
# and what each run printed (TEXT: diagnostics may change, with their
# golden files).  Prints one line per difference and a summary; exits 1
# when an artifact or an exit status differs.
#
# For a refactoring: build the previous commit in one tree (git worktree
# add ../base HEAD~1) and the change in another, then pass both leash
# binaries.
set -u

if [ $# -lt 2 ]; then
	echo "usage: $0 OLD_LEASH NEW_LEASH [OUT_DIR]" >&2
	exit 2
fi
old=$(realpath "$1") new=$(realpath "$2")
top=$(cd "$(dirname "$0")/.." && pwd)
work=${3:-$(mktemp -d)}
mkdir -p "$work" || exit 2
work=$(realpath "$work")

files=0 artifacts=0 diffs=0 texts=0 failed_compiles=0

# run BIN TAG FILE BACKEND [TARGETS]: compile FILE into $work/cur, then
# move the artifacts and the transcript to $work/TAG.
run() {
	local bin=$1 tag=$2 f=$3 be=$4 t=${5:+-t $5}
	rm -rf "$work/cur" "$work/$tag"
	mkdir -p "$work/cur" "$work/$tag"
	# shellcheck disable=SC2086 # $t is empty or two words
	(cd "$top" && "$bin" compile -b "$be" $t -I profiles -o "$work/cur" "$f") \
		>"$work/$tag/.stdout" 2>"$work/$tag/.stderr"
	echo $? >"$work/$tag/.status"
	# The transcript names the temporary directory only through -o.
	find "$work/cur" -mindepth 1 -maxdepth 1 -type f \
		-exec mv {} "$work/$tag/" \;
}

# compare FILE BACKEND [TARGETS]: compile with both, count differences.
compare() {
		local f=$1 be=$2 t=${3:-}
		files=$((files + 1))
		run "$old" old "$f" "$be" "$t"
		run "$new" new "$f" "$be" "$t"
		for a in "$work"/old/* "$work"/old/.stdout "$work"/old/.stderr \
			"$work"/old/.status; do
			[ -e "$a" ] || continue
			n=${a##*/}
			case $n in .std*) ;; *) artifacts=$((artifacts + 1)) ;; esac
			cmp -s "$a" "$work/new/$n" && continue
			case $n in
			.stdout | .stderr)
				# Diagnostic text may improve, with its goldens.
				echo "TEXT $f ($be${t:+, -t $t}): $n"
				texts=$((texts + 1)) ;;
			*)
				echo "DIFF $f ($be${t:+, -t $t}): $n"
				diffs=$((diffs + 1)) ;;
			esac
		done
		for a in "$work"/new/*; do
			[ -e "$a" ] || continue
			if [ ! -e "$work/old/${a##*/}" ]; then
				echo "NEW $f ($be${t:+, -t $t}): ${a##*/}"
				diffs=$((diffs + 1))
			fi
		done
}

while IFS= read -r f; do
	for be in native libseccomp; do
		compare "$f" "$be"
		# A policy one target refuses still has the others' artifacts.
		if [ "$(cat "$work/old/.status")" != 0 ]; then
			failed_compiles=$((failed_compiles + 1))
			for t in bpf json pfc apparmor oci docker bundle; do
				compare "$f" "$be" "$t"
			done
		fi
	done
done < <(cd "$top" && find profiles tests -name '*.leash' | LC_ALL=C sort)

echo "compare-artifacts: $files compilations ($failed_compiles refused by the old), $artifacts artifacts and exit statuses compared, $diffs differ; $texts transcripts differ"
[ "$diffs" -eq 0 ]
