# SPDX-License-Identifier: GPL-2.0
# Helpers for running a nested QEMU guest from the host's root, shared
# read-only over 9p. Sourced by guest jobs after lib.sh.

HOST=/host
INNER_IP=10.99.0.2
OUTER_IP=10.99.0.1

# host_setup: the host's root as a chroot with our /dev, /proc, /sys.
host_setup() {
	mkdir -p $HOST
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 hostroot $HOST || return 1
	for d in dev proc sys; do
		mount --bind /$d $HOST/$d || return 1
	done
	mount -t tmpfs tmpfs $HOST/tmp && mount -t tmpfs tmpfs $HOST/run || return 1
	mkdir -p $HOST/tmp/inner
	cp /lab/inner/bzImage /lab/inner/initrd $HOST/tmp/inner/
	# The kernel with ACPI and the Intel IOMMU, for the vIOMMU rows.
	[ ! -f /lab/inner/bzImage-iommu ] || cp /lab/inner/bzImage-iommu $HOST/tmp/inner/
}

# inner_start TAG QUEUES VHOST: boot the nested guest behind tap0, with
# INNER_MEM (QEMU's -m, default 256), INNER_ARGS (more QEMU arguments),
# INNER_DEV (more virtio-net-pci properties, e.g. packed=on),
# INNER_APPEND (more of the nested kernel's command line), INNER_MACHINE
# (QEMU's -machine) and INNER_KERNEL (a kernel under /tmp/inner).
inner_start() {
	tag=$1 queues=$2 vhost=$3
	netdev="tap,id=n0,ifname=tap0,script=no,downscript=no"
	# No option ROM: iPXE's setup in the BIOS costs seconds under nested TCG.
	dev="virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56,romfile="
	[ -n "${INNER_DEV:-}" ] && dev="$dev,$INNER_DEV"
	if [ "$vhost" = on ]; then
		netdev="$netdev,vhost=on,vhostforce=on"
	else
		netdev="$netdev,vhost=off"
	fi
	smp=1
	if [ "$queues" -gt 1 ]; then
		netdev="$netdev,queues=$queues"
		dev="$dev,mq=on,vectors=$((2 * queues + 2))"
		smp=$queues
	fi
	INNER_LOG=/tmp/inner-$tag.log
	# The human monitor on a pair of FIFOs (busybox has no unix-socket
	# client): commands go into mon.in, replies collect in $MON_LOG.
	MON_LOG=/tmp/mon-$tag.log
	rm -f $HOST/tmp/mon.in $HOST/tmp/mon.out
	mkfifo $HOST/tmp/mon.in $HOST/tmp/mon.out || return 1
	# qboot instead of SeaBIOS: it only loads the kernel, which is all
	# we need, and SeaBIOS's setup costs a minute under nested TCG.
	bios=""
	[ -f $HOST/usr/share/qemu/qboot.rom ] && bios="-bios /usr/share/qemu/qboot.rom"
	# shellcheck disable=SC2086
	chroot $HOST qemu-system-x86_64 -accel tcg $bios -m "${INNER_MEM:-256}" -smp $smp \
		${INNER_MACHINE:+-machine $INNER_MACHINE} \
		-nographic -no-reboot -nodefaults -serial stdio ${INNER_ARGS:-} \
		-kernel "/tmp/inner/${INNER_KERNEL:-bzImage}" -initrd /tmp/inner/initrd \
		-append "console=ttyS0 panic=-1 quiet ${INNER_APPEND:-}" \
		-netdev "$netdev" -device "$dev" -monitor pipe:/tmp/mon \
		</dev/null >"$INNER_LOG" 2>&1 &
	QPID=$!
	cat $HOST/tmp/mon.out >"$MON_LOG" 2>/dev/null &
	MON_PID=$!
	# Deadlines in seconds of uptime, not loop counts: under load a loop
	# turn can take far longer than its sleep.
	until=$(($(uptime_s) + 60))
	while ! ip link show tap0 >/dev/null 2>&1; do
		inner_gone "tap0 appears" "$until" || return 1
		sleep 0.2
	done
	ip addr add $OUTER_IP/24 dev tap0 && ip link set tap0 up || return 1
	# The inner guest pings us once it is up: under nested TCG, 30-90 s.
	until=$(($(uptime_s) + 240))
	while ! grep -q "inner: ping to outer" "$INNER_LOG"; do
		inner_gone "the nested guest is up" "$until" || return 1
		sleep 1
	done
	grep -q "inner: ping to outer ok" "$INNER_LOG"
}

