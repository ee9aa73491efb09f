# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Guest job for `make bench` (lab.job=bench), and its smoke run for
# `make check`.
#
#   lab.bench=full    (the default) per-packet cost, then nested iperf3
#   lab.bench=pps     per-packet cost only
#   lab.bench=iperf   nested iperf3 only
#   lab.bench=smoke   a few seconds: each module moves frames both ways
#   lab.bench=stats   ours with its counters and tracepoints compiled in
#                     ("ours") and out ("nostats", /lab/modules-nostats/),
#                     TX and RX of 64 B: what the counters cost
#   lab.bench=inorder ours with VIRTIO_F_IN_ORDER ("ours-in-order",
#                     vhost-bench --in-order) against upstream's split
#                     ring without it, at the base points but RX GSO
#   lab.bench.pair=A,B the two targets run_pps compares instead (e.g.
#                     ours,ours-in-order: what in-order alone changes)
#   lab.bench.reps=N  repetitions of every point (8)
#   lab.bench.ms=MS   counted time per point (800), after 200 ms warm-up
#   lab.bench.points=base  only the base points (ring 256, no busy
#                     poll): the instruction-count run uses it
#   lab.bench.points=DIR:SIZE:RING:BUSY,...  these points only
#   lab.bench.pairs=N nested iperf3: pairs of boots over ours and
#                     upstream's, after a warm-up boot (5)
#   lab.bench.icount=1 the VM runs under -icount: the iperf lines say
#                     clock=icount (their Mbit/s are per 10^9 instructions)
#   lab.bench=profile an instruction profile (scripts/bench.sh --profile):
#                     perf samples cpu-clock while one point runs, for
#                     each target in lab.bench.ptargets (upstream,ours),
#                     at the points in lab.bench.profile
#   lab.bench.profile=DIR:SIZE,...  the profiled points (tx:64,rx:64;
#                     rxq:SIZE samples the counted drains only)
#   lab.bench.period=NS  the sampling period (100000 ns of guest time)
#   lab.bench.psecs=S the time sampled per run (2 s)
#
# `sh /lab/jobs/bench.sh smoke`, from another job (the check job),
# runs the smoke run and appends its TAP lines to /results/tap.txt
# without truncating it, and leaves the modules as it found them.
# BENCH_TARGETS (default "upstream ours ours-packed ours-packed-in-order")
# names the modules it tries; ours-packed is our module on packed rings
# (--ring packed), ours-packed-in-order the same with --in-order.
#
# Per-packet cost: /lab/bin/vhost-bench, one point per run, for the
# points in POINTS; each point runs with upstream's vhost_net and with
# ours back to back (see run_pps), REPS times over. Raw lines go to
# /results/bench.raw, one per measurement ("rep=R target=T ... pps=P",
# or "... status=failed why=..."); the host makes the table.

