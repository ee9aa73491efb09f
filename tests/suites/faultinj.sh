# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Allocation failures on every ioctl path of our vhost_net, run by the
# guest's check job (sh, in a subshell; lib.sh is not sourced, since that
# would truncate the results). /lab/bin/faultinj fails each step's 1st,
# 2nd, ... allocation through /proc/thread-self/fail-nth (and, in the
# .onward cases, every later one too); this script sets failslab and
# fail_page_alloc up so that any allocation can fail (ignore-gfp-wait=N,
# min-order=0), quietly (verbose=0), and only in faultinj's own thread
# (task-filter=Y, probability 0 but while a step runs), keeps the
# expected allocation-failure reports off the console (the program scans
# the kernel log itself and prints any other splat), and appends one TAP
# line per path, "faultinj: PATH", to /results/tap.txt. Settings and
# modules end up as they were found. Ours only: fault injection is about
# our error paths, not upstream's.

# FAULTINJ_MODPARAMS: parameters for our module while it runs, e.g.
# fork_from_owner_default=0 for kthread workers in every case.
PARAMS=${FAULTINJ_MODPARAMS:-}
TAP=/results/tap.txt
BIN=/lab/bin/faultinj
OURS=/lab/modules
WORK=/tmp/faultinj
DBG=/sys/kernel/debug
. /lab/jobs/suite-lib.sh

# knob FILE VALUE: set a debugfs knob, remembering the old value.
knob() {
	echo "$1 $(cat "$1")" >>"$WORK/knobs"
	echo "$2" >"$1"
}

restore_knobs() {
	[ -f "$WORK/knobs" ] || return 0
	while read -r f v; do
		echo "$v" >"$f"
	done <"$WORK/knobs"
	rm -f "$WORK/knobs"
}

run() {
	out=$WORK/faultinj.ktap
	for f in /proc/self/fail-nth $DBG/failslab $DBG/fail_page_alloc; do
		if [ ! -e "$f" ]; then
			tap_fail "faultinj: the kernel has fault injection" "no $f"
			return
		fi
	done
	# shellcheck disable=SC2086
	if ! { modprobe tun && modprobe tap && insmod "$OURS/vhost_net.ko" $PARAMS; } >"$WORK/load.log" 2>&1; then
		tap_fail "faultinj: vhost_net loads" "$(tail -n 1 "$WORK/load.log")"
		return
	fi
	# Probability 0, and task-filter when the .onward cases raise it:
	# only faultinj's own thread, and only during one step, ever fails.
	for a in failslab fail_page_alloc; do
		knob $DBG/$a/probability 0
		knob $DBG/$a/task-filter Y
		knob $DBG/$a/interval 1
		knob $DBG/$a/space 0
		knob $DBG/$a/times -1
		knob $DBG/$a/ignore-gfp-wait N
		knob $DBG/$a/verbose 0
	done
	knob $DBG/fail_page_alloc/ignore-gfp-highmem N
	knob $DBG/fail_page_alloc/min-order 0
	# The kernel reports some failed allocations with a stack trace;
	# those stay in the log, where faultinj reads them.
	printk=$(cut -f1 /proc/sys/kernel/printk)
	echo 4 >/proc/sys/kernel/printk
	start=$(cut -d. -f1 /proc/uptime)
	"$BIN" >"$out"
	rc=$?
	echo "$printk" >/proc/sys/kernel/printk
	restore_knobs
	end=$(cut -d. -f1 /proc/uptime)
	stage "faultinj: finished in $((end - start))s (status $rc)"
	cp "$out" /results/
	grep '^#' "$out"
	while IFS= read -r line; do
		case "$line" in
		"ok "*)
			rest=${line#ok }
			tap_ok "${rest#* }" ;;
		"not ok "*)
			rest=${line#not ok }
			tap_fail "${rest#* }" ;;
		esac
	done <"$out"
	planned=$(sed -n 's/^1\.\.//p' "$out" | head -n 1)
	got=$(grep -c -E '^(not )?ok ' "$out")
	if [ -n "$planned" ] && [ "$planned" = "$got" ]; then
		tap_ok "faultinj: reported all $planned cases"
	else
		tap_fail "faultinj: reported all cases" "planned '$planned', reported $got (status $rc)"
	fi
	# kmemleak survives failed allocations of its own metadata (it has
	# a pool); were it off, the job's leak check would prove nothing.
	if [ -w $DBG/kmemleak ]; then
		if echo stack=on 2>/dev/null >$DBG/kmemleak; then
			tap_ok "faultinj: kmemleak still on afterwards"
		else
			tap_fail "faultinj: kmemleak still on afterwards"
		fi
	fi
	for l in /sys/class/net/vfi*; do
		[ -e "$l" ] && ip link del "${l##*/}" 2>/dev/null
	done
	if rmmod vhost_net >"$WORK/unload.log" 2>&1; then
		tap_ok "faultinj: vhost_net unloads afterwards"
	else
		tap_fail "faultinj: vhost_net unloads afterwards" "$(tail -n 1 "$WORK/unload.log")"
	fi
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

stage "faultinj: allocation failures on every ioctl path"
run
flush

# Back to what we found.
loaded vhost_net && rmmod vhost_net
for m in tap tun; do
	if loaded "$m" && ! echo "$initial" | grep -qx "$m"; then
		rmmod "$m"
	fi
done
case $was in
upstream) modprobe vhost_net ;;
ours) insmod "$OURS/vhost_net.ko" ;;
esac
stage "faultinj: modules restored ($(cut -d' ' -f1 /proc/modules | tr '\n' ' '))"