# dimm_args N: QEMU arguments for N DIMMs of 2 MiB beside the guest's
# 256 MiB. Each is a memory region of its own in QEMU's vhost table.
dimm_args() {
	i=0
	while [ $i -lt "$1" ]; do
		echo "-object memory-backend-ram,id=dm$i,size=2M -device pc-dimm,memdev=dm$i"
		i=$((i + 1))
	done
}

uptime_s() {
	cut -d. -f1 /proc/uptime
}

# inner_gone WHAT UNTIL: fail, saying why, if QEMU exited or UNTIL passed
# before WHAT happened.
inner_gone() {
	if ! kill -0 "$QPID" 2>/dev/null; then
		echo "lab: QEMU exited before $1" >&2
		return 1
	fi
	if [ "$(uptime_s)" -ge "$2" ]; then
		echo "lab: timed out waiting until $1" >&2
		return 1
	fi
}

inner_stop() {
	kill "$QPID" 2>/dev/null
	i=0
	while kill -0 "$QPID" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	kill -9 "$QPID" 2>/dev/null
	wait "$QPID" 2>/dev/null
	QPID=
	kill "$MON_PID" 2>/dev/null
	cp "$INNER_LOG" "$MON_LOG" /results/ 2>/dev/null
}

# vhost_workers: ids of QEMU's vhost-<pid> workers: threads of QEMU
# (vhost_task), or else kthreads of their own (6.1, or kthread mode).
vhost_workers() {
	found=
	for t in "/proc/$QPID/task/"*; do
		[ "$(cat "$t/comm" 2>/dev/null)" = "vhost-$QPID" ] || continue
		basename "$t"
		found=1
	done
	[ -n "$found" ] && return
	for t in /proc/[0-9]*; do
		[ "$(cat "$t/comm" 2>/dev/null)" = "vhost-$QPID" ] && basename "$t"
	done
}

# cpu_ticks ID...: summed user+system ticks of the given workers.
cpu_ticks() {
	s=0
	for t in "$@"; do
		v=$(cut -d')' -f2 "/proc/$t/stat" | awk '{print $12 + $13}')
		s=$((s + v))
	done
	echo $s
}

qemu_holds_vhost() {
	ls -l /proc/$QPID/fd 2>/dev/null | grep -q '/dev/vhost-net'
}

module_refs() {
	awk '$1 == "vhost_net" { print $3 }' /proc/modules
}

