# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# gcov-save.sh [OUT]: copy our module's gcov counters (drivers/vhost/*.gcda)
# out of debugfs into OUT/drivers/vhost/ (default /results/gcov), for
# scripts/lab/coverage.sh on the host. Run it after the last rmmod:
# gcov_persist (on by default) keeps an unloaded module's counters, and a
# module loaded again adds to them. Exits 1 if there is nothing to copy.
GCOV=/sys/kernel/debug/gcov
OUT=${1:-/results/gcov}

if [ ! -d "$GCOV" ]; then
	echo "gcov-save: no $GCOV: the kernel has no CONFIG_GCOV_KERNEL"
	exit 1
fi
rm -rf "$OUT/drivers/vhost"
mkdir -p "$OUT/drivers/vhost"
# Our objects only: the lab kernel profiles nothing of its own.
find "$GCOV" -path '*/drivers/vhost/*.gcda' -exec cp {} "$OUT/drivers/vhost/" \;
n=$(find "$OUT/drivers/vhost" -name '*.gcda' | wc -l)
echo "gcov-save: $n .gcda files of drivers/vhost/ in $OUT"
[ "$n" -gt 0 ]