MODE=full
PSET=all
EXTRA=
PAIRS=5
PROFILE_POINTS=tx:64,rx:64
PERIOD=100000
PSECS=2
PTARGETS=upstream,ours
CLOCK=wall
REPS=8
MS=800
WARM=200
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	lab.bench=*) MODE=${arg#lab.bench=} ;;
	lab.bench.reps=*) REPS=${arg#lab.bench.reps=} ;;
	lab.bench.ms=*) MS=${arg#lab.bench.ms=} ;;
	lab.bench.points=*) PSET=${arg#lab.bench.points=} ;;
	lab.bench.pairs=*) PAIRS=${arg#lab.bench.pairs=} ;;
	lab.bench.profile=*) PROFILE_POINTS=${arg#lab.bench.profile=} ;;
	lab.bench.period=*) PERIOD=${arg#lab.bench.period=} ;;
	lab.bench.psecs=*) PSECS=${arg#lab.bench.psecs=} ;;
	lab.bench.ptargets=*) PTARGETS=${arg#lab.bench.ptargets=} ;;
	lab.bench.icount=1) CLOCK=icount ;;
	lab.bench.pair=*) PAIR_ARG=${arg#lab.bench.pair=} ;;
	lab.bench.extra=*) EXTRA=${arg#lab.bench.extra=} ;;
	esac
done
APPEND=0
if [ "${1:-}" = smoke ]; then
	MODE=smoke
	APPEND=1
fi

BIN=/lab/bin/vhost-bench
OURS=/lab/modules/vhost_net.ko
TAP=/results/tap.txt
RAW=/results/bench.raw
WORK=/tmp/bench
IPERF_SECS=8
# dir size ring busy-poll-µs: the base point per direction and size (and
# RX of 64 KiB TCP GSO frames over mergeable buffers, "rxgso", and RX
# timed as the drain of a full tap queue, "rxq": vhost-bench --inject
# queue), then each small-frame point with a 1024-entry ring and with a
# 50 µs busy-poll timeout.
BASE="tx:64:256:0 tx:1514:256:0 rx:64:256:0 rx:1514:256:0 rxgso:65535:256:0
rxq:64:256:0 rxq:1514:256:0"
POINTS="$BASE
tx:64:1024:0 tx:1514:1024:0 rx:64:1024:0 rx:1514:1024:0
tx:64:256:50 tx:1514:256:50 rx:64:256:50 rx:1514:256:50"
[ "$PSET" = base ] && POINTS=$BASE
case "$PSET" in *:*) POINTS=$(echo "$PSET" | tr , ' ') ;; esac
# The modules run_pps compares: upstream's and ours, then any extra
# targets (lab.bench.extra, comma-separated): ours-packed is our module
# on packed rings (vhost-bench --ring packed), ours-packed-in-order the
# same with VIRTIO_F_IN_ORDER.
PAIR="upstream ours"
[ -n "$EXTRA" ] && PAIR="$PAIR $(echo "$EXTRA" | tr , ' ')"
if [ "$MODE" = stats ]; then
	POINTS="tx:64:256:0 rx:64:256:0"
	PAIR="ours nostats"
fi
if [ "$MODE" = inorder ]; then
	POINTS="tx:64:256:0 tx:1514:256:0 rx:64:256:0 rx:1514:256:0"
	PAIR="upstream ours-in-order"
fi
[ -n "${PAIR_ARG:-}" ] && PAIR=$(echo "$PAIR_ARG" | tr , ' ')

mkdir -p $WORK
: >$WORK/tap.part
: >$WORK/raw.part
[ "$APPEND" = 1 ] || : >$TAP
n=0
nfail=0

stage() {
	echo "lab: [$(cut -d' ' -f1 /proc/uptime)s] bench: $*"
}

# TAP lines and raw lines gather in tmpfs and go to the 9p share in one
# write each (flush): an open and close of the share per line is slow.
tap_ok() {
	n=$((n + 1))
	echo "ok $n $*" | tee -a $WORK/tap.part
}

tap_fail() {
	n=$((n + 1))
	nfail=$((nfail + 1))
	echo "not ok $n $1${2:+ # $2}" | tee -a $WORK/tap.part
}

flush() {
	cat $WORK/tap.part >>$TAP
	: >$WORK/tap.part
	if [ "$APPEND" = 0 ]; then
		cat $WORK/raw.part >>$RAW
		: >$WORK/raw.part
	fi
}

uptime_s() {
	cut -d. -f1 /proc/uptime
}

loaded() {
	grep -q "^$1 " /proc/modules
}

load_target() {
	modprobe tun && modprobe tap || return 1
	case $1 in
	upstream) modprobe vhost_net ;;
	ours | ours-in-order | ours-packed | ours-packed-in-order) insmod $OURS ;;
	nostats) insmod /lab/modules-nostats/vhost_net.ko ;;
	*) return 1 ;;
	esac
}

# unload_target: whichever vhost_net is loaded, and upstream's core.
unload_target() {
	if loaded vhost_net; then
		rmmod vhost_net || return 1
	fi
	for m in vhost vhost_iotlb; do
		if loaded $m; then
			rmmod $m || return 1
		fi
	done
}

# bounded SECS CMD...: run CMD with its output in $WORK/out and $WORK/err,
# for at most SECS. A process stuck in the kernel is left behind, not
# waited for: status 124 then, and 125 if it could not even be killed.
bounded() {
	lim=$(($(uptime_s) + $1))
	shift
	"$@" >$WORK/out 2>$WORK/err &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		if [ "$(uptime_s)" -ge "$lim" ]; then
			kill -9 $pid 2>/dev/null
			sleep 2
			if grep -q '^State:.*D' /proc/$pid/status 2>/dev/null; then
				echo "stuck in the kernel: $(cat /proc/$pid/wchan 2>/dev/null)" >>$WORK/err
				return 125
			fi
			wait $pid 2>/dev/null
			echo "killed after the time limit" >>$WORK/err
			return 124
		fi
		sleep 0.2
	done
	wait $pid
}

