// SPDX-License-Identifier: GPL-2.0
/*
 * The AF_PMESH socket family: the socket calls, and delivery of datagrams
 * to the sockets bound to a channel.
 *
 * A bound socket holds a reference to its mesh and sits in the mesh's table
 * of bound sockets, keyed by channel, where the data path finds it under RCU.
 * Sockets are freed after an RCU grace period (SOCK_RCU_FREE) for that
 * reason. A user socket holds its network namespace too (sk_alloc() with
 * kern 0), so a namespace never goes away under it; a deleted mesh stays in
 * memory, dead, until its last socket is closed or bound elsewhere.
 */
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/pmesh.h>
#include <linux/pmesh_netlink.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/sockios.h>
#include <linux/termios.h>
#include <linux/udp.h>
#include <net/sock.h>

#include "core/frame.h"
#include "datapath.h"
#include "link.h"
#include "mesh.h"
#include "socket.h"

/**
 * struct pmesh_sock - an AF_PMESH socket
 * @sk: the socket; must stay first
 * @mesh: the mesh bound to, with a reference; NULL until bind()
 * @bind_node: entry in @mesh's table of bound sockets
 * @channel: the channel bound to
 * @peer_mesh: the mesh connect() set as default destination, 0 if none
 * @peer_channel: the channel connect() set
 * @hoplimit: PMESH_HOPLIMIT, 0 for the mesh's default
 * @loop: PMESH_LOOP: deliver own datagrams to local sockets
 */
struct pmesh_sock {
	struct sock sk;
	struct pmesh_mesh *mesh;
	struct hlist_node bind_node;
	u16 channel;
	u32 peer_mesh;
	u16 peer_channel;
	u8 hoplimit;
	bool loop;
};

static inline struct pmesh_sock *pmesh_sk(struct sock *sk)
{
	return container_of(sk, struct pmesh_sock, sk);
}

static struct hlist_head *pmesh_channel_bucket(struct pmesh_mesh *mesh,
					       u16 channel)
{
	struct pmesh_channels *c = &mesh->channels;

	return &c->hash[siphash_1u32(channel, &c->key) &
			(HASH_SIZE(c->hash) - 1)];
}

/**
 * pmesh_channels_init() - no socket bound yet
 * @mesh: the mesh, not yet visible
 */
void pmesh_channels_init(struct pmesh_mesh *mesh)
{
	mutex_init(&mesh->channels.lock);
	hash_init(mesh->channels.hash);
	get_random_bytes(&mesh->channels.key, sizeof(mesh->channels.key));
}

/**
 * pmesh_channels_destroy() - the mesh is freed: every socket is unbound
 * @mesh: the mesh, its last reference gone
 */
void pmesh_channels_destroy(struct pmesh_mesh *mesh)
{
	WARN_ON(!hash_empty(mesh->channels.hash));
	mutex_destroy(&mesh->channels.lock);
}

static int family = AF_PMESH;
module_param(family, int, 0444);
MODULE_PARM_DESC(family, "socket family number to register (default 18)");
/* socket(AF_PMESH, ...) loads the module where it is installed. */
MODULE_ALIAS_NETPROTO(AF_PMESH);

static struct proto pmesh_proto = {
	.name		= "PMESH",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct pmesh_sock),
	/* Never merged, so that a leaked socket shows at unload. */
	.slab_flags	= SLAB_NO_MERGE,
};

static void pmesh_unbind(struct pmesh_sock *ps)
{
	struct pmesh_mesh *mesh = ps->mesh;

	if (!mesh)
		return;
	mutex_lock(&mesh->channels.lock);
	hlist_del_rcu(&ps->bind_node);
	mutex_unlock(&mesh->channels.lock);
	WRITE_ONCE(ps->mesh, NULL);
	pmesh_mesh_put(mesh);
}

