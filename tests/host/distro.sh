#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Does it build on a real host? Against Debian 12's own kernel headers
# (linux-headers-amd64: 6.1 with Debian's config, not our lab config):
#  1. make KDIR=... W=1 with no warning;
#  2. dkms add, build and install for that kernel with no warning, and
#     modinfo then finds our module (same srcversion) under updates/;
#  3. depmod prefers updates/dkms/vhost_net.ko to the distribution's
#     kernel/drivers/vhost/vhost_net.ko (taken from the linux-image .deb
#     into a scratch module tree, so the host keeps no kernel image);
#     with scripts/modprobe.d/vhost-net.conf, modprobe would load the vhost
#     core (max_mem_regions=509, what QEMU reads) before ours;
#  4. dkms remove takes ours away again.
set -eu
cd "$(dirname "$0")/../.."
top=$PWD

hdr=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' | sort -V | tail -n 1)
[ -n "$hdr" ] || { echo "linux-headers-amd64 is not installed"; exit 1; }
kver=${hdr#/usr/src/linux-headers-}
name=vhost-net
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)-check
work=$(mktemp -d)
cleanup() {
	dkms remove "$name/$ver" --all >/dev/null 2>&1 || true
	rm -rf "/usr/src/$name-$ver" "$work"
}
trap cleanup EXIT
cleanup
mkdir -p "$work/src"

# The tree as git sees it (tracked and new files), without build output.
git ls-files -z -co --exclude-standard | tar --null -T - -c | tar -x -C "$work/src"

# 1. W=1 against the distribution headers.
if ! make -C "$work/src" -s KDIR="$hdr" W=1 modules >"$work/w1.log" 2>&1 ||
	grep -E 'warning:|error:' "$work/w1.log"; then
	cat "$work/w1.log"; echo "W=1 build against $hdr failed"; exit 1
fi
ours=$(modinfo -F srcversion "$work/src/drivers/vhost/vhost_net.ko")
[ -n "$ours" ] || { echo "our module has no srcversion (MODULE_VERSION)"; exit 1; }
make -C "$work/src" -s KDIR="$hdr" clean >/dev/null 2>&1

# 2. DKMS, under a version of its own so that an installed copy is left be.
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$ver\"/" "$work/src/dkms.conf"
dkms add "$work/src" >"$work/dkms.log" 2>&1 &&
	dkms build "$name/$ver" -k "$kver" >>"$work/dkms.log" 2>&1 &&
	dkms install "$name/$ver" -k "$kver" >>"$work/dkms.log" 2>&1 ||
	{ cat "$work/dkms.log"; cat "/var/lib/dkms/$name/$ver/build/make.log" 2>/dev/null; exit 1; }
log=$(find "/var/lib/dkms/$name/$ver" -name make.log | head -n 1)
[ -n "$log" ] || { echo "dkms kept no make.log"; exit 1; }
if grep -E 'warning:|error:' "$log"; then
	echo "dkms build printed warnings"; exit 1
fi
path=$(modinfo -k "$kver" -F filename vhost_net)
got=$(modinfo -k "$kver" -F srcversion vhost_net)
case $path in
*/updates/*) ;;
*) echo "modinfo finds $path, not ours under updates/"; exit 1 ;;
esac
[ "$got" = "$ours" ] || { echo "srcversion $got, ours is $ours"; exit 1; }

# 3. With the distribution's module beside ours, depmod picks ours.
# The .deb (70 MB) is kept in the lab cache, outside the repository.
debs=${VHOST_LAB_CACHE:-$HOME/.cache/vhost-net-lab}/deb
deb=linux-image-$kver
mkdir -p "$debs"
if ! ls "$debs/$deb"_*.deb >/dev/null 2>&1; then
	(cd "$debs" && apt-get download -q "$deb" >/dev/null 2>&1) ||
		{ echo "cannot download $deb"; exit 1; }
fi
root=$work/root
mkdir -p "$root"
dpkg-deb --fsys-tarfile "$(ls "$debs/$deb"_*.deb | head -n 1)" |
	tar -x -C "$root" --wildcards '*/kernel/drivers/vhost/*.ko*'
mods=$(find "$root" -type d -name "$kver" -path '*/modules/*' | head -n 1)
[ -n "$mods" ] || { echo "no vhost_net.ko in $deb"; exit 1; }
mkdir -p "$mods/updates/dkms"
cp "$path" "$mods/updates/dkms/"
base=${mods%/lib/modules/$kver}
depmod -b "$base" "$kver" 2>/dev/null
pick=$(modinfo -b "$base" -k "$kver" -F filename vhost_net)
case $pick in
*/updates/dkms/vhost_net.ko) ;;
*) echo "depmod prefers $pick"; exit 1 ;;
esac

# 3b. With our modprobe.d file, modprobe loads the distribution's vhost
# core first, with the region limit QEMU reads from it (the file says why).
plan=$(modprobe -n -v -C scripts/modprobe.d/vhost-net.conf -d "$base" -S "$kver" vhost_net 2>&1)
echo "$plan" | grep -q '/vhost\.ko.* max_mem_regions=509' &&
	echo "$plan" | tail -n 1 | grep -q 'updates/dkms/vhost_net\.ko' ||
	{ echo "modprobe would not load vhost (max_mem_regions=509) then ours:"; echo "$plan"; exit 1; }

# 4. dkms remove takes it away.
dkms remove "$name/$ver" --all >>"$work/dkms.log" 2>&1
if modinfo -k "$kver" -F filename vhost_net 2>/dev/null | grep -q updates/; then
	echo "ours is still installed after dkms remove"; exit 1
fi
echo "builds on $kver (W=1, dkms: srcversion $ours under updates/, preferred to the distribution's)"
cd "$top"
