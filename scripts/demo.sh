#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: the main job. Boots the plain lab kernel, runs a nested QEMU
# guest on -netdev tap,vhost=on over our vhost_net.ko, proves the traffic
# went through our module, and measures it against upstream's module and
# vhost=off in the same boot, and again with the nested guest behind a
# vIOMMU (intel-iommu, the device IOTLB) over both modules.
# KERNEL=6.1 (make demo KERNEL=6.1) runs it on the 6.1 lab kernel; the
# nested guest's own kernel is the 6.12 one either way.
set -eu
LAB_KVER=${KERNEL:-${LAB_KVER:-6.12}}
case $LAB_KVER in
6.1 | 6.12) ;;
*) echo "make demo: KERNEL=6.1 or KERNEL=6.12, not '$LAB_KVER'" >&2; exit 2 ;;
esac
export LAB_KVER
. "$(dirname "$0")/lab/lib.sh"
cd "$TOP_DIR"

say "demo 1/4: packages"
"$LAB_DIR/deps.sh"
say "demo 2/4: kernels (plain lab kernel, nested guest's kernels)"
kb=$("$LAB_DIR/kernel.sh" plain)
ik=$(LAB_KVER=6.12 "$LAB_DIR/kernel.sh" inner)
iik=$(LAB_KVER=6.12 "$LAB_DIR/kernel.sh" inner-iommu)
say "demo 3/4: our module against the plain kernel"
mt=$(lab_modules "$kb")
build=$LAB_CACHE/demo$([ "$LAB_KVER" = 6.12 ] || echo "-$LAB_KVER")
mkdir -p "$build"
"$LAB_DIR/inner-initramfs.sh" "$build/inner.cpio"
MODTREE=$mt "$LAB_DIR/initramfs.sh" "$kb" "$build/initramfs.cpio.gz" \
	"$ik/arch/x86/boot/bzImage:lab/inner/bzImage" "$build/inner.cpio:lab/inner/initrd" \
	"$iik/arch/x86/boot/bzImage:lab/inner/bzImage-iommu" \
	"scripts/vhost-net-stat:lab/bin/vhost-net-stat"
say "demo 4/4: nested guests (each boot takes about a minute under TCG)"
set +e
VERBOSE=${VERBOSE:-0} "$LAB_DIR/vm.sh" -H -j e2e -a lab.e2e=demo -t 2700 \
	"$kb" "$build/initramfs.cpio.gz" "$build/results"
rc=$?
set -e
echo
echo "== vhost-net demo: $(date -u +%Y-%m-%d), kernel $(basename "$kb"), $(qemu-system-x86_64 --version | head -n 1)"
grep -E '^(not )?ok' "$build/results/tap.txt" 2>/dev/null | sed 's/^/   /' || true
echo "== throughput (nested TCG guest: absolute numbers are small; compare rows)"
sed 's/^/   /' "$build/results/e2e-summary.txt" 2>/dev/null || true
[ "$rc" = 0 ] && echo "== result: PASS" || echo "== result: FAIL (vm status $rc; console in $build/results/console.log)"
exit "$rc"
