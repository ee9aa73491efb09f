# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The tracepoints and the vhost-net-stat tool of our vhost_net (issue 17),
# run by the guest's check job (sh, in a subshell, with the TAP helpers
# of suite-lib.sh). With every event of the "vhost_net" trace system
# enabled through tracefs, it runs the suite's
# stats.* cases and tx.9000.direct (traffic both ways, a TX frame too big
# to batch, a descriptor loop, a dropped RX frame, owners and backends
# coming and going) and checks the records; with the events disabled, it
# checks that nothing is recorded. Then it runs vhost-bench for a few
# seconds and reads its device with vhost-net-stat. One TAP line per
# check, "trace: ..." or "vhost-net-stat: ...", goes to /results/tap.txt.
# Ours only: upstream has no tracepoints or counters of its own
# (Documentation/tests.rst, deliberate differences). Modules end up as
# they were found.

# shellcheck disable=SC2034 # TAP and WORK are suite-lib.sh's
TAP=/results/tap.txt
SUITE=/lab/bin/vhost-suite
BENCH=/lab/bin/vhost-bench
STAT=/lab/bin/vhost-net-stat
OURS=/lab/modules
WORK=/tmp/trace
EVENTS="vhn_kick vhn_run_start vhn_run_end vhn_tx_frame vhn_tx_batch vhn_rx_frame
vhn_frame_drop vhn_call vhn_ring_error vhn_backend vhn_owner"
. /lab/jobs/suite-lib.sh

# tap_if NAME CMD...: one line, ok when CMD succeeds.
tap_if() {
	name=$1
	shift
	if "$@" >"$WORK/cmd.out" 2>&1; then
		tap_ok "$name"
	else
		tap_fail "$name" "$(tail -n 1 "$WORK/cmd.out")"
	fi
}

# records EVENT: how many records of EVENT the last trace holds.
records() {
	grep -c " $1: " "$WORK/trace.txt"
}

# The tracefs instance: /sys/kernel/tracing, else the one in debugfs.
find_tracefs() {
	T=/sys/kernel/tracing
	[ -e $T/trace ] || mount -t tracefs nodev $T 2>/dev/null
	[ -e $T/trace ] || T=/sys/kernel/debug/tracing
	[ -e $T/trace ]
}

# traffic FILTER...: the suite's cases matching each filter, against ours.
traffic() {
	rc=0
	for f in "$@"; do
		"$SUITE" --target ours --filter "$f" >>"$WORK/suite.ktap" 2>&1 || rc=1
	done
	return $rc
}

trace_checks() {
	if ! find_tracefs; then
		tap_fail "trace: tracefs is there" "no /sys/kernel/tracing/trace"
		return
	fi
	missing=""
	for e in $EVENTS; do
		[ -d "$T/events/vhost_net/$e" ] || missing="$missing $e"
	done
	if [ -z "$missing" ]; then
		tap_ok "trace: all $(echo "$EVENTS" | wc -w) vhost_net events are in tracefs"
	else
		tap_fail "trace: all vhost_net events are in tracefs" "missing:$missing"
		return
	fi
	tap_if "trace: the events are off until enabled" \
		test "$(cat "$T/events/vhost_net/enable")" = 0

	echo 0 >"$T/tracing_on"
	echo >"$T/trace"
	echo 1 >"$T/events/vhost_net/enable"
	echo 1 >"$T/tracing_on"
	: >"$WORK/suite.ktap"
	traffic stats. tx.9000.direct
	rc=$?
	echo 0 >"$T/tracing_on"
	echo 0 >"$T/events/vhost_net/enable"
	cat "$T/trace" >"$WORK/trace.txt"
	cp "$WORK/trace.txt" /results/trace.txt
	cp "$WORK/suite.ktap" /results/trace-suite.ktap
	if [ $rc = 0 ]; then
		tap_ok "trace: the traffic ran ($(grep -c '^ok ' "$WORK/suite.ktap") cases)"
	else
		tap_fail "trace: the traffic ran" "$(grep '^not ok' "$WORK/suite.ktap" | head -n 1)"
	fi
	if grep -q "LOST.*EVENTS" "$WORK/trace.txt"; then
		tap_fail "trace: no record lost" "$(grep -m 1 LOST "$WORK/trace.txt")"
	else
		tap_ok "trace: no record lost ($(grep -c ' vhn_' "$WORK/trace.txt") records)"
	fi
	for e in $EVENTS; do
		c=$(records "$e")
		if [ "$c" -gt 0 ]; then
			tap_ok "trace: $e recorded ($c records)"
		else
			tap_fail "trace: $e recorded" "no record"
		fi
	done
	tap_if "trace: vhn_ring_error names the loop and its avail index" \
		grep -q ' vhn_ring_error: dev=[0-9]* vq=1 reason=chain_loop avail=0$' "$WORK/trace.txt"
	tap_if "trace: vhn_frame_drop names the RX frame too big" \
		grep -q ' vhn_frame_drop: dev=[0-9]* vq=0 reason=too_big n=1$' "$WORK/trace.txt"
	tap_if "trace: vhn_tx_frame has the 9000-byte frame" \
		grep -q ' vhn_tx_frame: dev=[0-9]* vq=1 len=9000$' "$WORK/trace.txt"
	s=$(grep -c ' vhn_run_start: ' "$WORK/trace.txt")
	e=$(records vhn_run_end)
	tap_if "trace: every run that started ended ($s, $e)" test "$s" = "$e"
	s=$(grep -c ' vhn_owner: .* set$' "$WORK/trace.txt")
	e=$(grep -c ' vhn_owner: .* reset$' "$WORK/trace.txt")
	tap_if "trace: every owner set was reset by the end ($s, $e)" test "$s" = "$e" -a "$s" -gt 0
	tap_if "trace: backends unset on close (fd=-1)" \
		grep -q ' vhn_backend: dev=[0-9]* vq=[01] fd=-1$' "$WORK/trace.txt"

	# Disabled: the same kind of traffic leaves nothing.
	echo >"$T/trace"
	echo 1 >"$T/tracing_on"
	: >"$WORK/suite.ktap"
	traffic stats.tx.frames
	rc=$?
	echo 0 >"$T/tracing_on"
	cat "$T/trace" >"$WORK/trace.txt"
	c=$(grep -c ' vhn_' "$WORK/trace.txt")
	if [ $rc = 0 ] && [ "$c" = 0 ]; then
		tap_ok "trace: disabled events record nothing"
	else
		tap_fail "trace: disabled events record nothing" "$c records, traffic status $rc"
	fi
	echo 1 >"$T/tracing_on"
}

