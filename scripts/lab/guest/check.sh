# SPDX-License-Identifier: GPL-2.0
# Guest job for `make check`: module lifecycle, KUnit, the userspace suites,
# then a kmemleak scan. The host counts the results and scans the console.
. /lab/jobs/lib.sh

kmemleak_start

stage "upstream modules: load and unload"
check "upstream vhost_net loads" load_upstream
check "upstream /dev/vhost-net is 10:238" test "$(stat -c %t:%T /dev/vhost-net)" = "a:ee"
check "upstream vhost_net unloads" unload_upstream

stage "our module: load, device node, aliases, unload"
check "vhost_net loads" load_ours
check "/dev/vhost-net is char 10:238" test "$(stat -c %F:%t:%T /dev/vhost-net)" = "character special file:a:ee"
check "/dev/vhost-net opens" sh -c 'exec 3<>/dev/vhost-net'
check "alias char-major-10-238" sh -c "modinfo -F alias $OURS/vhost_net.ko | grep -qx char-major-10-238"
check "alias devname:vhost-net" sh -c "modinfo -F alias $OURS/vhost_net.ko | grep -qx devname:vhost-net"
check "vhost_net unloads" unload_ours
check "vhost_net reloads" load_ours

if [ -f "$OURS/vhost_net_test.ko" ]; then
	stage "KUnit"
	dmesg -c >/dev/null
	insmod "$OURS/vhost_net_test.ko"
	dmesg >/results/kunit.log
	rmmod vhost_net_test
else
	fail "KUnit module present"
fi

for suite in /lab/suites/*.sh; do
	[ -f "$suite" ] || continue
	stage "suite $(basename "$suite" .sh)"
	sh "$suite"
done

stage "bench smoke: the benchmark runs (no speed is asserted)"
sh /lab/jobs/bench.sh smoke

check "vhost_net unloads at the end" unload_ours

stage "kmemleak scan"
check "kmemleak finds no leak" kmemleak_report
stage "coverage: our module's gcov counters to /results/gcov"
sh /lab/jobs/gcov-save.sh
stage "done: $NTEST checks, $NFAIL failed"
[ "$NFAIL" = 0 ]
