# SPDX-License-Identifier: GPL-2.0
#
# make              build drivers/vhost/vhost_net.ko and the KUnit module
# make check        build the debug lab kernel and run every test in a VM
# make demo         the main job: a nested QEMU guest on vhost=on
# make bench        speed against upstream's vhost_net, same VM boot
#                   (PROFILE=1: an instruction profile instead)
# make fuzz SECONDS=N SEED=S [TARGET=upstream]
#                   vhost-fuzz on the debug lab kernel for N seconds
# make dkms-install install through DKMS for the running kernel (root)
# make dkms-remove  and take it away again
# make KDIR=DIR     build against any prepared kernel tree
# make STATS=n      build without the per-queue counters and tracepoints
#
# In a kernel tree Kbuild reads drivers/vhost/Makefile directly and this
# file is not used.

LAB_CACHE ?= $(HOME)/.cache/vhost-net-lab
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(origin KDIR),undefined)
ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
KDIR := $(RUNNING_KDIR)
else
KDIR = $(shell scripts/lab/kernel.sh debug)
endif
endif

# The KUnit module is built only where the kernel has KUnit.
KUNIT_M = $(shell grep -qs '^CONFIG_KUNIT=[ym]' $(KDIR)/.config && echo m)
# STATS=n builds without the counters, debugfs and tracepoints (make bench
# measures what they cost).
STATS ?= y
KBUILD_ARGS = -C $(KDIR) M=$(CURDIR) VHOST_NET_TOP=$(CURDIR) \
	CONFIG_VHOST_NET=m CONFIG_VHOST_NET_KUNIT_TEST=$(KUNIT_M) \
	CONFIG_VHOST_NET_STATS=$(STATS)

all: modules

modules:
	$(MAKE) $(KBUILD_ARGS) modules

clean:
	$(MAKE) $(KBUILD_ARGS) clean
	rm -rf tests/build

check:
	@scripts/check.sh

# KERNEL=6.1 runs the demo on the 6.1 lab kernel (default 6.12).
demo:
	@KERNEL=$(KERNEL) scripts/demo.sh

bench:
	@scripts/bench.sh $(if $(filter 1,$(PROFILE)),--profile)

# SECONDS, SEED and TARGET go to scripts/fuzz.sh as options: bash gives
# SECONDS in its environment a meaning of its own.
fuzz:
	@scripts/fuzz.sh $(if $(SECONDS),--seconds $(SECONDS)) \
		$(if $(SEED),--seed $(SEED)) $(if $(TARGET),--target $(TARGET))

# DKMS copies the tree into /usr/src/vhost-net-VERSION, builds it there
# for the running kernel and installs it under updates/ (dkms.conf). The
# modprobe.d file makes QEMU see our memory-region limit (the file says why).
DKMS_VERSION = $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

dkms-install:
	-dkms remove vhost-net/$(DKMS_VERSION) --all
	rm -rf /usr/src/vhost-net-$(DKMS_VERSION)
	dkms add $(CURDIR)
	dkms install vhost-net/$(DKMS_VERSION)
	install -m 0644 scripts/modprobe.d/vhost-net.conf /etc/modprobe.d/vhost-net.conf

dkms-remove:
	dkms remove vhost-net/$(DKMS_VERSION) --all
	rm -rf /usr/src/vhost-net-$(DKMS_VERSION)
	rm -f /etc/modprobe.d/vhost-net.conf

.PHONY: dkms-install dkms-remove
.PHONY: all modules clean check demo bench fuzz
