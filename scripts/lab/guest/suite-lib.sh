# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# TAP helpers for the suites in tests/suites/, which the check job runs
# with sh in a subshell (lib.sh is not for them: sourcing it truncates the
# results). A suite sets WORK (its tmpfs directory) and TAP (the results
# file), then sources this. TAP lines gather in $WORK/tap.part and go to
# the 9p results share in one write (flush): an open and close of the
# share per line costs seconds.

n=0

tap_ok() {
	n=$((n + 1))
	echo "ok $n $*"
	echo "ok $n $*" >>"$WORK/tap.part"
}

# tap_fail NAME [WHY]
tap_fail() {
	n=$((n + 1))
	echo "not ok $n $1${2:+ # $2}"
	echo "not ok $n $1${2:+ # $2}" >>"$WORK/tap.part"
}

flush() {
	cat "$WORK/tap.part" >>"$TAP"
	: >"$WORK/tap.part"
}

stage() {
	echo "lab: [$(cut -d' ' -f1 /proc/uptime)s] $*"
}

loaded() {
	grep -q "^$1 " /proc/modules
}

uptime_s() {
	cut -d. -f1 /proc/uptime
}
