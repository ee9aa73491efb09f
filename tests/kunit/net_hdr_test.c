// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the virtio-net header: its length for each feature set, who
 * handles it, and what we write into a received frame's header.
 */
#include <kunit/test.h>
#include <linux/uio.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include "../../drivers/vhost/hdr.h"

#define F(bit) BIT_ULL(bit)

static void hdr_split_lengths(struct kunit *test)
{
	struct vhn_hdr_split s;

	s = vhn_hdr_split(0);
	KUNIT_EXPECT_EQ(test, s.sock_hlen, 10);
	KUNIT_EXPECT_EQ(test, s.vhost_hlen, 0);

	s = vhn_hdr_split(F(VIRTIO_NET_F_MRG_RXBUF));
	KUNIT_EXPECT_EQ(test, s.sock_hlen, 12);

	/* VERSION_1 always carries num_buffers. */
	s = vhn_hdr_split(F(VIRTIO_F_VERSION_1));
	KUNIT_EXPECT_EQ(test, s.sock_hlen, 12);

	s = vhn_hdr_split(F(VHOST_NET_F_VIRTIO_NET_HDR));
	KUNIT_EXPECT_EQ(test, s.vhost_hlen, 10);
	KUNIT_EXPECT_EQ(test, s.sock_hlen, 0);

	s = vhn_hdr_split(F(VHOST_NET_F_VIRTIO_NET_HDR) | F(VIRTIO_F_VERSION_1));
	KUNIT_EXPECT_EQ(test, s.vhost_hlen, 12);
	KUNIT_EXPECT_EQ(test, s.sock_hlen, 0);
}

/* Fill a 16-byte buffer of 0xaa through a kvec iterator. */
static int fill(struct vhn_hdr_split s, bool le, u16 nbufs, u8 *buf)
{
	struct kvec kv = { .iov_base = buf, .iov_len = 16 };
	struct iov_iter it;

	memset(buf, 0xaa, 16);
	iov_iter_kvec(&it, ITER_DEST, &kv, 1, 16);
	return vhn_hdr_fill_rx(&s, le, &it, nbufs);
}

static void hdr_fill_ours_mrg(struct kunit *test)
{
	struct vhn_hdr_split s = { .vhost_hlen = 12 };
	u8 buf[16];

	KUNIT_ASSERT_EQ(test, fill(s, true, 3, buf), 0);
	/* No offloads: flags 0, GSO none, lengths 0. */
	KUNIT_EXPECT_EQ(test, buf[0], 0);
	KUNIT_EXPECT_EQ(test, buf[1], VIRTIO_NET_HDR_GSO_NONE);
	KUNIT_EXPECT_EQ(test, buf[2] | buf[3] | buf[4] | buf[5], 0);
	KUNIT_EXPECT_EQ(test, buf[10], 3);
	KUNIT_EXPECT_EQ(test, buf[11], 0);
	/* Nothing past the header. */
	KUNIT_EXPECT_EQ(test, buf[12], 0xaa);
}

static void hdr_fill_ours_short(struct kunit *test)
{
	struct vhn_hdr_split s = { .vhost_hlen = 10 };
	u8 buf[16];

	KUNIT_ASSERT_EQ(test, fill(s, true, 1, buf), 0);
	KUNIT_EXPECT_EQ(test, buf[9], 0);
	/* A 10-byte header has no num_buffers to write. */
	KUNIT_EXPECT_EQ(test, buf[10], 0xaa);
}

static void hdr_fill_socket_mrg(struct kunit *test)
{
	struct vhn_hdr_split s = { .sock_hlen = 12 };
	u8 buf[16];

	KUNIT_ASSERT_EQ(test, fill(s, true, 0x0102, buf), 0);
	/* The socket's header bytes are left alone... */
	KUNIT_EXPECT_EQ(test, buf[0], 0xaa);
	KUNIT_EXPECT_EQ(test, buf[9], 0xaa);
	/* ...and num_buffers is filled in, little-endian. */
	KUNIT_EXPECT_EQ(test, buf[10], 0x02);
	KUNIT_EXPECT_EQ(test, buf[11], 0x01);
	KUNIT_EXPECT_EQ(test, buf[12], 0xaa);
}

static void hdr_fill_socket_short(struct kunit *test)
{
	struct vhn_hdr_split s = { .sock_hlen = 10 };
	u8 buf[16];
	int i;

	KUNIT_ASSERT_EQ(test, fill(s, true, 5, buf), 0);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, buf[i], 0xaa);
}