static int pmesh_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;

	lock_sock(sk);
	pmesh_unbind(pmesh_sk(sk));
	sock_orphan(sk);
	sock->sk = NULL;
	release_sock(sk);

	skb_queue_purge(&sk->sk_receive_queue);
	sock_put(sk);
	return 0;
}

/* A sockaddr_pmesh long enough, of our family, naming a channel. */
static bool pmesh_addr_ok(const struct sockaddr_pmesh *spm, int len)
{
	return len >= (int)sizeof(*spm) && spm->spm_family == family &&
	       spm->spm_port;
}

static int pmesh_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	DECLARE_SOCKADDR(struct sockaddr_pmesh *, spm, uaddr);
	struct sock *sk = sock->sk;
	struct pmesh_sock *ps = pmesh_sk(sk);
	struct pmesh_mesh *mesh;
	int err = 0;

	if (!pmesh_addr_ok(spm, len))
		return -EINVAL;

	mesh = pmesh_mesh_get(sock_net(sk), spm->spm_mesh);
	if (!mesh)
		return -ENONET;
	if (spm->spm_node && spm->spm_node != mesh->node_id) {
		pmesh_mesh_put(mesh);
		return -EADDRNOTAVAIL;
	}

	lock_sock(sk);
	if (ps->mesh) {
		/* A socket whose mesh was deleted may bind again, elsewhere. */
		if (!READ_ONCE(ps->mesh->dead) || READ_ONCE(mesh->dead)) {
			err = READ_ONCE(mesh->dead) ? -ENONET : -EINVAL;
			goto out;
		}
		pmesh_unbind(ps);
		WRITE_ONCE(sk->sk_err, 0);
	}
	mutex_lock(&mesh->channels.lock);
	if (READ_ONCE(mesh->dead)) {
		/* Deleted since the lookup: the socket stays unbound. */
		err = -ENONET;
	} else {
		WRITE_ONCE(ps->mesh, mesh);
		WRITE_ONCE(ps->channel, spm->spm_port);
		hlist_add_head_rcu(&ps->bind_node,
				   pmesh_channel_bucket(mesh, ps->channel));
	}
	mutex_unlock(&mesh->channels.lock);
out:
	release_sock(sk);
	if (err)
		pmesh_mesh_put(mesh);
	return err;
}

static int pmesh_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_pmesh *, spm, uaddr);
	struct sock *sk = sock->sk;
	struct pmesh_sock *ps = pmesh_sk(sk);

	memset(spm, 0, sizeof(*spm));
	spm->spm_family = family;
	lock_sock(sk);
	if (peer) {
		if (!ps->peer_mesh) {
			release_sock(sk);
			return -ENOTCONN;
		}
		spm->spm_port = ps->peer_channel;
		spm->spm_mesh = ps->peer_mesh;
	} else if (ps->mesh) {
		spm->spm_port = ps->channel;
		spm->spm_mesh = ps->mesh->id;
		spm->spm_node = ps->mesh->node_id;
	}
	release_sock(sk);
	return sizeof(*spm);
}

/*
 * The largest payload @mesh takes: its max-dgram, and no more than the
 * smallest MTU of its links carries, as frames are never fragmented there.
 * Under RCU.
 */
static u32 pmesh_max_payload(struct pmesh_mesh *mesh)
{
	unsigned int mtu = pmesh_links_mtu(mesh);
	u32 max = READ_ONCE(mesh->max_dgram);

	if (pmesh_keyed(mesh)) {
		/* A sealed frame's length counts its tag, in 16 bits. */
		max = min_t(u32, max, U16_MAX - PMESH_AUTH_TAG_LEN);
		if (mtu != UINT_MAX)
			mtu = mtu > PMESH_AUTH_OVERHEAD ?
			      mtu - PMESH_AUTH_OVERHEAD : 0;
	}
	if (mtu != UINT_MAX)
		max = min(max, mtu > PMESH_HDR_LEN ? mtu - PMESH_HDR_LEN : 0);
	return max;
}