# target_how TARGET: the vhost-bench options a target name stands for.
target_how() {
	case $1 in
	*-in-order) printf '%s ' --in-order ;;
	esac
	case $1 in
	ours-packed*) printf '%s ' --ring packed ;;
	esac
}

# point REP TARGET DIR SIZE RING BUSY [MS WARM]: one measurement, one raw
# line. Fails when the tool failed.
point() {
	rep=$1 t=$2 dir=$3 size=$4 ring=$5 busy=$6
	ms=${7:-$MS} warm=${8:-$WARM}
	label="rep=$rep target=$t dir=$dir size=$size ring=$ring busy=$busy"
	how="--dir $dir"
	[ "$dir" = rxgso ] && how="--dir rx --gso"
	[ "$dir" = rxq ] && how="--dir rx --inject queue"
	how="$how $(target_how "$t")"
	lim=$(((ms + warm) / 1000 + 20))
	# the queue's fills, not counted, take about ten times the drains
	[ "$dir" = rxq ] && lim=$(((ms + warm) * 20 / 1000 + 40))
	# shellcheck disable=SC2086
	bounded $lim $BIN --target "$t" $how \
		--size "$size" --ring "$ring" --busy "$busy" --ms "$ms" --warm "$warm"
	rc=$?
	out=$(tail -n 1 $WORK/out)
	case "$out" in
	target=*frames=*)
		[ $rc = 0 ] || out=""
		;;
	*) out="" ;;
	esac
	if [ -n "$out" ]; then
		echo "rep=$rep $out" >>$WORK/raw.part
		LAST=$out
		return 0
	fi
	why=$(tail -n 1 $WORK/err | tr ' \t' '__')
	echo "$label status=failed rc=$rc why=${why:-none}" >>$WORK/raw.part
	WHY="$(tail -n 1 $WORK/err) (status $rc)"
	RC=$rc
	return 1
}

frames_of() {
	echo "$1" | sed -n 's/.* frames=\([0-9]*\) .*/\1/p'
}

# use_target TARGET: make TARGET's vhost_net the loaded one. Returns 1
# when it does not load, 2 when the loaded one cannot be unloaded (a
# module left stuck: no vhost_net can be loaded any more).
CUR=""
use_target() {
	[ "$CUR" = "$1" ] && return 0
	if ! unload_target >$WORK/unload.log 2>&1; then
		tap_fail "${CUR:-a} vhost_net unloads" "$(tail -n 1 $WORK/unload.log)"
		return 2
	fi
	CUR=""
	if ! load_target "$1" >$WORK/load.log 2>&1; then
		tap_fail "$1: vhost_net loads" "$(tail -n 1 $WORK/load.log)"
		unload_target 2>/dev/null
		return 1
	fi
	CUR=$1
}

# reverse WORD...: the words in the opposite order.
reverse() {
	r=""
	for x in "$@"; do
		r="$x${r:+ $r}"
	done
	echo "$r"
}

# drop TARGET REP WHY: no more measurements of TARGET in this boot.
drop() {
	left=""
	for x in $targets; do
		[ "$x" = "$1" ] || left="${left:+$left }$x"
	done
	targets=$left
	echo "target=$1 status=abandoned rep=$2 why=$3" >>$WORK/raw.part
}

# Every point, REPS times. For each point the modules run back to back,
# their order reversed from point to point (upstream, ours; ours,
# upstream; ...), so that a pair is seconds apart and neither is always
# first. A module swap takes well under 0.1 s.
run_pps() {
	if modprobe pktgen 2>/dev/null; then
		echo "pktgen=yes" >>$WORK/raw.part
	else
		echo "pktgen=no" >>$WORK/raw.part
	fi
	unload_target 2>/dev/null
	targets=$PAIR
	first=0
	rep=1
	while [ $rep -le "$REPS" ]; do
		stage "repetition $rep of $REPS ($targets)"
		nbad=0
		for p in $POINTS; do
			IFS=: read -r dir size ring busy <<EOF
$p
EOF
			first=$((1 - first))
			order=$PAIR
			# shellcheck disable=SC2086
			[ $first = 0 ] && order=$(reverse $PAIR)
			for t in $order; do
				case " $targets " in *" $t "*) ;; *) continue ;; esac
				use_target "$t"
				case $? in
				1) drop "$t" "$rep" load; continue ;;
				2) echo "status=stuck target=$CUR rep=$rep" >>$WORK/raw.part
					flush
					return 1 ;;
				esac
				point "$rep" "$t" "$dir" "$size" "$ring" "$busy" && continue
				tap_fail "rep $rep $t: $dir size $size ring $ring busy $busy" "$WHY"
				nbad=$((nbad + 1))
				# a run that had to be killed: that module is done for
				[ "$RC" -ge 124 ] && drop "$t" "$rep" "killed"
			done
		done
		[ $nbad = 0 ] && tap_ok "repetition $rep: every point measured ($targets)"
		flush
		rep=$((rep + 1))
	done
	unload_target 2>/dev/null
	CUR=""
	flush
}

