#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch --strict must report nothing on the project's C files.
set -eu
kb=${1:?KBUILD}
cd "$(dirname "$0")/../.."
files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' 2>/dev/null | grep -v '\.mod\.c$' || find drivers include tests -name '*.[ch]')
[ -n "$files" ] || { echo "no C files found"; exit 1; }
# shellcheck disable=SC2086
out=$(perl "$kb/source/scripts/checkpatch.pl" --strict --no-tree --terse --show-types -f $files | grep -E ": (ERROR|WARNING|CHECK):" || true)
[ -z "$out" ] || { echo "$out"; exit 1; }
echo "checkpatch --strict: $(echo "$files" | wc -w) files clean"