/* The largest payload mesh @id takes, or -ENONET; whether it is keyed. */
static long pmesh_max_dgram(struct net *net, u32 id, bool *keyed)
{
	struct pmesh_mesh *mesh;
	long max = -ENONET;

	rcu_read_lock();
	mesh = pmesh_mesh_lookup_rcu(net, id);
	if (mesh) {
		max = pmesh_max_payload(mesh);
		*keyed = pmesh_keyed(mesh);
	}
	rcu_read_unlock();
	return max;
}

/*
 * connect() sets the default destination of send(): a (mesh, channel) that
 * exists now. AF_UNSPEC forgets it.
 */
static int pmesh_connect(struct socket *sock, struct sockaddr *uaddr, int len,
			 int flags)
{
	DECLARE_SOCKADDR(struct sockaddr_pmesh *, spm, uaddr);
	struct sock *sk = sock->sk;
	struct pmesh_sock *ps = pmesh_sk(sk);
	bool keyed;

	if (len >= (int)sizeof(sa_family_t) && uaddr->sa_family == AF_UNSPEC) {
		lock_sock(sk);
		WRITE_ONCE(ps->peer_mesh, 0);
		release_sock(sk);
		return 0;
	}
	if (!pmesh_addr_ok(spm, len) || spm->spm_node)
		return -EINVAL;
	if (pmesh_max_dgram(sock_net(sk), spm->spm_mesh, &keyed) < 0)
		return -ENONET;

	lock_sock(sk);
	WRITE_ONCE(ps->peer_channel, spm->spm_port);
	WRITE_ONCE(ps->peer_mesh, spm->spm_mesh);
	release_sock(sk);
	return 0;
}

/*
 * The mesh is looked up twice under RCU, before the allocation and copy
 * (which may sleep) and for the flood, rather than held by a reference: no
 * atomic on a shared counter per datagram. A mesh deleted in between gives
 * ENONET.
 */
static int pmesh_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	DECLARE_SOCKADDR(struct sockaddr_pmesh *, to, msg->msg_name);
	struct sock *sk = sock->sk;
	struct pmesh_sock *ps = pmesh_sk(sk);
	struct pmesh_frame f = { .type = PMESH_TYPE_DATA };
	struct pmesh_mesh *mesh;
	struct sk_buff *skb;
	bool keyed = false;
	size_t linear;
	u32 mesh_id;
	long max;
	int err;

	if (msg->msg_flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_CMSG_COMPAT))
		return -EOPNOTSUPP;
	if (to) {
		if (!pmesh_addr_ok(to, msg->msg_namelen) || to->spm_node)
			return -EINVAL;
		mesh_id = to->spm_mesh;
		f.channel = to->spm_port;
	} else {
		mesh_id = READ_ONCE(ps->peer_mesh);
		f.channel = READ_ONCE(ps->peer_channel);
		if (!mesh_id)
			return -EDESTADDRREQ;
	}

	max = pmesh_max_dgram(sock_net(sk), mesh_id, &keyed);
	if (max < 0)
		return max;
	if (len > max)
		return -EMSGSIZE;

	/*
	 * Room for the header and the outer ones in the linear part, with a
	 * small payload; a larger one in pages: no high-order allocation,
	 * and the copies for each neighbour share it. A keyed mesh seals the
	 * payload in place, in softirq, where pages would have to be pulled
	 * into one buffer: it is made linear here, where that may sleep.
	 */
	linear = len <= PMESH_SMALL_PAYLOAD || keyed ? len : 0;
	skb = sock_alloc_send_pskb(sk, PMESH_SEND_HEADROOM + linear +
				   PMESH_SEND_TAILROOM, len - linear, msg->msg_flags & MSG_DONTWAIT,
				   &err, PAGE_ALLOC_COSTLY_ORDER);
	if (!skb)
		return err;
	skb_reserve(skb, PMESH_SEND_HEADROOM);
	skb_put(skb, linear);
	skb->data_len = len - linear;
	skb->len += len - linear;
	err = skb_copy_datagram_from_iter(skb, 0, &msg->msg_iter, len);
	if (err) {
		kfree_skb(skb);
		return err;
	}

	local_bh_disable();
	rcu_read_lock();
	mesh = pmesh_mesh_lookup_rcu(sock_net(sk), mesh_id);
	if (!mesh || READ_ONCE(mesh->dead)) {
		err = -ENONET;
	} else if (len > pmesh_max_payload(mesh)) {
		err = -EMSGSIZE;
	} else {
		f.ttl = READ_ONCE(ps->hoplimit) ?: READ_ONCE(mesh->hoplimit);
		pmesh_send(mesh, skb, &f,
			   READ_ONCE(ps->loop) ? PMESH_SEND_LOOP : 0);
		skb = NULL;
		err = len;
	}
	rcu_read_unlock();
	local_bh_enable();
	kfree_skb(skb);
	return err;
}