# iperf MODE SECS: Mbit/s of TCP as this VM's iperf3 client measured it
# (the sending side for tx and mq, the receiving side for rx), or of UDP
# as the nested guest received it. MODE is tx (outer sends to the guest),
# rx (the guest sends to us), udp or mq. TCP figures come from our clock,
# not the nested guest's: under nested TCG the inner clock runs
# unevenly (a 10 s run can last 6 s on it), and under -icount ours
# counts instructions, which makes the figure independent of the host's
# load.
iperf() {
	side=sender
	case $1 in
	tx) args="" ;;
	rx) args="-R" side=receiver ;;
	# A nested TCG guest takes only hundreds of unbatched frames a
	# second, so tap drops most of these: UDP shows that datagrams arrive.
	udp) args="-u -b 4M" side=receiver ;;
	mq) args="-P 8" ;;
	esac
	# The server listens again only once it has wrapped up the last test,
	# which takes seconds under nested TCG: until then it refuses or
	# resets a new client. Retry those.
	n=0
	while :; do
		# shellcheck disable=SC2086
		chroot $HOST timeout 60 iperf3 -c $INNER_IP -t "$2" -f m $args \
			>/results/iperf-$1.log 2>&1 && break
		n=$((n + 1))
		[ $n -lt 10 ] || break
		grep -qE 'refused|busy|reset' /results/iperf-$1.log || break
		sleep 2
	done
	# The last such line: the [SUM] of -P 8.
	v=$(awk -v side=$side '$NF == side { for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") v = $(i - 1) }
		 END { print v }' /results/iperf-$1.log)
	# A failed run shows why on the console.
	[ -n "$v" ] || tail -n 5 /results/iperf-$1.log >&2
	echo "$v"
}

# udp_received: datagrams the receiver counted in the last UDP run.
udp_received() {
	awk '/receiver/ { split($(NF - 2), a, "/"); print a[2] }' /results/iperf-udp.log
}

# queue_irqs NAME: interrupts the nested guest took for its virtio queue
# NAME (input.0, output.1...), summed over CPUs, from the latest report
# its init printed on the console.
queue_irqs() {
	# The serial console ends its lines with \r\n.
	tr -d '\r' <"$INNER_LOG" | grep "inner-irq:.*-$1\$" | tail -n 1 |
		awk '{ s = 0; for (i = 3; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }'
}

# guest_features: the nested guest's negotiated virtio features, one
# character per bit from bit 0, as its init printed them.
guest_features() {
	tr -d '\r' <"$INNER_LOG" | sed -n 's/^inner-features: //p' | tail -n 1
}

# guest_offloads: fail, naming them, unless the nested guest negotiated
# the offloads a vnet-header tap gives it: checksum both ways (0, 1),
# TSO both ways (7, 8, 11, 12), mergeable RX buffers (15), VERSION_1 (32).
guest_offloads() {
	f=$(guest_features)
	[ -n "$f" ] || { echo "no inner-features line"; return 1; }
	missing=""
	for b in 0 1 7 8 11 12 15 32; do
		[ "$(echo "$f" | cut -c$((b + 1)))" = 1 ] || missing="$missing $b"
	done
	[ -z "$missing" ] || { echo "feature bits missing:$missing ($f)"; return 1; }
}

# mon CMD: one command to QEMU's human monitor.
mon() {
	echo "$*" >$HOST/tmp/mon.in
}

# migrate_out: live-migrate the running nested guest into /dev/null while
# iperf3 sends to it, and wait until QEMU says the migration completed.
# QEMU refuses to migrate over a vhost backend without VHOST_F_LOG_ALL;
# with it, QEMU has the device mark every guest page it writes. The guest
# is left paused, as after any migration.
migrate_out() {
	chroot $HOST timeout 60 iperf3 -c $INNER_IP -t 40 >/dev/null 2>&1 &
	load=$!
	sleep 3
	mon "migrate_set_parameter max-bandwidth 1G"
	mon "migrate -d exec:cat>/dev/null"
	until=$(($(uptime_s) + 180))
	st=""
	while [ "$(uptime_s)" -lt "$until" ]; do
		sleep 2
		mon "info migrate"
		sleep 1
		st=$(tr -d '\r' <"$MON_LOG" | sed -n 's/^Migration status: *//p' | tail -n 1)
		case $st in
		completed | failed | cancelled) break ;;
		esac
		grep -q 'Migration disabled\|vhost lacks' "$MON_LOG" && break
	done
	kill $load 2>/dev/null
	wait $load 2>/dev/null
	tr -d '\r' <"$MON_LOG" | grep -iE 'error|disabled|lacks' | tail -n 3
	[ "$st" = completed ] || { echo "migration status '${st:-none}'"; return 1; }
}
