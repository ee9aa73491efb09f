#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# inner-initramfs.sh OUT: the nested guest's initramfs: static busybox,
# Debian's iperf3 and ethtool with the libraries they link, and inner/init.
set -eu
. "$(dirname "$0")/lib.sh"
out=${1:?usage: inner-initramfs.sh OUT}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib64,usr/bin}
cp "$(command -v busybox)" "$root/bin/busybox"
for a in $("$root/bin/busybox" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
done
# Debian's iperf3, and ethtool to turn on the guest's queue pairs, with
# the dynamic loader and every library they need, at the same paths.
for prog in iperf3 ethtool; do
	bin=$(command -v $prog) || die "$prog is not installed"
	cp "$bin" "$root/usr/bin/$prog"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
cp "$LAB_DIR/inner/init" "$root/init"
chmod +x "$root/init"
# Uncompressed: gunzip under TCG-in-TCG costs more than the copy.
(cd "$root" && find . | cpio -o -H newc --quiet) >"$out"
say "inner initramfs: $(du -h "$out" | cut -f1)"
