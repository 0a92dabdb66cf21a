// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh: a serverless peer-channel transport for Linux.
 *
 * Module entry and exit. The neighbours' cache (neigh.c) and the meshes
 * (mesh.c) exist first, then the Ethernet bearer's packet handler and
 * device notifier (link.c), then the netlink family that configures them
 * (netlink.c), and the socket family (socket.c) comes last: once it is
 * registered, anyone may hold a socket, so nothing after it may fail. Exit
 * undoes it in the reverse order, but for the device notifier, which goes
 * after the meshes (see pmesh_exit()).
 */
#include <linux/module.h>

#include "datapath.h"
#include "link.h"
#include "mesh.h"
#include "neigh.h"
#include "netlink.h"
#include "socket.h"

static int __init pmesh_init(void)
{
	int err;

	err = pmesh_send_init();
	if (err)
		return err;
	err = pmesh_neigh_init();
	if (err)
		goto err_send;
	err = pmesh_mesh_init();
	if (err)
		goto err_neigh;
	err = pmesh_link_init();
	if (err)
		goto err_mesh;
	err = pmesh_nl_init();
	if (err)
		goto err_link;
	err = pmesh_sock_init();
	if (err)
		goto err_nl;
	return 0;

err_nl:
	pmesh_nl_exit();
err_link:
	pmesh_link_rx_exit();
	pmesh_link_exit();
err_mesh:
	pmesh_mesh_exit();
err_neigh:
	pmesh_neigh_exit();
err_send:
	pmesh_send_exit();
	return err;
}

static void __exit pmesh_exit(void)
{
	pmesh_sock_exit();
	pmesh_nl_exit();
	pmesh_link_rx_exit();
	/*
	 * The meshes say goodbye and go while the notifier still follows the
	 * devices: a device unregistered meanwhile drops its link, so that its
	 * namespace's dismantling, which holds the pernet lock the unload
	 * waits for, does not wait forever for the link's reference.
	 */
	pmesh_mesh_exit();
	pmesh_link_exit();
	pmesh_neigh_exit();
	pmesh_send_exit();
}

module_init(pmesh_init);
module_exit(pmesh_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pmesh: serverless peer-channel transport");
MODULE_AUTHOR("The pmesh authors");
