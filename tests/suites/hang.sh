# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Kill and hang paths (issue 13; Documentation/tests.rst), for the
# guest's check job like vhost-suite.sh (sh, in a subshell; lib.sh is not
# sourced, since that would truncate the results). It belongs in
# tests/suites/, where the check job finds it, once vhn_vring_ioctl()
# takes the vq mutex killably: until then a kthread case leaves a thread
# that can never die, and vhost_net loaded for good. Each case of
# /lab/bin/vhost-hang runs in each worker mode against OUR module only:
# upstream's wedges the VM on these cases (a deliberate difference). The
# hung-task detector runs on a short timeout meanwhile, and every case
# loads vhost_net fresh and must leave it unloadable and the kernel log
# free of hung-task and lockup reports. One TAP line per check,
# "hang: MODE: CASE: CHECK", appended to /results/tap.txt; the program's
# output goes to /results/hang.log. Modules and the detector's settings
# end up as they were found.

TAP=/results/tap.txt
BIN=/lab/bin/vhost-hang
OURS=/lab/modules
WORK=/tmp/hang
MODES=${HANG_MODES:-task kthread}
CASES=${HANG_CASES:-}	# default: every case the program lists
# Each case keeps the worker waiting STUCK_MS; the detector reports a
# task left in uninterruptible sleep for TIMEOUT s, checking every second.
TIMEOUT=${HANG_TIMEOUT_SECS:-3}
STUCK_MS=${HANG_STUCK_MS:-6000}
KS=/proc/sys/kernel
. /lab/jobs/suite-lib.sh

# Reports of a task stuck in the kernel, or of a CPU that never yields.
STUCK_RE='INFO: task .* blocked|blocked for more than|soft lockup|hard LOCKUP|detected stall|BUG: workqueue lockup'

# run_case MODE CASE: one run of the program, its checks as TAP lines.
run_case() {
	name="hang: $1: $2"
	if ! insmod "$OURS/vhost_net.ko" 2>"$WORK/err"; then
		tap_fail "$name: vhost_net loads" "$(tail -n 1 "$WORK/err")"
		return 1
	fi
	dmesg -c >/dev/null
	timeout 200 "$BIN" "$2" "$1" --stuck-ms "$STUCK_MS" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	{ echo "== $1 $2 (status $rc)"; cat "$WORK/out" "$WORK/err"; } >>"$WORK/log"
	cat "$WORK/out"
	got=0
	while IFS= read -r line; do
		case "$line" in
		"ok - "*)
			got=$((got + 1))
			tap_ok "$name: ${line#ok - }" ;;
		"not ok - "*)
			got=$((got + 1))
			rest=${line#not ok - }
			why=""
			[ "${rest%% # *}" != "$rest" ] && why=${rest#* # }
			tap_fail "$name: ${rest%% # *}" "$why" ;;
		esac
	done <"$WORK/out"
	# Status 1 with no failed check: the program itself failed (fail_at).
	if [ "$got" = 0 ] || { [ "$rc" != 0 ] && ! grep -q '^not ok - ' "$WORK/out"; }; then
		tap_fail "$name: vhost-hang finished" "status $rc, $got checks; $(tail -n 1 "$WORK/err")"
	fi
	dmesg >"$WORK/dmesg"
	cat "$WORK/dmesg" >>"$WORK/log"
	if grep -qE "$STUCK_RE" "$WORK/dmesg"; then
		tap_fail "$name: no hung-task or lockup report" \
			"$(grep -E "$STUCK_RE" "$WORK/dmesg" | head -n 1)"
	else
		tap_ok "$name: no hung-task or lockup report"
	fi
	if rmmod vhost_net 2>"$WORK/err"; then
		tap_ok "$name: vhost_net unloads"
	else
		tap_fail "$name: vhost_net unloads" "$(tail -n 1 "$WORK/err")"
		return 1
	fi
}

mkdir -p "$WORK"
: >"$WORK/tap.part"
: >"$WORK/log"
if [ ! -x "$BIN" ] || [ ! -f "$OURS/vhost_net.ko" ]; then
	tap_fail "hang: vhost-hang and our vhost_net.ko are there"
	flush
	exit 0
fi
if [ ! -w "$KS/hung_task_timeout_secs" ]; then
	tap_fail "hang: the hung-task detector is there (CONFIG_DETECT_HUNG_TASK)"
	flush
	exit 0
fi

initial=$(cut -d' ' -f1 /proc/modules)
was=""
if loaded vhost_net; then
	if grep "^vhost " /proc/modules | grep -q vhost_net; then
		was=upstream
	else
		was=ours
	fi
	rmmod vhost_net
fi
# Our vhost_net needs tap.ko for macvtap backends, and the cases a tun.
modprobe tun
modprobe tap

old_timeout=$(cat "$KS/hung_task_timeout_secs")
old_interval=$(cat "$KS/hung_task_check_interval_secs")
old_warnings=$(cat "$KS/hung_task_warnings")
echo "$TIMEOUT" >"$KS/hung_task_timeout_secs"
echo 1 >"$KS/hung_task_check_interval_secs"
# Unlimited reports: the default stops after ten.
echo -1 >"$KS/hung_task_warnings"

# Without vhost_task (6.1) every worker is a kthread (Documentation/
# compat.rst): there is no task mode to test, and none is counted.
if [ -z "${HANG_MODES:-}" ] && insmod "$OURS/vhost_net.ko" 2>/dev/null; then
	if [ "$(cat /sys/module/vhost_net/parameters/fork_from_owner_default)" = N ]; then
		MODES=kthread
		stage "hang: kthread workers only on $(uname -r): no task-mode cases"
	fi
	rmmod vhost_net
fi

wedged=""
for mode in $MODES; do
	for c in ${CASES:-$("$BIN" --list)}; do
		if [ -n "$wedged" ]; then
			tap_fail "hang: $mode: $c: runs" "vhost_net stuck loaded since $wedged"
			continue
		fi
		stage "hang: $mode: $c"
		run_case "$mode" "$c" || wedged="$mode $c"
		flush
	done
done
cp "$WORK/log" /results/hang.log

echo "$old_timeout" >"$KS/hung_task_timeout_secs"
echo "$old_interval" >"$KS/hung_task_check_interval_secs"
echo "$old_warnings" >"$KS/hung_task_warnings"
for m in tap tun; do
	if ! echo "$initial" | grep -qx "$m"; then
		rmmod "$m" 2>/dev/null
	fi
done
case $was in
upstream) modprobe vhost_net ;;
ours) insmod "$OURS/vhost_net.ko" ;;
esac
flush
stage "hang: done, modules restored ($(cut -d' ' -f1 /proc/modules | tr '\n' ' '))"