# nonzero KEY FILE: the ethtool-style line "KEY: N" in FILE has N > 0.
nonzero() {
	awk -v k="$1:" '$1 == k && $2 + 0 > 0 { found = 1 } END { exit !found }' "$2"
}

stat_checks() {
	if [ ! -x "$STAT" ]; then
		tap_fail "vhost-net-stat: the tool is there" "no $STAT"
		return
	fi
	tap_if "vhost-net-stat: no device, says so" sh -c "$STAT | grep -qx 'no device has an owner'"
	"$BENCH" --target ours --dir tx --size 64 --ms 10000 --warm 100 >"$WORK/bench.out" 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 50 ] && ! "$STAT" 2>/dev/null | grep -q "^$pid-"; do
		sleep 0.1
		i=$((i + 1))
	done
	"$STAT" >"$WORK/list.txt" 2>&1
	tap_if "vhost-net-stat: lists the device of vhost-bench ($pid)" grep -q "^$pid-[0-9]* *$pid " "$WORK/list.txt"
	"$STAT" "$pid" >"$WORK/show.txt" 2>&1
	tap_if "vhost-net-stat PID: tx_frames counted" nonzero tx_frames "$WORK/show.txt"
	tap_if "vhost-net-stat PID: every queue's counters" \
		grep -q '^     rx_last_error: none$' "$WORK/show.txt"
	"$STAT" -w 1 -c 1 "$pid" >"$WORK/rate.txt" 2>&1
	tap_if "vhost-net-stat -w 1: a TX frame rate" nonzero tx_frames "$WORK/rate.txt"
	cat "$WORK/list.txt" "$WORK/show.txt" "$WORK/rate.txt" >/results/vhost-net-stat.txt
	wait $pid
	tap_if "vhost-net-stat: vhost-bench ran" grep -q 'frames=[1-9]' "$WORK/bench.out"
	tap_if "vhost-net-stat: the device is gone after close" \
		sh -c "$STAT | grep -qx 'no device has an owner'"
}

mkdir -p "$WORK"
: >"$WORK/tap.part"
initial=$(cut -d' ' -f1 /proc/modules)
was=""
if loaded vhost_net; then
	if grep "^vhost " /proc/modules 2>/dev/null | grep -q vhost_net; then
		was=upstream
	else
		was=ours
	fi
	rmmod vhost_net
fi

stage "trace: tracepoints and vhost-net-stat"
if { modprobe tun && modprobe tap && insmod "$OURS/vhost_net.ko"; } >"$WORK/load.log" 2>&1; then
	trace_checks
	stat_checks
	rmmod vhost_net || tap_fail "trace: vhost_net unloads"
else
	tap_fail "trace: vhost_net loads" "$(tail -n 1 "$WORK/load.log")"
fi
flush

# Back to what we found.
for m in tap tun; do
	if loaded "$m" && ! echo "$initial" | grep -qx "$m"; then
		rmmod "$m"
	fi
done
case $was in
upstream) modprobe vhost_net ;;
ours) insmod "$OURS/vhost_net.ko" ;;
esac
stage "trace: modules restored ($(cut -d' ' -f1 /proc/modules | tr '\n' ' '))"
