# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Guest job for `make fuzz`: vhost-fuzz against one vhost_net for a time
# budget (lab.fuzz.seconds=N lab.fuzz.seed=S lab.fuzz.target=ours|upstream
# on the kernel command line), through the suite script that make check
# runs for its short fuzz run; then a kmemleak scan and, for our module,
# its gcov counters when the lab has gcov-save.sh. The host counts the
# TAP lines and scans the console for splats.
. /lab/jobs/lib.sh

secs=600 seed=13 target=ours
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	lab.fuzz.seconds=*) secs=${arg#lab.fuzz.seconds=} ;;
	lab.fuzz.seed=*) seed=${arg#lab.fuzz.seed=} ;;
	lab.fuzz.target=*) target=${arg#lab.fuzz.target=} ;;
	esac
done

kmemleak_start
stage "fuzz: $target for $secs s, seed $seed"
FUZZ_TARGET=$target FUZZ_SECONDS=$secs FUZZ_SEED=$seed sh /lab/suites/fuzz.sh
NTEST=$(grep -c -E '^(not )?ok ' "$TAP")
NFAIL=$(grep -c '^not ok ' "$TAP")

stage "kmemleak scan"
check "kmemleak finds no leak after the fuzzer" kmemleak_report
if [ "$target" = ours ] && [ -f /lab/jobs/gcov-save.sh ]; then
	stage "gcov counters"
	check "gcov counters of drivers/vhost/ saved" sh /lab/jobs/gcov-save.sh
fi
stage "done: $NTEST checks, $NFAIL failed"
[ "$NFAIL" = 0 ]
