// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_net: module entry, and the /dev/vhost-net character device.
 *
 * QEMU finds the device by name; udev and kmod load the module on first
 * open through the char-major-10-238 and devname:vhost-net aliases.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "net.h"

static struct miscdevice vhn_misc = {
	.minor	= VHOST_NET_MINOR,
	.name	= "vhost-net",
	.fops	= &vhn_net_fops,
};

static int __init vhn_init(void)
{
	int r;

	vhn_debugfs_init();
	r = misc_register(&vhn_misc);
	if (r)
		vhn_debugfs_exit();
	return r;
}
module_init(vhn_init);

static void __exit vhn_exit(void)
{
	misc_deregister(&vhn_misc);
	vhn_debugfs_exit();
}
module_exit(vhn_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Host kernel accelerator for virtio net");
/* As dkms.conf; it also gives the module a srcversion to tell it by. */
MODULE_VERSION("0.2");
MODULE_ALIAS_MISCDEV(VHOST_NET_MINOR);
MODULE_ALIAS("devname:vhost-net");