static int pmesh_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
			 int flags)
{
	struct sock *sk = sock->sk;
	struct pmesh_skb_cb *cb;
	struct sk_buff *skb;
	size_t copied;
	int err;

	if (flags & ~(MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC | MSG_CMSG_COMPAT |
		      MSG_CMSG_CLOEXEC))
		return -EOPNOTSUPP;

	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;

	copied = skb->len;
	if (copied > len) {
		copied = len;
		msg->msg_flags |= MSG_TRUNC;
	}
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (err)
		goto out;

	cb = PMESH_SKB_CB(skb);
	if (msg->msg_name) {
		DECLARE_SOCKADDR(struct sockaddr_pmesh *, from, msg->msg_name);

		memset(from, 0, sizeof(*from));
		from->spm_family = family;
		from->spm_port = cb->channel;
		from->spm_mesh = cb->mesh;
		from->spm_node = cb->origin;
		msg->msg_namelen = sizeof(*from);
	}
	sock_recv_cmsgs(msg, sk, skb);
	/* Only to callers that gave room for them: no MSG_CTRUNC otherwise. */
	if (msg->msg_controllen) {
		int hops = cb->hops;
		u64 seq = cb->seq;

		put_cmsg(msg, SOL_PMESH, PMESH_HOPS, sizeof(hops), &hops);
		put_cmsg(msg, SOL_PMESH, PMESH_SEQ, sizeof(seq), &seq);
	}
	err = (flags & MSG_TRUNC) ? skb->len : copied;
out:
	skb_free_datagram(sk, skb);
	return err;
}

static int pmesh_setsockopt(struct socket *sock, int level, int optname,
			    sockptr_t optval, unsigned int optlen)
{
	struct pmesh_sock *ps = pmesh_sk(sock->sk);
	int val;

	if (level != SOL_PMESH)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	switch (optname) {
	case PMESH_HOPLIMIT:
		/* -1 restores the mesh's default, like IPV6_UNICAST_HOPS. */
		if (val < -1 || val == 0 || val > 255)
			return -EINVAL;
		WRITE_ONCE(ps->hoplimit, val < 0 ? 0 : val);
		return 0;
	case PMESH_LOOP:
		WRITE_ONCE(ps->loop, !!val);
		return 0;
	}
	return -ENOPROTOOPT;
}

static int pmesh_getsockopt(struct socket *sock, int level, int optname,
			    char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct pmesh_sock *ps = pmesh_sk(sk);
	int val, len;

	if (level != SOL_PMESH)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(int))
		return -EINVAL;

	switch (optname) {
	case PMESH_HOPLIMIT:
		/* The hop limit in force: the socket's, else its mesh's. */
		lock_sock(sk);
		val = ps->hoplimit;
		if (!val)
			val = ps->mesh ? READ_ONCE(ps->mesh->hoplimit) :
					 PMESH_DEFAULT_HOPLIMIT;
		release_sock(sk);
		break;
	case PMESH_LOOP:
		val = READ_ONCE(ps->loop);
		break;
	default:
		return -ENOPROTOOPT;
	}
	len = sizeof(int);
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

