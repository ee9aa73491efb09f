#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian 12 packages the lab needs, if any is missing.
set -eu
. "$(dirname "$0")/lib.sh"

pkgs=(make gcc bc flex bison libelf-dev libssl-dev dwarves cpio kmod ccache
	qemu-system-x86 busybox-static linux-source-6.12 linux-source-6.1 sparse
	python3 perl iperf3 ethtool gnuplot-nox xz-utils rsync
	dkms linux-headers-amd64)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	die "missing Debian packages: ${missing[*]}; run as root, or: sudo apt-get install ${missing[*]}"
fi
say "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
	die "apt-get install failed"
