#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build a lab kernel (plain, debug, inner or inner-iommu) from Debian's
# linux-source-$LAB_KVER (6.12 unless LAB_KVER=6.1) into the cache outside
# the repository. Prints the build directory.
set -eu
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: kernel.sh plain|debug|inner|inner-iommu}
[ -f "$LAB_DIR/config/$variant.config" ] || die "no fragment for '$variant'"

if [ ! -f "$LAB_SRC/Makefile" ]; then
	[ -f "$LAB_SRC_TARBALL" ] || die "$LAB_SRC_TARBALL missing (apt-get install linux-source-$LAB_KVER)"
	say "unpacking $(basename "$LAB_SRC_TARBALL")"
	mkdir -p "$LAB_CACHE/src"
	rm -rf "$LAB_SRC.tmp" && mkdir "$LAB_SRC.tmp"
	tar -C "$LAB_SRC.tmp" -xJf "$LAB_SRC_TARBALL"
	mv "$LAB_SRC.tmp/linux-source-$LAB_KVER" "$LAB_SRC" && rmdir "$LAB_SRC.tmp"
fi

out=$(lab_build_dir "$variant")
if [ -f "$out/.lab-done" ]; then
	say "$variant kernel: cached in $out"
	echo "$out"
	exit 0
fi

export CCACHE_DIR=${CCACHE_DIR:-$LAB_CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=lab KBUILD_BUILD_HOST=lab
cc="gcc"
command -v ccache >/dev/null && cc="ccache gcc"
mk() { make -s -C "$LAB_SRC" O="$out" CC="$cc" HOSTCC="$cc" "$@"; }

mkdir -p "$out"
frags=("$LAB_DIR/config/base.config" "$LAB_DIR/config/$variant.config")
# A fragment marked standalone is merged on tinyconfig alone.
grep -qx '# lab: standalone' "${frags[1]}" && frags=("${frags[1]}")
[ ! -f "$LAB_VFRAG" ] || frags+=("$LAB_VFRAG")
# Options the version fragment says this kernel does not have.
absent=$(sed -n 's/^# lab: absent \(CONFIG_[A-Z0-9_]*\).*/\1/p' "${frags[@]}" | tr '\n' ' ')
say "$variant kernel: configuring in $out"
mk tinyconfig >/dev/null
(cd "$LAB_SRC" && scripts/kconfig/merge_config.sh -n -O "$out" "$out/.config" "${frags[@]}" >"$out/merge.log" 2>&1) ||
	die "merge_config failed, see $out/merge.log"
mk olddefconfig >/dev/null

# merge_config drops options whose dependencies are unmet without failing: check each one.
missing=0
while read -r line; do
	opt=${line#\# }; opt=${opt%%[= ]*}
	case " $absent " in *" $opt "*) continue ;; esac
	case "$line" in
	CONFIG_*=*)
		grep -qx "$line" "$out/.config" || { say "not in .config: $line"; missing=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		! grep -q "^$opt=" "$out/.config" || { say "still set: $opt"; missing=1; } ;;
	esac
done < <(cat "${frags[@]}")
[ "$missing" = 0 ] || die "$variant kernel: requested options are missing (see above)"

say "$variant kernel: building bzImage and modules (cold: 6-14 min on 2 cores)"
start=$(date +%s)
# A ticker, so that a person waiting on a cold build sees it is alive.
(while sleep 60; do
	say "$variant kernel: still building, $(find "$out" -name '*.o' | wc -l) objects so far"
done) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
targets=(bzImage)
grep -qx 'CONFIG_MODULES=y' "$out/.config" && targets+=(modules)
mk -j"$(nproc)" "${targets[@]}" >&2 || die "$variant kernel build failed"
kill $ticker 2>/dev/null || true
[ -f "$out/arch/x86/boot/bzImage" ] || die "$variant kernel: no bzImage"
rm -rf "$out/modinst"
mkdir -p "$out/modinst/lib/modules"
[ "${targets[1]:-}" != modules ] ||
	mk INSTALL_MOD_PATH="$out/modinst" modules_install >/dev/null
touch "$out/.lab-done"
say "$variant kernel: built in $(($(date +%s) - start))s"
echo "$out"