# iperf_retry MODE: nested.sh's iperf, tried again while the nested
# guest's iperf3 server is still getting ready for the next client.
iperf_retry() {
	for _ in 1 2 3; do
		v=$(iperf "$1" $IPERF_SECS)
		if [ -n "$v" ]; then
			echo "$v"
			return
		fi
		sleep 3
	done
}

# irq_reports: how many interrupt reports the nested guest printed so far.
irq_reports() {
	grep -c 'inner-irq:.*-input\.0' "$INNER_LOG" 2>/dev/null
}

# irq_sample: "IN OUT", the interrupts the nested guest took so far for
# its RX queue (input.0) and its TX queue (output.0), from the first
# report its init prints after the call (one every 5 s), so that the
# difference of the samples on either side of a run counts that run's.
# How often a module makes the guest take an interrupt for the same bytes
# is part of the guest's time per byte, and so of the rate.
irq_sample() {
	n=$(irq_reports)
	i=0
	while [ "$(irq_reports)" = "$n" ] && [ $i -lt 80 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "$(queue_irqs input.0) $(queue_irqs output.0)"
}

# irq_delta "IN0 OUT0" "IN1 OUT1": IN/OUT taken between them, or "-".
irq_delta() {
	# shellcheck disable=SC2086
	set -- $1 $2
	if [ $# = 4 ]; then
		echo "$(($3 - $1))/$(($4 - $2))"
	else
		echo "-"
	fi
}

# iperf_mode TARGET VHOST PAIR: one nested boot, one run each way. PAIR
# is the pair's number, or "warm" for the warm-up boot that is not counted
# (the first nested boot reads QEMU and the guest's files through 9p
# cold), or "-" for the vhost=off reference.
iperf_mode() {
	t=$1 vhost=$2 pair=$3
	tag="$t-vhost$vhost-$pair"
	stage "nested iperf3: $tag"
	unload_target 2>/dev/null
	if [ "$t" != none ] && ! load_target "$t" >$WORK/load.log 2>&1; then
		tap_fail "iperf $tag: vhost_net loads" "$(tail -n 1 $WORK/load.log)"
		echo "iperf pair=$pair target=$t vhost=$vhost status=failed why=load" >>$WORK/raw.part
		return
	fi
	[ "$t" = none ] && modprobe tun
	if ! inner_start "$tag" 1 "$vhost"; then
		tap_fail "iperf $tag: nested guest boots and pings" "$(tail -n 1 "$INNER_LOG")"
		echo "iperf pair=$pair target=$t vhost=$vhost status=failed why=boot" >>$WORK/raw.part
		cp "$INNER_LOG" /results/ 2>/dev/null
		inner_stop
		return
	fi
	stage "$tag: nested guest up"
	irq0=$(irq_sample)
	tx=$(iperf_retry tx)
	cp /results/iperf-tx.log "/results/iperf-$tag-tx.log" 2>/dev/null
	irq1=$(irq_sample)
	rx=$(iperf_retry rx)
	cp /results/iperf-rx.log "/results/iperf-$tag-rx.log" 2>/dev/null
	irq2=$(irq_sample)
	inner_stop
	cp "$INNER_LOG" /results/ 2>/dev/null
	stage "$tag: done"
	if [ -n "$tx" ] && [ -n "$rx" ]; then
		tap_ok "iperf $tag: $tx Mbit/s host->guest, $rx Mbit/s guest->host"
	else
		tap_fail "iperf $tag: iperf3 reports both ways" "tx '$tx' rx '$rx'"
	fi
	echo "iperf pair=$pair target=$t vhost=$vhost clock=$CLOCK host_to_guest=${tx:-failed} guest_to_host=${rx:-failed} irq_host_to_guest=$(irq_delta "$irq0" "$irq1") irq_guest_to_host=$(irq_delta "$irq1" "$irq2")" >>$WORK/raw.part
	flush
}

# iperf part: a warm-up boot, then PAIRS pairs of boots over ours and
# upstream's, ours first in odd pairs and upstream's first in even ones,
# so that neither module always follows the other; then vhost=off once.
run_iperf() {
	. /lab/jobs/nested.sh
	if ! host_setup; then
		tap_fail "iperf: host root mounted for the nested QEMU"
		echo "iperf status=failed why=hostroot" >>$WORK/raw.part
		return
	fi
	iperf_mode ours on warm
	p=1
	while [ $p -le "$PAIRS" ]; do
		if [ $((p % 2)) = 1 ]; then
			iperf_mode ours on $p
			iperf_mode upstream on $p
		else
			iperf_mode upstream on $p
			iperf_mode ours on $p
		fi
		p=$((p + 1))
	done
	iperf_mode none off -
	unload_target 2>/dev/null
	flush
}

# profile: for each point in PROFILE_POINTS and each module, one run of
# vhost-bench long enough that perf (/lab/bin/perf, with its libraries
# packed by scripts/bench.sh) samples cpu-clock system-wide for PSECS
# seconds inside the counted time. Under -icount the guest's clock counts
# instructions, so the samples are an instruction profile. The samples
# (perf script: comm, tid, cpu, time, ip) and /proc/kallsyms, taken while
# the module is still loaded (it gives the module's symbols too), go to
# /results/profile/; the host resolves and tabulates them
# (scripts/lab/profile.py). The modules alternate which goes first.
# profile_drains TARGET SIZE: the RXQ point, perf sampling only while
# vhost-bench drains the tap's queue (counted drains, PSECS seconds of
# them): it switches perf on and off through two fifos. Sets prc, brc.
profile_drains() {
	rm -f $WORK/ctl $WORK/ack
	mkfifo $WORK/ctl $WORK/ack
	perf record -a -e cpu-clock -c "$PERIOD" -B -N -q -D -1 \
		--control "fifo:$WORK/ctl,$WORK/ack" -o $WORK/perf.data -- \
		$BIN --target "$1" --dir rx --inject queue --size "$2" --ring 256 \
		--busy 0 --ms $((PSECS * 1000)) --warm $WARM \
		--perf-ctl "$WORK/ctl,$WORK/ack" >$WORK/out 2>$WORK/err
	brc=$?
	prc=$brc
	[ -s $WORK/perf.data ] || prc=1
	cat $WORK/err >$WORK/perf.log
}

run_profile() {
	pdir=/results/profile
	mkdir -p $pdir
	rm -f $pdir/*
	export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu
	if ! perf --version >$WORK/perf.log 2>&1; then
		tap_fail "profile: perf runs in the VM" "$(tail -n 1 $WORK/perf.log)"
		return 1
	fi
	modprobe pktgen 2>/dev/null && echo "pktgen=yes" >>$WORK/raw.part
	echo "perf_version=$(perf --version | tr ' ' '_') period=$PERIOD psecs=$PSECS" >>$WORK/raw.part
	unload_target 2>/dev/null
	# Start perf after the warm-up and half a second more; the counted
	# time outlasts the sampled time by a second and a half.
	pms=$((PSECS * 1000 + 2000))
	first=0
	rep=1
	while [ $rep -le "$REPS" ]; do
		for p in $(echo "$PROFILE_POINTS" | tr ',' ' '); do
			dir=${p%%:*} size=${p#*:}
			first=$((1 - first))
			order=$(echo "$PTARGETS" | tr ',' ' ')
			if [ $first = 0 ]; then
				rev=""
				for t in $order; do rev="$t $rev"; done
				order=$rev
			fi
			for t in $order; do
				tag="$t-$dir-$size-$rep"
				stage "profile $tag"
				if ! use_target "$t"; then
					tap_fail "profile $tag: $t loads"
					continue
				fi
				if [ "$dir" = rxq ]; then
					profile_drains "$t" "$size"
				else
					# shellcheck disable=SC2046
					$BIN --target "$t" --dir "$dir" --size "$size" --ring 256 \
						$(target_how "$t") --busy 0 --ms $pms --warm $WARM >$WORK/out 2>$WORK/err &
					bpid=$!
					sleep "$(((WARM + 500) / 1000)).$((((WARM + 500) % 1000) / 100))"
					perf record -a -e cpu-clock -c "$PERIOD" -B -N -q \
						-o $WORK/perf.data -- sleep "$PSECS" >$WORK/perf.log 2>&1
					prc=$?
					wait $bpid
					brc=$?
				fi
				# The module's symbols are in kallsyms only while it is loaded.
				grep ' [tT] ' /proc/kallsyms >$WORK/ksyms
				out=$(tail -n 1 $WORK/out)
				if [ $prc != 0 ] || [ $brc != 0 ]; then
					tap_fail "profile $tag: perf and vhost-bench run" \
						"perf $prc: $(tail -n 1 $WORK/perf.log); bench $brc: $(tail -n 1 $WORK/err)"
					continue
				fi
				if ! perf script -i $WORK/perf.data -F comm,tid,cpu,time,ip --ns \
					>$WORK/samples 2>$WORK/perf.log; then
					tap_fail "profile $tag: perf script" "$(tail -n 1 $WORK/perf.log)"
					continue
				fi
				ns=$(wc -l <$WORK/samples)
				gzip -c $WORK/samples >"$pdir/$tag.samples.gz"
				gzip -c $WORK/ksyms >"$pdir/$tag.kallsyms.gz"
				rm -f $WORK/perf.data $WORK/samples
				echo "rep=$rep $out profile=$tag" >>$WORK/raw.part
				tap_ok "profile $tag: $ns samples"
				flush
			done
		done
		rep=$((rep + 1))
	done
	unload_target 2>/dev/null
	CUR=""
	flush
}

# smoke: each target moves frames both ways, briefly; no speed asserted.
smoke() {
	initial=$(cut -d' ' -f1 /proc/modules)
	was=""
	if loaded vhost_net; then
		if loaded vhost; then was=upstream; else was=ours; fi
	fi
	unload_target 2>/dev/null
	for t in ${BENCH_TARGETS:-upstream ours ours-packed ours-packed-in-order}; do
		if ! load_target "$t" >$WORK/load.log 2>&1; then
			tap_fail "bench smoke $t: vhost_net loads" "$(tail -n 1 $WORK/load.log)"
			unload_target 2>/dev/null
			continue
		fi
		for dir in tx rx; do
			name="bench smoke $t: $dir frames counted"
			if point 0 "$t" "$dir" 64 256 0 300 100; then
				f=$(frames_of "$LAST")
				if [ "${f:-0}" -gt 0 ]; then
					tap_ok "$name ($f frames in 0.3 s)"
				else
					tap_fail "$name" "no frame in 0.3 s"
				fi
			else
				tap_fail "$name" "$WHY"
			fi
		done
		if unload_target >$WORK/unload.log 2>&1; then
			tap_ok "bench smoke $t: vhost_net unloads"
		else
			tap_fail "bench smoke $t: vhost_net unloads" "$(tail -n 1 $WORK/unload.log)"
		fi
	done
	cat $WORK/raw.part
	# back to what we found
	for m in tap tun; do
		if loaded $m && ! echo "$initial" | grep -qx $m; then
			rmmod $m
		fi
	done
	case $was in
	upstream) modprobe vhost_net ;;
	ours) modprobe tun && modprobe tap && insmod $OURS ;;
	esac
	flush
}

stage "mode $MODE on $(uname -r), $(nproc) CPUs"
if [ "$APPEND" = 0 ]; then
	: >$RAW
	echo "kernel=$(uname -r) cpus=$(nproc) mode=$MODE points=$PSET reps=$REPS ms=$MS warm=$WARM iperf_secs=$IPERF_SECS pairs=$PAIRS" >>$WORK/raw.part
fi
case $MODE in
smoke) smoke ;;
pps | stats | inorder) run_pps ;;
iperf) run_iperf ;;
full) run_pps; run_iperf ;;
profile) run_profile ;;
*) tap_fail "bench: mode '$MODE' is known" ;;
esac
flush
stage "done: $n checks, $nfail failed"
[ "$nfail" = 0 ]
