// SPDX-License-Identifier: GPL-2.0
/*
 * The AF_PMESH socket family: create, bind, getsockname and release.
 *
 * A bound socket holds a reference to its mesh and sits in the mesh's table
 * of bound sockets, keyed by channel, where the data path finds it under RCU.
 * Sockets are freed after an RCU grace period (SOCK_RCU_FREE) for that
 * reason. A user socket holds its network namespace too (sk_alloc() with
 * kern 0), so a namespace never goes away under it; a deleted mesh stays in
 * memory, dead, until its last socket is closed or bound elsewhere.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <linux/pmesh.h>
#include <net/sock.h>

#include "mesh.h"
#include "socket.h"

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
	mutex_lock(&mesh->sock_lock);
	hash_del_rcu(&ps->bind_node);
	mutex_unlock(&mesh->sock_lock);
	ps->mesh = NULL;
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

static int pmesh_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	DECLARE_SOCKADDR(struct sockaddr_pmesh *, spm, uaddr);
	struct sock *sk = sock->sk;
	struct pmesh_sock *ps = pmesh_sk(sk);
	struct pmesh_mesh *mesh;
	int err = 0;

	if (len < (int)sizeof(*spm) || spm->spm_family != family)
		return -EINVAL;
	if (!spm->spm_port)
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
	mutex_lock(&mesh->sock_lock);
	if (mesh->dead) {
		/* Deleted since the lookup: the socket stays unbound. */
		err = -ENONET;
	} else {
		ps->mesh = mesh;
		ps->channel = spm->spm_port;
		hash_add_rcu(mesh->channels, &ps->bind_node, ps->channel);
	}
	mutex_unlock(&mesh->sock_lock);
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

	if (peer)
		return -ENOTCONN;

	memset(spm, 0, sizeof(*spm));
	spm->spm_family = family;
	lock_sock(sk);
	if (ps->mesh) {
		spm->spm_port = ps->channel;
		spm->spm_mesh = ps->mesh->id;
		spm->spm_node = ps->mesh->node_id;
	}
	release_sock(sk);
	return sizeof(*spm);
}

static int pmesh_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	return -ENOIOCTLCMD;
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
	.connect	= sock_no_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= pmesh_getname,
	.poll		= datagram_poll,
	.ioctl		= pmesh_ioctl,
	.listen		= sock_no_listen,
	.shutdown	= sock_no_shutdown,
	.sendmsg	= sock_no_sendmsg,
	.recvmsg	= sock_no_recvmsg,
	.mmap		= sock_no_mmap,
};

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
	sock_set_flag(sk, SOCK_RCU_FREE);
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
 * Marks the mesh dead, so that no socket binds to it any more, and reports
 * ENONET on every bound socket, waking its readers and pollers. The sockets
 * stay bound to the dead mesh until they are closed or bound again.
 *
 * Context: process context; the number of bound sockets is not bounded, so
 * the walk may reschedule.
 */
void pmesh_sock_mesh_gone(struct pmesh_mesh *mesh)
{
	struct pmesh_sock *ps;
	int bkt;

	mutex_lock(&mesh->sock_lock);
	WRITE_ONCE(mesh->dead, true);
	hash_for_each(mesh->channels, bkt, ps, bind_node) {
		WRITE_ONCE(ps->sk.sk_err, ENONET);
		sk_error_report(&ps->sk);
		cond_resched();
	}
	mutex_unlock(&mesh->sock_lock);
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
