/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * pmesh: a serverless peer-channel transport.
 *
 * The socket API: socket(AF_PMESH, SOCK_DGRAM, 0), bind() to a channel of a
 * mesh, and every datagram sent to that channel reaches every socket bound to
 * it on every node of the mesh, once.
 */
#ifndef _UAPI_LINUX_PMESH_H
#define _UAPI_LINUX_PMESH_H

#include <linux/types.h>
#include <linux/socket.h>

/*
 * The socket family number.
 *
 * sock_register() accepts only numbers below NPROTO (AF_MAX, 46 in 6.12),
 * and every number there is named in <linux/socket.h>. AF_ASH (18) is one
 * that no kernel has ever implemented: no 6.12 module registers it and no
 * out-of-tree project is known to claim it, unlike AF_DECnet, AF_ECONET and
 * AF_IRDA (removed, with forks still around) or AF_WANPIPE (Sangoma's
 * out-of-tree drivers). pmesh therefore borrows slot 18. Where it is taken
 * anyway, load the module with "family=N" and read the number in use from
 * /sys/module/pmesh/parameters/family.
 */
#define AF_PMESH	18
#define PF_PMESH	AF_PMESH

/**
 * struct sockaddr_pmesh - address of a pmesh socket
 * @spm_family: AF_PMESH (or the number the module was loaded with)
 * @spm_port: channel inside the mesh, host byte order; 0 is not a channel
 * @spm_mesh: mesh id, host byte order
 * @spm_node: on receive, the origin node of the datagram; on bind, 0 or
 *	this node's id; on send, 0 (flood to the whole mesh)
 */
struct sockaddr_pmesh {
	__kernel_sa_family_t	spm_family;
	__u16			spm_port;
	__u32			spm_mesh;
	__u64			spm_node;
};

/* Socket option level. */
#define SOL_PMESH	290

/* Socket options at SOL_PMESH. */
#define PMESH_HOPLIMIT	1	/* int: hops a sent datagram may travel */
#define PMESH_LOOP	2	/* int: deliver own datagrams locally (default 1) */

/* Control messages at SOL_PMESH, given by recvmsg(). */
#define PMESH_HOPS	3	/* int: hops the datagram travelled */
#define PMESH_SEQ	4	/* __u64: the origin's sequence number */

/*
 * The ethertype of pmesh frames on an Ethernet link: IEEE Std 802's Local
 * Experimental Ethertype 1, which no standard protocol uses. Frames are
 * sent to the broadcast address; the mesh id in the frame tells meshes on
 * one segment apart.
 */
#define PMESH_ETHERTYPE	0x88B5

#endif /* _UAPI_LINUX_PMESH_H */
