# SPDX-License-Identifier: GPL-2.0
# Shared settings for the lab scripts. Sourced, not run.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(cd "$LAB_DIR/../.." && pwd)
LAB_CACHE=${VHOST_LAB_CACHE:-$HOME/.cache/vhost-net-lab}
LAB_SRC_TARBALL=${LAB_SRC_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
LAB_SRC=$LAB_CACHE/src/linux-source-6.12
T0=${T0:-$(date +%s)}
export T0

say() {
	printf '[lab %4ds] %s\n' "$(($(date +%s) - T0))" "$*" >&2
}

die() {
	say "FATAL: $*"
	exit 1
}

# lab_key VARIANT: a short hash of everything that decides a kernel build.
lab_key() {
	local v=$1
	{
		head -n 5 "$LAB_SRC/Makefile"
		cat "$LAB_DIR/config/base.config" "$LAB_DIR/config/$v.config"
		echo "recipe 1"
	} | sha256sum | cut -c1-12
}

# lab_build_dir VARIANT: where that variant's kernel lives in the cache.
lab_build_dir() {
	echo "$LAB_CACHE/build/$1-$(lab_key "$1")"
}
