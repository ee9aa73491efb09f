// SPDX-License-Identifier: GPL-2.0
/*
 * Taps, macvtaps, AF_PACKET sockets and test frames.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>

#include "harness.h"
#include "net.h"
#include "vring.h"

static const u8 mac_guest[6] = { 0x02, 0x76, 0x68, 0, 0, 1 };
static const u8 mac_peer[6] = { 0x02, 0x76, 0x68, 0, 0, 2 };

void tap_open(struct tap *t, const char *name, int flags, int hdr_sz)
{
	struct ifreq ifr = { 0 };

	t->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	CHECKF(t->fd >= 0, "open /dev/net/tun: %s", errname(errno));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | flags;
	OK(ioctl(t->fd, TUNSETIFF, &ifr));
	snprintf(t->name, IFNAMSIZ, "%s", ifr.ifr_name);
	if (flags & IFF_VNET_HDR)
		OK(ioctl(t->fd, TUNSETVNETHDRSZ, &hdr_sz));
	t->ifindex = if_index(t->name);
}

void tap_offload(int fd, unsigned int tun_f)
{
	OK(ioctl(fd, TUNSETOFFLOAD, tun_f));
}

static int ctl_sock(void)
{
	return OK(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
}

void if_up(const char *name, bool up)
{
	struct ifreq ifr = { 0 };
	int s = ctl_sock();

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	OK(ioctl(s, SIOCGIFFLAGS, &ifr));
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	OK(ioctl(s, SIOCSIFFLAGS, &ifr));
	close(s);
}

void if_mtu(const char *name, int mtu)
{
	struct ifreq ifr = { 0 };
	int s = ctl_sock();

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_mtu = mtu;
	OK(ioctl(s, SIOCSIFMTU, &ifr));
	close(s);
}

int if_index(const char *name)
{
	unsigned int i = if_nametoindex(name);

	CHECKF(i, "if_nametoindex(%s): %s", name, errname(errno));
	return i;
}

void if_hwaddr(const char *name, u8 mac[6])
{
	struct ifreq ifr = { 0 };
	int s = ctl_sock();

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	OK(ioctl(s, SIOCGIFHWADDR, &ifr));
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(s);
}

int pkt_open(int ifindex, int type, bool vnet_hdr)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	int s, one = 1, big = 8 << 20;

	s = OK(socket(AF_PACKET, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
		      htons(ETH_P_ALL)));
	if (vnet_hdr)
		OK(setsockopt(s, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)));
	OK(setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)));
	OK(setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)));
	OK(bind(s, (struct sockaddr *)&sll, sizeof(sll)));
	return s;
}

/* Transmit on ifindex; the protocol is read from the frame itself. */
void pkt_send(int s, int ifindex, const void *buf, size_t len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		.sll_halen = 6,
	};
	u64 end = now_ms() + 2000;
	ssize_t n;

	for (;;) {
		n = sendto(s, buf, len, 0, (struct sockaddr *)&sll, sizeof(sll));
		if (n >= 0 || (errno != EAGAIN && errno != ENOBUFS) ||
		    now_ms() > end)
			break;
		sleep_ms(1);
	}
	CHECKF(n == (ssize_t)len, "inject %zu bytes on ifindex %d: %zd (%s)",
	       len, ifindex, n, n < 0 ? errname(errno) : "short");
}

/* Receive one frame within ms; packet sockets skip our own transmits. */
ssize_t fd_recv_frame(int fd, void *buf, size_t len, int ms, bool packet)
{
	u64 end = now_ms() + ms;

	for (;;) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		int left = (int)(end - now_ms());
		ssize_t n;

		if (packet)
			n = recvfrom(fd, buf, len, MSG_DONTWAIT | MSG_TRUNC,
				     (struct sockaddr *)&sll, &sl);
		else
			n = read(fd, buf, len);
		if (n >= 0 && packet && sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (n >= 0)
			return n;
		if (errno != EAGAIN && errno != EINTR)
			FAIL("receive: %s", errname(errno));
		if (left <= 0)
			return -1;
		struct pollfd p = { .fd = fd, .events = POLLIN };

		poll(&p, 1, left);
	}
}

ssize_t pkt_recv(int s, void *buf, size_t len, int ms)
{
	return fd_recv_frame(s, buf, len, ms, true);
}

static u16 csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static u32 csum_add(u32 sum, const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(u8 *p, u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void ip_header(u8 *ip, size_t len, u8 proto, u32 seq)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, len);
	put16(ip + 4, seq);
	ip[6] = 0x40;			/* DF */
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, 0x0a000001);	/* 10.0.0.1 */
	put32(ip + 16, 0x0a000002);	/* 10.0.0.2 */
	put16(ip + 10, ~csum_fold(csum_add(0, ip, 20)));
}

/* Fill the Ethernet (and IP) headers; return the payload's offset. */
static size_t headers(u8 *buf, enum frame_kind k, size_t len,
		      u32 tag, u32 seq)
{
	u8 *l4 = buf + 34;
	u32 ph;

	memcpy(buf, mac_peer, 6);
	memcpy(buf + 6, mac_guest, 6);
	if (k == FRAME_RAW) {
		put16(buf + 12, ETH_TEST);
		return 14;
	}
	put16(buf + 12, 0x0800);
	ip_header(buf + 14, len - 14, k == FRAME_TCP ? 6 : 17, seq);
	put16(l4, 1024 + (seq & 0x3fff));
	put16(l4 + 2, 5000 + (tag & 0xff));
	ph = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + (k == FRAME_TCP ? 6 : 17) +
	     (u32)(len - 34);
	if (k == FRAME_UDP) {
		put16(l4 + 4, len - 34);
		put16(l4 + 6, 0);	/* no UDP checksum */
		return 42;
	}
	memset(l4 + 4, 0, 16);
	put32(l4 + 4, seq * 1000);
	l4[12] = 5 << 4;		/* data offset */
	l4[13] = 0x18;			/* PSH, ACK */
	put16(l4 + 14, 65535);
	put16(l4 + 16, csum_fold(ph));	/* pseudo-header sum: CHECKSUM_PARTIAL */
	return 54;
}