static int pmesh_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	int amount;

	switch (cmd) {
	case SIOCINQ:
		/* The size of the next datagram, as for UDP. */
		spin_lock_bh(&sk->sk_receive_queue.lock);
		skb = skb_peek(&sk->sk_receive_queue);
		amount = skb ? skb->len : 0;
		spin_unlock_bh(&sk->sk_receive_queue.lock);
		return put_user(amount, (int __user *)arg);
	case SIOCOUTQ:
		return put_user(sk_wmem_alloc_get(sk), (int __user *)arg);
	}
	return -ENOIOCTLCMD;
}

/* Queue @skb, positioned at its header, to @ps; consumes @skb. */
static void pmesh_sock_queue(struct pmesh_mesh *mesh, struct pmesh_sock *ps,
			     struct sk_buff *skb, unsigned int hdr_len)
{
	if (!skb) {
		atomic_inc(&ps->sk.sk_drops);
		pmesh_count(mesh, PMESH_A_STATS_SOCK_OVERFLOW);
		return;
	}
	__skb_pull(skb, hdr_len);
	if (sock_queue_rcv_skb(&ps->sk, skb) < 0) {
		kfree_skb(skb);
		pmesh_count(mesh, PMESH_A_STATS_SOCK_OVERFLOW);
		return;
	}
	pmesh_count(mesh, PMESH_A_STATS_DELIVERED);
}

/**
 * pmesh_sock_deliver() - give every socket bound to a channel its copy
 * @mesh: the mesh
 * @skb: the datagram, skb->data at its pmesh header, its &struct
 *	pmesh_skb_cb filled
 * @hdr_len: length of the header to skip
 * @consume: the caller is done with @skb: the last socket gets it, not a
 *	clone
 *
 * A socket whose receive buffer is full loses its copy; that is counted in
 * the mesh's sock-overflow and in the socket's drops (SO_RXQ_OVFL).
 *
 * No reference is taken, as for UDP multicast: a socket being released is
 * freed only after an RCU grace period (SOCK_RCU_FREE), and whatever was
 * queued to it meanwhile is purged by pmesh_sock_destruct().
 *
 * Context: BH disabled, under rcu_read_lock().
 * Return: true if @skb was consumed; with @consume, false means no socket
 * is bound to the channel and @skb is still the caller's.
 */
bool pmesh_sock_deliver(struct pmesh_mesh *mesh, struct sk_buff *skb,
			unsigned int hdr_len, bool consume)
{
	u16 channel = PMESH_SKB_CB(skb)->channel;
	struct pmesh_sock *ps, *prev = NULL;

	hlist_for_each_entry_rcu(ps, pmesh_channel_bucket(mesh, channel),
				 bind_node) {
		/*
		 * A socket that rebinds moves to another mesh's table with no
		 * grace period between: a walk may follow it there.
		 */
		if (READ_ONCE(ps->mesh) != mesh ||
		    READ_ONCE(ps->channel) != channel)
			continue;
		if (prev)
			pmesh_sock_queue(mesh, prev, skb_clone(skb, GFP_ATOMIC),
					 hdr_len);
		prev = ps;
	}
	if (!prev)
		return false;
	pmesh_sock_queue(mesh, prev, consume ? skb : skb_clone(skb, GFP_ATOMIC),
			 hdr_len);
	return consume;
}

/**
 * pmesh_sock_wanted() - whether a socket is bound to a channel
 * @mesh: the mesh
 * @channel: the channel
 *
 * For keyed meshes, which decrypt a datagram only for someone.
 *
 * Context: under rcu_read_lock().
 * Return: true if a socket may be bound to @channel of @mesh.
 */