static void hdr_fill_big_endian(struct kunit *test)
{
	struct vhn_hdr_split s = { .vhost_hlen = 12 };
	u8 buf[16];

	KUNIT_ASSERT_EQ(test, fill(s, false, 0x0102, buf), 0);
	KUNIT_EXPECT_EQ(test, buf[10], 0x01);
	KUNIT_EXPECT_EQ(test, buf[11], 0x02);
}

static void hdr_fill_short_buffer(struct kunit *test)
{
	struct vhn_hdr_split s = { .vhost_hlen = 12 };
	struct kvec kv;
	struct iov_iter it;
	u8 buf[8];

	kv.iov_base = buf;
	kv.iov_len = sizeof(buf);
	iov_iter_kvec(&it, ITER_DEST, &kv, 1, sizeof(buf));
	KUNIT_EXPECT_EQ(test, vhn_hdr_fill_rx(&s, true, &it, 1), -EFAULT);
}

/* A TX header asking for a checksum at @start + @off, little-endian. */
static struct virtio_net_hdr tx_hdr(u16 hdr_len, u16 start, u16 off)
{
	return (struct virtio_net_hdr){
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.hdr_len = (__force __virtio16)cpu_to_le16(hdr_len),
		.csum_start = (__force __virtio16)cpu_to_le16(start),
		.csum_offset = (__force __virtio16)cpu_to_le16(off),
	};
}

static void hdr_check_tx_plain(struct kunit *test)
{
	struct virtio_net_hdr h = { .hdr_len = (__force __virtio16)cpu_to_le16(54) };

	KUNIT_EXPECT_EQ(test, vhn_hdr_check_tx(&h, true, 60), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu((__force __le16)h.hdr_len), 54);
	/* Headers longer than the frame: tap would refuse it. */
	KUNIT_EXPECT_EQ(test, vhn_hdr_check_tx(&h, true, 53), -EINVAL);
}

static void hdr_check_tx_csum_grows_hdr_len(struct kunit *test)
{
	/* TCP over IPv4: checksum field at 34 + 16, so headers reach 52. */
	struct virtio_net_hdr h = tx_hdr(14, 34, 16);

	KUNIT_EXPECT_EQ(test, vhn_hdr_check_tx(&h, true, 60), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu((__force __le16)h.hdr_len), 52);

	h = tx_hdr(14, 34, 16);
	KUNIT_EXPECT_EQ(test, vhn_hdr_check_tx(&h, true, 51), -EINVAL);

	/* Already long enough: left alone. */
	h = tx_hdr(66, 34, 16);
	KUNIT_EXPECT_EQ(test, vhn_hdr_check_tx(&h, true, 66), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu((__force __le16)h.hdr_len), 66);
}

static void hdr_check_tx_csum_overflow(struct kunit *test)
{
	/* Guest-chosen offsets near 64K must not wrap into a short length. */
	struct virtio_net_hdr h = tx_hdr(0, 0xffff, 0xffff);

	KUNIT_EXPECT_EQ(test, vhn_hdr_check_tx(&h, true, 1514), -EINVAL);
}

static void hdr_check_tx_big_endian(struct kunit *test)
{
	struct virtio_net_hdr h = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.csum_start = (__force __virtio16)cpu_to_be16(34),
		.csum_offset = (__force __virtio16)cpu_to_be16(16),
	};

	KUNIT_EXPECT_EQ(test, vhn_hdr_check_tx(&h, false, 60), 0);
	KUNIT_EXPECT_EQ(test, be16_to_cpu((__force __be16)h.hdr_len), 52);
}

static struct kunit_case net_hdr_cases[] = {
	KUNIT_CASE(hdr_split_lengths),
	KUNIT_CASE(hdr_fill_ours_mrg),
	KUNIT_CASE(hdr_fill_ours_short),
	KUNIT_CASE(hdr_fill_socket_mrg),
	KUNIT_CASE(hdr_fill_socket_short),
	KUNIT_CASE(hdr_fill_big_endian),
	KUNIT_CASE(hdr_fill_short_buffer),
	KUNIT_CASE(hdr_check_tx_plain),
	KUNIT_CASE(hdr_check_tx_csum_grows_hdr_len),
	KUNIT_CASE(hdr_check_tx_csum_overflow),
	KUNIT_CASE(hdr_check_tx_big_endian),
	{}
};

static struct kunit_suite net_hdr_suite = {
	.name = "vhost_net_hdr",
	.test_cases = net_hdr_cases,
};

kunit_test_suites(&net_hdr_suite);
