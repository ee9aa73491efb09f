# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The vhost-net userspace suite, run by the guest's check job (sh, in a
# subshell; lib.sh is not sourced here, since sourcing it would truncate
# the results). For each target it loads that vhost_net, runs
# /lab/bin/vhost-suite --target TARGET (which also picks each target's
# expectation for the deliberate differences, Documentation/tests.rst),
# saves the raw KTAP to /results/suite-TARGET.ktap and appends one TAP
# line per case, "TARGET: CASE", to /results/tap.txt. With both targets,
# one more line per case, "same result: CASE", fails where the two
# differ. Then each target again with --ring packed: the datapath cases
# and packed.c's on packed rings, as "TARGET: packed.CASE" (on upstream,
# which does not offer the feature, each checks just that). Modules end
# up as they were found.

# VHOST_SUITE_FILTER, if set, runs only the cases whose name has it.
# Targets, in order: upstream first proves the cases, then ours.
TARGETS=${VHOST_SUITE_TARGETS:-upstream ours}
# Ring layouts: split compares the targets, packed follows.
RINGS=${VHOST_SUITE_RINGS:-split packed}

TAP=/results/tap.txt
SUITE=/lab/bin/vhost-suite
OURS=/lab/modules
WORK=/tmp/vhost-suite
. /lab/jobs/suite-lib.sh

# Is the loaded vhost_net upstream's? Only upstream's holds vhost.ko.
upstream_loaded() {
	grep "^vhost " /proc/modules 2>/dev/null | grep -q vhost_net
}

load_target() {
	case $1 in
	upstream)
		for m in vhost_iotlb vhost tun tap vhost_net macvlan macvtap; do
			modprobe "$m" || return 1
		done ;;
	ours)
		for m in tun tap macvlan macvtap; do
			modprobe "$m" || return 1
		done
		insmod "$OURS/vhost_net.ko" ;;
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

# record TARGET KTAP: one TAP line per case, and TARGET.res for comparing.
record() {
	: >"$WORK/$1.res"
	while IFS= read -r line; do
		case "$line" in
		"ok "*)
			rest=${line#ok }
			rest=${rest#* }
			echo "ok ${rest#*: }" >>"$WORK/$1.res"
			tap_ok "$rest" ;;
		"not ok "*)
			rest=${line#not ok }
			rest=${rest#* }
			name=${rest%% # *}
			why=""
			[ "$name" != "$rest" ] && why=${rest#* # }
			echo "not-ok ${name#*: }" >>"$WORK/$1.res"
			tap_fail "$name" "$why" ;;
		esac
	done <"$2"
}

run_target() {
	t=$1
	ring=$2
	res=$t lbl=$t
	[ "$ring" = split ] || { res=$t-$ring; lbl="$t ($ring)"; }
	out=$WORK/suite-$res.ktap
	stage "vhost-suite: $t, $ring rings"
	if ! load_target "$t" >"$WORK/load.log" 2>&1; then
		tap_fail "$lbl: vhost_net and its backends load" "$(tail -n 1 "$WORK/load.log")"
		unload_target "$t" 2>/dev/null
		flush
		return
	fi
	start=$(cut -d. -f1 /proc/uptime)
	"$SUITE" --target "$t" --ring "$ring" ${VHOST_SUITE_FILTER:+--filter "$VHOST_SUITE_FILTER"} \
		>"$out" 2>"$WORK/$res.err"
	rc=$?
	end=$(cut -d. -f1 /proc/uptime)
	stage "vhost-suite: $t, $ring rings, finished in $((end - start))s (status $rc)"
	cp "$out" /results/
	record "$res" "$out"
	planned=$(sed -n 's/^1\.\.//p' "$out" | head -n 1)
	got=$(grep -c -E '^(not )?ok ' "$out")
	if [ -n "$planned" ] && [ "$planned" = "$got" ]; then
		tap_ok "$t: vhost-suite ($ring) reported all $planned cases"
	else
		tap_fail "$t: vhost-suite ($ring) reported all cases" \
			"planned '$planned', reported $got; $(tail -n 1 "$WORK/$res.err")"
	fi
	# leftovers of a crashed case: macvtaps whose lower tap survived
	for l in /sys/class/net/vsm*; do
		[ -e "$l" ] && ip link del "${l##*/}" 2>/dev/null
	done
	if unload_target "$t" >"$WORK/unload.log" 2>&1; then
		tap_ok "$lbl: vhost_net unloads after the suite"
	else
		tap_fail "$lbl: vhost_net unloads after the suite" "$(tail -n 1 "$WORK/unload.log")"
	fi
	flush
}

# compare A B: one line per case of A, failing where B differs.
compare() {
	awk 'NR == FNR { b[$2] = $1; next }
	     { print $1, ($2 in b ? b[$2] : "missing"), $2 }' \
		"$WORK/$2.res" "$WORK/$1.res" >"$WORK/compare"
	while read -r sa sb name; do
		if [ "$sa" = "$sb" ]; then
			tap_ok "same result: $name"
		else
			tap_fail "same result: $name" "$1 $sa, $2 $sb"
		fi
	done <"$WORK/compare"
}

mkdir -p "$WORK"
: >"$WORK/tap.part"
initial=$(cut -d' ' -f1 /proc/modules)
was=""
if loaded vhost_net; then
	if upstream_loaded; then was=upstream; else was=ours; fi
	rmmod vhost_net
fi

for ring in $RINGS; do
	ran=""
	for t in $TARGETS; do
		run_target "$t" "$ring"
		ran="$ran $t"
	done
	case "$ring:$ran" in
	split:*upstream*ours*) compare upstream ours; flush ;;
	esac
done

# Back to what we found: drop what we loaded, reload what we unloaded.
for m in macvtap macvlan tap tun vhost vhost_iotlb; do
	if loaded "$m" && ! echo "$initial" | grep -qx "$m"; then
		rmmod "$m"
	fi
done
for m in vhost_iotlb vhost tun tap macvlan macvtap; do
	if ! loaded "$m" && echo "$initial" | grep -qx "$m"; then
		modprobe "$m"
	fi
done
case $was in
upstream) modprobe vhost_net ;;
ours) insmod "$OURS/vhost_net.ko" ;;
esac
stage "vhost-suite: modules restored ($(cut -d' ' -f1 /proc/modules | tr '\n' ' '))"