bool pmesh_sock_wanted(struct pmesh_mesh *mesh, u16 channel)
{
	struct pmesh_sock *ps;

	hlist_for_each_entry_rcu(ps, pmesh_channel_bucket(mesh, channel),
				 bind_node)
		if (READ_ONCE(ps->mesh) == mesh &&
		    READ_ONCE(ps->channel) == channel)
			return true;
	return false;
}

/*
 * .family is informational here: the core finds the family through
 * pmesh_family_ops, whose number follows the module parameter, and sockets
 * carry it in sk_family.
 */
static const struct proto_ops pmesh_ops = {
	.family		= PF_PMESH,
	.owner		= THIS_MODULE,
	.release	= pmesh_release,
	.bind		= pmesh_bind,
	.connect	= pmesh_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= pmesh_getname,
	.poll		= datagram_poll,
	.ioctl		= pmesh_ioctl,
	.listen		= sock_no_listen,
	.shutdown	= sock_no_shutdown,
	.setsockopt	= pmesh_setsockopt,
	.getsockopt	= pmesh_getsockopt,
	.sendmsg	= pmesh_sendmsg,
	.recvmsg	= pmesh_recvmsg,
	.mmap		= sock_no_mmap,
};

/*
 * The data path may queue a datagram to a socket between its release and
 * its last reference; such a datagram goes here.
 */
static void pmesh_sock_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
}

static int pmesh_create(struct net *net, struct socket *sock, int protocol,
			int kern)
{
	struct sock *sk;

	if (sock->type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol)
		return -EPROTONOSUPPORT;

	sk = sk_alloc(net, family, GFP_KERNEL, &pmesh_proto, kern);
	if (!sk)
		return -ENOMEM;

	sock->ops = &pmesh_ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	sk->sk_protocol = protocol;
	sk->sk_destruct = pmesh_sock_destruct;
	sock_set_flag(sk, SOCK_RCU_FREE);
	pmesh_sk(sk)->loop = true;
	return 0;
}

static struct net_proto_family pmesh_family_ops __ro_after_init = {
	.create	= pmesh_create,
	.owner	= THIS_MODULE,
};

/**
 * pmesh_sock_mesh_gone() - tell the sockets bound to a mesh that it is gone
 * @mesh: the mesh being deleted
 *
 * Reports ENONET on every bound socket, waking its readers and pollers. The
 * sockets stay bound to the dead mesh until they are closed or bound again;
 * the mesh is marked dead already, so no socket binds to it any more.
 *
 * Context: process context; the number of bound sockets is not bounded, so
 * the walk may reschedule.
 */
void pmesh_sock_mesh_gone(struct pmesh_mesh *mesh)
{
	struct pmesh_sock *ps;
	int bkt;

	mutex_lock(&mesh->channels.lock);
	hash_for_each(mesh->channels.hash, bkt, ps, bind_node) {
		WRITE_ONCE(ps->sk.sk_err, ENONET);
		sk_error_report(&ps->sk);
		cond_resched();
	}
	mutex_unlock(&mesh->channels.lock);
}

int __init pmesh_sock_init(void)
{
	int err;

	if (family <= AF_UNSPEC || family >= NPROTO) {
		pr_err("family=%d is not a socket family number (1..%d)\n",
		       family, NPROTO - 1);
		return -EINVAL;
	}
	pmesh_family_ops.family = family;

	err = proto_register(&pmesh_proto, 1);
	if (err)
		return err;
	err = sock_register(&pmesh_family_ops);
	if (err) {
		pr_err("socket family %d is taken; load with family=N\n",
		       family);
		proto_unregister(&pmesh_proto);
	}
	return err;
}

void pmesh_sock_exit(void)
{
	sock_unregister(family);
	proto_unregister(&pmesh_proto);
}
