// SPDX-License-Identifier: GPL-2.0
/*
 * The KUnit module for vhost_net: module information only. Each *_test.c
 * beside this file holds one suite.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for vhost_net");
/* The namespace became a string literal in 6.13; the Makefile tells. */
#ifdef VHN_NS_IS_STRING
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
#else
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
#endif