void frame_make(u8 *buf, enum frame_kind k, size_t len,
		u32 tag, u32 seq)
{
	size_t off = headers(buf, k, len, tag, seq), i;

	CHECKF(len >= off + 16, "frame of %zu bytes is too short", len);
	memcpy(buf + off, "VHST", 4);
	put32(buf + off + 4, tag);
	put32(buf + off + 8, seq);
	put32(buf + off + 12, len);
	for (i = off + 16; i < len; i++)
		buf[i] = (u8)(i * 131 + seq * 17 + tag * 29 + (i >> 9));
}

static size_t payload_off(const u8 *buf, size_t len)
{
	if (len < 14)
		return 0;
	if (buf[12] == (ETH_TEST >> 8) && buf[13] == (ETH_TEST & 0xff))
		return 14;
	if (buf[12] != 0x08 || buf[13] != 0 || len < 42)
		return 0;
	return buf[23] == 6 ? 54 : 42;
}

/* Is this one of our frames? Then its tag and sequence number. */
bool frame_id(const u8 *buf, size_t len, u32 *tag, u32 *seq)
{
	size_t off = payload_off(buf, len);

	if (!off || len < off + 16 || memcmp(buf + off, "VHST", 4))
		return false;
	*tag = get32(buf + off + 4);
	*seq = get32(buf + off + 8);
	return true;
}

/* The case fails unless got is exactly the frame (k, len, tag, seq). */
void frame_expect(const u8 *got, size_t got_len, enum frame_kind k,
		  size_t len, u32 tag, u32 seq)
{
	u8 *want = malloc(len);
	size_t i;

	CHECK(want);
	frame_make(want, k, len, tag, seq);
	CHECKF(got_len == len, "frame %u/%u: %zu bytes, expected %zu",
	       tag, seq, got_len, len);
	for (i = 0; i < len; i++)
		CHECKF(got[i] == want[i],
		       "frame %u/%u: byte %zu is %#x, expected %#x",
		       tag, seq, i, got[i], want[i]);
	free(want);
}

void frame_dst(u8 *buf, const u8 mac[6])
{
	memcpy(buf, mac, 6);
}

void gso_hdr(struct virtio_net_hdr *h, size_t frame_len)
{
	memset(h, 0, sizeof(*h));
	(void)frame_len;
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	h->hdr_len = 54;
	h->gso_size = GSO_MSS;
	h->csum_start = 34;
	h->csum_offset = 16;
}

/* rtnetlink */

struct nlreq {
	struct nlmsghdr n;
	struct ifinfomsg i;
	char buf[512];
};

static struct rtattr *nla_put(struct nlreq *r, int type, const void *data,
			      int len)
{
	char *base = (char *)r;
	size_t at = NLMSG_ALIGN(r->n.nlmsg_len);
	struct rtattr *a = (struct rtattr *)(base + at);

	CHECK(at + RTA_LENGTH(len) <= sizeof(*r));
	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(base + at + RTA_LENGTH(0), data, len);
	r->n.nlmsg_len = at + RTA_ALIGN(a->rta_len);
	return a;
}

static void nla_end(struct nlreq *r, struct rtattr *nest)
{
	nest->rta_len = (char *)r + r->n.nlmsg_len - (char *)nest;
}

static int nl_talk(struct nlmsghdr *n)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[4096];
	struct nlmsgerr *e;
	int s, len;

	s = OK(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
	n->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	OK(sendto(s, n, n->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)));
	CHECKF(fd_wait(s, 5000), "rtnetlink: no answer");
	len = OK(recv(s, buf, sizeof(buf), 0));
	close(s);
	n = (struct nlmsghdr *)buf;
	CHECK(len >= (int)NLMSG_LENGTH(sizeof(*e)) && n->nlmsg_type == NLMSG_ERROR);
	e = NLMSG_DATA(n);
	return e->error;
}

int macvtap_create(int lower, char *name)
{
	static int serial;
	struct nlreq r = { 0 };
	struct rtattr *info, *data;
	u32 mode = MACVLAN_MODE_VEPA;
	int err;

	snprintf(name, IFNAMSIZ, "vsm%d_%d", getpid() % 100000, serial++);
	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(r.i));
	r.n.nlmsg_type = RTM_NEWLINK;
	r.n.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	r.i.ifi_family = AF_UNSPEC;
	nla_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
	nla_put(&r, IFLA_LINK, &lower, 4);
	info = nla_put(&r, IFLA_LINKINFO, NULL, 0);
	nla_put(&r, IFLA_INFO_KIND, "macvtap", 8);
	data = nla_put(&r, IFLA_INFO_DATA, NULL, 0);
	nla_put(&r, IFLA_MACVLAN_MODE, &mode, 4);
	nla_end(&r, data);
	nla_end(&r, info);
	err = nl_talk(&r.n);
	CHECKF(!err, "create macvtap on ifindex %d: %s (is macvtap.ko loaded?)",
	       lower, errname(-err));
	return if_index(name);
}

void link_delete(int ifindex)
{
	struct nlreq r = { 0 };

	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(r.i));
	r.n.nlmsg_type = RTM_DELLINK;
	r.i.ifi_family = AF_UNSPEC;
	r.i.ifi_index = ifindex;
	nl_talk(&r.n);
}
