#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ABI drift check for include/uapi/linux/vhost{,_types}.h.
#
#   tests/abi/check.sh [KERNEL_SOURCE_DIR]
#
# Builds abi_dump.c twice, against our headers and against the kernel
# tree's copies, and requires every line of the kernel's dump to appear
# unchanged in ours; ours may only add lines (items newer than that
# kernel). Also checks that abi_dump.c covers every VHOST_* macro and
# struct in both header sets, and pins the newest ioctl numbers, which
# the kernel tree may not have yet.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
ksrc=${1:-$HOME/.cache/vhost-net-lab/src/linux-source-6.12}
cc=${CC:-cc}
cflags=(-std=gnu11 -Wall -Wextra -Werror)

kinc=$ksrc/include/uapi/linux
for f in vhost.h vhost_types.h; do
	[ -f "$kinc/$f" ] || { echo "abi: $kinc/$f not found" >&2; exit 1; }
done
kver=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p; s/^SUBLEVEL = //p' \
	"$ksrc/Makefile" 2>/dev/null | paste -sd. -)
kver="linux ${kver:-$(basename "$ksrc")}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vhost-abi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Kernel-tree uapi headers are not yet "installed": drop the compiler.h
# include the way headers_install does, so they build against libc headers.
mkdir -p "$tmp/kinc/linux"
for f in vhost.h vhost_types.h; do
	sed -E 's@^#include <linux/compiler(|_types)\.h>@@' "$kinc/$f" \
		>"$tmp/kinc/linux/$f"
done

ours_inc=$top/include/uapi
theirs_inc=$tmp/kinc

# Each of our headers must compile on its own.
for f in vhost_types.h vhost.h; do
	printf '#include <linux/%s>\n' "$f" |
		$cc "${cflags[@]}" -I"$ours_inc" -fsyntax-only -x c - ||
		{ echo "abi: our linux/$f does not compile alone" >&2; exit 1; }
done

dump() { # name include-dir
	$cc "${cflags[@]}" -I"$2" -o "$tmp/dump-$1" "$here/abi_dump.c" ||
		{ echo "abi: abi_dump.c does not build against $2" >&2; exit 1; }
	"$tmp/dump-$1" | LC_ALL=C sort >"$tmp/$1.txt"
}
dump ours "$ours_inc"
dump theirs "$theirs_inc"

fail=0

# Coverage: every VHOST_* macro and every struct the headers define must
# show up in the dump built from them.
coverage() { # name include-dir header-dir
	printf '#include <linux/vhost.h>\n' |
		$cc -I"$2" -dM -E -x c - |
		sed -n 's/^#define \(VHOST_[A-Za-z0-9_]*\) .*/\1/p' >"$tmp/$1.names"
	sed -n 's/^struct \([a-z0-9_]*\) {.*/sizeof.\1/p' \
		"$3/vhost.h" "$3/vhost_types.h" >>"$tmp/$1.names"
	cut -d' ' -f1 "$tmp/$1.txt" | LC_ALL=C sort -u >"$tmp/$1.dumped"
	LC_ALL=C sort -u "$tmp/$1.names" |
		LC_ALL=C comm -23 - "$tmp/$1.dumped" >"$tmp/$1.uncovered"
	if [ -s "$tmp/$1.uncovered" ]; then
		echo "abi: not dumped by abi_dump.c ($1 headers):"
		sed 's/^/  /' "$tmp/$1.uncovered"
		fail=1
	fi
}
coverage ours "$ours_inc" "$ours_inc/linux"
coverage theirs "$theirs_inc" "$theirs_inc/linux"

# Every kernel line must be in ours, byte for byte.
LC_ALL=C comm -23 "$tmp/theirs.txt" "$tmp/ours.txt" >"$tmp/differ"
if [ -s "$tmp/differ" ]; then
	echo "abi: differences from $kver:"
	while read -r name value; do
		mine=$(awk -v n="$name" '$1 == n { print $2 }' "$tmp/ours.txt")
		printf '  %s: %s %s, ours %s\n' "$name" "$kver" "$value" \
			"${mine:-(missing)}"
	done <"$tmp/differ"
	fail=1
fi

# Newer than 6.12 mainline; pinned so they cannot drift either. The
# numbers assume the asm-generic ioctl encoding (x86, arm, riscv, s390).
if grep -qx 'VHOST_GET_FEATURES 0x8008af00' "$tmp/ours.txt"; then
	while read -r name value; do
		mine=$(awk -v n="$name" '$1 == n { print $2 }' "$tmp/ours.txt")
		if [ "$mine" != "$value" ]; then
			printf 'abi: %s: upstream %s, ours %s\n' "$name" "$value" \
				"${mine:-(missing)}"
			fail=1
		fi
	done <<-EOF
	VHOST_GET_FEATURES_ARRAY 0x8008af83
	VHOST_SET_FEATURES_ARRAY 0x4008af83
	VHOST_SET_FORK_FROM_OWNER 0x4001af84
	VHOST_GET_FORK_FROM_OWNER 0x8001af85
	VHOST_FORK_OWNER_KTHREAD 0
	VHOST_FORK_OWNER_TASK 1
	sizeof.vhost_features_array 8
	offsetof.vhost_features_array.count 0
	sizeof.vhost_features_array.count 8
	typeof.vhost_features_array.count u64
	offsetof.vhost_features_array.features[] 8
	sizeof.vhost_features_array.features[] 8
	typeof.vhost_features_array.features[] u64
	EOF
else
	echo "abi: note: non-generic ioctl encoding, pinned numbers not checked"
fi

[ "$fail" = 0 ] || exit 1

n=$(wc -l <"$tmp/theirs.txt")
m=$(LC_ALL=C comm -13 "$tmp/theirs.txt" "$tmp/ours.txt" | wc -l)
echo "abi: $n items match $kver; $m newer items only in ours"
