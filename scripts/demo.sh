#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: not built yet. It needs the vhost core and the datapath.
echo "make demo: not built yet (the datapath is still missing); see Documentation/status.rst" >&2
exit 2
