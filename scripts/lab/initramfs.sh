#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh KBUILD OUT [SRC:DEST ...]
# Pack a lab initramfs: static busybox, the guest init and jobs, the
# kernel's modules (upstream's vhost, tun, tap...), our modules from the
# repository, and any extra SRC files copied to DEST inside the image.
set -eu
. "$(dirname "$0")/lib.sh"

kb=${1:?usage: initramfs.sh KBUILD OUT [SRC:DEST ...]}
out=${2:?usage: initramfs.sh KBUILD OUT [SRC:DEST ...]}
shift 2

bb=$(command -v busybox) || die "busybox-static is not installed"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,mnt,results,lib/modules} \
	"$root"/lab/{bin,jobs,modules,suites}
cp "$bb" "$root/bin/busybox"
for a in $("$bb" --list); do
	# A link named busybox would point at itself.
	[ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
done
cp "$LAB_DIR/guest/init" "$root/init"
chmod +x "$root/init"
cp "$LAB_DIR"/guest/*.sh "$root/lab/jobs/"
cp -a "$kb"/modinst/lib/modules/* "$root/lib/modules/"
rm -f "$root"/lib/modules/*/build "$root"/lib/modules/*/source
# Our modules: from the tree built against this kernel (MODTREE, default
# the repository itself).
mt=${MODTREE:-$TOP_DIR}
for ko in "$mt/drivers/vhost/vhost_net.ko" "$mt/tests/kunit/vhost_net_test.ko"; do
	[ -f "$ko" ] && cp "$ko" "$root/lab/modules/"
done
for pair in "$@"; do
	mkdir -p "$root/$(dirname "${pair#*:}")"
	cp -a "${pair%%:*}" "$root/${pair#*:}"
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
say "initramfs: $(du -h "$out" | cut -f1) in $out"
