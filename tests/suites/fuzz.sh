# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The short fuzz run, for the guest's check job (sh, in a subshell; lib.sh
# is not sourced, since sourcing it would truncate the results) and for
# the fuzz job of `make fuzz`. It loads the target's vhost_net, runs
# /lab/bin/vhost-fuzz for FUZZ_SECONDS (60) with seed FUZZ_SEED (13),
# saves its output as /results/fuzz-TARGET.log, and appends three TAP
# lines to /results/tap.txt: the fuzzer exited 0, no operation hung, and
# vhost_net unloads afterwards. Splats and kmemleak are the job's to
# check. Modules end up as they were found.

TARGET=${FUZZ_TARGET:-ours}
SECS=${FUZZ_SECONDS:-60}
SEED=${FUZZ_SEED:-13}
# The fuzzer's own watchdog reports an operation stuck for 20 s; past
# this margin the fuzzer itself is stuck.
MARGIN=120

TAP=/results/tap.txt
FUZZ=/lab/bin/vhost-fuzz
OURS=/lab/modules
WORK=/tmp/fuzz
LOG=$WORK/fuzz-$TARGET.log
. /lab/jobs/suite-lib.sh

load_target() {
	case $1 in
	upstream)
		for m in vhost_iotlb vhost tun tap vhost_net; do
			modprobe "$m" || return 1
		done ;;
	ours)
		modprobe tun && modprobe tap && insmod "$OURS/vhost_net.ko" ;;
	*)
		return 1 ;;
	esac
}

unload_target() {
	rmmod vhost_net || return 1
	if [ "$1" = upstream ]; then
		rmmod vhost && rmmod vhost_iotlb || return 1
	fi
}

mkdir -p "$WORK"
: >"$WORK/tap.part"
initial=$(cut -d' ' -f1 /proc/modules)
was=""
if loaded vhost_net; then
	if loaded vhost; then was=upstream; else was=ours; fi
	rmmod vhost_net
	[ "$was" = upstream ] && rmmod vhost vhost_iotlb
fi

name="fuzz $TARGET"
if ! load_target "$TARGET" >"$WORK/load.log" 2>&1; then
	tap_fail "$name: vhost_net loads" "$(tail -n 1 "$WORK/load.log")"
else
	stage "vhost-fuzz: $TARGET for $SECS s, seed $SEED"
	"$FUZZ" --target "$TARGET" --seed "$SEED" --seconds "$SECS" >"$LOG" 2>&1 &
	pid=$!
	lim=$(($(uptime_s) + SECS + MARGIN))
	stuck=""
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$(uptime_s)" -ge "$lim" ]; then
			stuck="still running $MARGIN s past its budget"
			kill -9 "$pid" 2>/dev/null
			break
		fi
		sleep 1
	done
	if [ -n "$stuck" ]; then
		rc=124
	else
		wait "$pid"
		rc=$?
	fi
	cp "$LOG" /results/
	# The summary and any failure on the console; the table stays in the log.
	grep -E 'HANG|FAILED|cannot be killed|ops/s|hangs,' "$LOG" | head -n 20
	sum=$(sed -n 's/.*iterations, \([0-9]*\) ops in .*: \([0-9.]*\) ops\/s/\1 ops, \2 ops\/s/p' "$LOG")
	why=$(grep -m 1 -E 'HANG|FAILED' "$LOG" | cut -c 1-200)
	if [ "$rc" = 0 ]; then
		tap_ok "$name: vhost-fuzz seed $SEED for $SECS s exits 0 ($sum)"
	else
		tap_fail "$name: vhost-fuzz seed $SEED for $SECS s exits 0" \
			"status $rc${stuck:+, $stuck}; ${why:-see fuzz-$TARGET.log}"
	fi
	if [ -z "$stuck" ] && ! grep -q 'HANG' "$LOG"; then
		tap_ok "$name: no operation hung"
	else
		tap_fail "$name: no operation hung" "${stuck:-$why}"
	fi
	for l in /sys/class/net/fz*; do
		[ -e "$l" ] && ip link del "${l##*/}" 2>/dev/null
	done
	if unload_target "$TARGET" >"$WORK/unload.log" 2>&1; then
		tap_ok "$name: vhost_net unloads after the fuzzer"
	else
		tap_fail "$name: vhost_net unloads after the fuzzer" \
			"$(tail -n 1 "$WORK/unload.log")"
	fi
fi
flush

# Back to what we found.
for m in vhost_net vhost vhost_iotlb tap tun; do
	if loaded "$m" && ! echo "$initial" | grep -qx "$m"; then
		rmmod "$m" 2>/dev/null
	fi
done
for m in tun tap; do
	if ! loaded "$m" && echo "$initial" | grep -qx "$m"; then
		modprobe "$m"
	fi
done
case $was in
upstream) modprobe vhost_net ;;
ours) insmod "$OURS/vhost_net.ko" ;;
esac
stage "vhost-fuzz: modules restored ($(cut -d' ' -f1 /proc/modules | tr '\n' ' '))"
