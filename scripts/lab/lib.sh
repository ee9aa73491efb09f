# SPDX-License-Identifier: GPL-2.0
# Shared settings for the lab scripts. Sourced, not run.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(cd "$LAB_DIR/../.." && pwd)
LAB_CACHE=${VHOST_LAB_CACHE:-$HOME/.cache/vhost-net-lab}
# The kernel the lab builds and boots: 6.12 (the default) or 6.1, each
# from Debian's linux-source-VERSION package.
LAB_KVER=${LAB_KVER:-6.12}
LAB_SRC_TARBALL=${LAB_SRC_TARBALL:-/usr/src/linux-source-$LAB_KVER.tar.xz}
LAB_SRC=$LAB_CACHE/src/linux-source-$LAB_KVER
# Per-version fragment, merged last: what that kernel needs on top of the
# variant's, and "# lab: absent CONFIG_X" for options it does not have.
LAB_VFRAG=$LAB_DIR/config/v$LAB_KVER.config
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
		grep -qx '# lab: standalone' "$LAB_DIR/config/$v.config" ||
			cat "$LAB_DIR/config/base.config"
		cat "$LAB_DIR/config/$v.config"
		[ ! -f "$LAB_VFRAG" ] || cat "$LAB_VFRAG"
		echo "recipe 1"
	} | sha256sum | cut -c1-12
}

# lab_build_dir VARIANT: where that variant's kernel lives in the cache.
lab_build_dir() {
	local name=$1

	[ "$LAB_KVER" = 6.12 ] || name=$1-$LAB_KVER
	echo "$LAB_CACHE/build/$name-$(lab_key "$1")"
}

# lab_modules KBUILD [MAKE ARGS...]: build our modules against KBUILD in a
# copy of the tree kept in the cache (Kbuild writes objects beside the
# sources), and print that copy's path. Lets plain and debug builds, and
# kernels, live side by side; LAB_MODTREE_TAG names a second copy for
# the same kernel (another build option). Each checkout gets copies of
# its own (a hash of its path in the name), so that two checkouts (git
# worktrees) building at the same time never mix their sources.
lab_modules() {
	local kb=$1 dst
	shift
	dst=$LAB_CACHE/modtree/$(basename "$kb")-$(printf %s "$TOP_DIR" | md5sum | cut -c1-8)${LAB_MODTREE_TAG:+-$LAB_MODTREE_TAG}
	mkdir -p "$dst"
	# By content, and a changed file gets the time of the copy: with the
	# source's time kept, an edit made while an older copy was being
	# compiled could look older than its object and never be built.
	rsync -rlpD --checksum --delete --exclude '.git' --exclude '*.o' --exclude '*.ko' \
		--exclude '.*.cmd' --exclude '*.mod*' --exclude 'modules.order' \
		--exclude 'Module.symvers' --exclude '*.gcno' --filter 'protect *.o' --filter 'protect *.ko' \
		--filter 'protect .*.cmd' --filter 'protect *.mod*' \
		"$TOP_DIR/Makefile" "$TOP_DIR/Kbuild" "$TOP_DIR/drivers" "$TOP_DIR/include" \
		"$TOP_DIR/tests" "$dst/" || return 1
	make -s -C "$dst" KDIR="$kb" "$@" modules >&2 || return 1
	echo "$dst"
}
