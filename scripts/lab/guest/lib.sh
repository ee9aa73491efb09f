# SPDX-License-Identifier: GPL-2.0
# Helpers for guest jobs. Every check is one TAP line in /results/tap.txt.

TAP=/results/tap.txt
: >"$TAP"
NTEST=0
NFAIL=0

# ok NAME: record a passing check.
ok() {
	NTEST=$((NTEST + 1))
	echo "ok $NTEST $*" | tee -a "$TAP"
}

# fail NAME [WHY]: record a failing check.
fail() {
	NTEST=$((NTEST + 1))
	NFAIL=$((NFAIL + 1))
	echo "not ok $NTEST $1${2:+ # $2}" | tee -a "$TAP"
}

# check NAME CMD...: run CMD, record its success or failure as NAME.
check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		fail "$name" "$(echo "$out" | tail -n 1)"
	fi
}

# stage NAME: progress line on the console.
stage() {
	echo "lab: [$(cut -d' ' -f1 /proc/uptime)s] $*"
}

KVER=$(uname -r)
OURS=/lab/modules

# load_upstream: upstream's vhost_net with what it needs, in dependency order.
load_upstream() {
	for m in vhost_iotlb vhost tun tap vhost_net; do
		modprobe "$m" || return 1
	done
}

unload_upstream() {
	for m in vhost_net tap tun vhost vhost_iotlb; do
		rmmod "$m" 2>/dev/null
	done
	! grep -q '^vhost_net ' /proc/modules
}

load_ours() {
	modprobe tun && modprobe tap && insmod "$OURS/vhost_net.ko"
}

unload_ours() {
	rmmod vhost_net && rmmod tap && rmmod tun
}

# kmemleak_start: forget what boot leaked, so that only our leaks count.
kmemleak_start() {
	[ -w /sys/kernel/debug/kmemleak ] || return 0
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
}

# kmemleak_report: scan twice (objects must be 5 s old) and save the report.
kmemleak_report() {
	[ -w /sys/kernel/debug/kmemleak ] || return 0
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/results/kmemleak.txt
	if [ -s /results/kmemleak.txt ]; then
		cat /results/kmemleak.txt
		return 1
	fi
}
