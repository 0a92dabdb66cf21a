/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpmesh's netlink client: the one userspace client of the "pmesh"
 * generic netlink family, on libnl-genl-3. The pmesh tool, the example
 * programs, the benchmark controller and the C selftests link it
 * (tools/lib/libpmesh.a; -I tools/lib -I uapi; libnl-genl-3.0 flags).
 *
 * A struct pmnl is one netlink socket. One opened by pmnl_open() carries
 * requests, one at a time: build with pmnl_msg() and nla_put_*(), then
 * pmnl_run() sends it and hands each reply (one, or every message of a
 * dump) to a callback; pmnl_request() does both for the common request
 * that names one mesh. Failures come back as a negative errno and, in a
 * struct pmnl_err, what the kernel said (its extack): pmnl_err_format()
 * words it for a user.
 *
 * Events come on a socket of their own, opened by pmnl_events_open(), so
 * that an event never lands in the middle of a reply: poll its
 * pmnl_events_fd() and call pmnl_events_process(), or wait with
 * pmnl_events_wait().
 *
 * The names of attributes, statistics, enums and commands are generated
 * from the YNL spec into pmnl_names.h, included here.
 *
 * Every function returns 0 or a negative errno unless it says otherwise,
 * and prints nothing: the caller words the error.
 */
#ifndef PMNL_H
#define PMNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netlink/genl/genl.h>

#include <linux/pmesh_netlink.h>

#include "pmnl_names.h"

/**
 * struct pmnl - a netlink socket talking to the "pmesh" family
 * @sk: the libnl socket
 * @family: the family's id, which is also the type of its messages
 */
struct pmnl {
	struct nl_sock *sk;
	int family;
};

/**
 * struct pmnl_err - what the kernel said about a failed request
 * @error: negative errno, 0 on success
 * @msg: the extack message, empty if none
 * @bad_attr: type of the top-level attribute of the request the kernel
 *	pointed at (NLMSGERR_ATTR_OFFS), or -1
 * @miss_attr: type of a missing attribute the kernel asked for
 *	(NLMSGERR_ATTR_MISS_TYPE), or -1
 */
struct pmnl_err {
	int error;
	char msg[256];
	int bad_attr;
	int miss_attr;
};

/**
 * typedef pmnl_cb - called for each reply or event message
 * @nlh: the message; pmnl_parse() takes its attributes
 * @arg: the caller's argument
 *
 * Return: 0 to go on; anything else stops: pmnl_run() returns a negative
 * value as its result, pmnl_events_process() returns any nonzero value.
 */
typedef int (*pmnl_cb)(struct nlmsghdr *nlh, void *arg);

/**
 * pmnl_open() - open a request socket and look the family up
 * @nl: filled in; pmnl_close() it
 *
 * The socket asks for extended and capped acks, so errors carry the
 * kernel's message and the attribute it points at.
 *
 * Return: 0; -ENOENT if there is no "pmesh" family (the module is not
 * loaded); -ENOMEM or -ENOTCONN.
 */
int pmnl_open(struct pmnl *nl);

/**
 * pmnl_close() - close a socket of pmnl_open() or pmnl_events_open()
 * @nl: the socket; NULL @nl->sk is allowed (closing twice is harmless)
 */
void pmnl_close(struct pmnl *nl);

/**
 * pmnl_open_error() - the words for an error of pmnl_open() or
 * pmnl_events_open()
 * @err: the negative errno it returned
 *
 * Return: "the pmesh module is not loaded (...)" for -ENOENT, else
 * strerror().
 */
const char *pmnl_open_error(int err);

/**
 * pmnl_msg() - start a request
 * @nl: the request socket
 * @cmd: PMESH_CMD_*
 * @flags: 0 for a do request, NLM_F_DUMP for a dump
 *
 * Add attributes with libnl's nla_put_*(), then pmnl_run() it.
 *
 * Return: the message, or NULL without memory.
 */
struct nl_msg *pmnl_msg(struct pmnl *nl, uint8_t cmd, int flags);

/**
 * pmnl_run() - send a request and take its replies until the ack
 * @nl: the request socket
 * @msg: the request, from pmnl_msg(); freed here
 * @cb: called for every reply message, may be NULL
 * @arg: passed to @cb
 * @err: filled with what the kernel said; may be NULL
 *
 * A dump that the kernel ended in error (a filter naming a mesh that does
 * not exist, say) returns that error with its extack, like a do request.
 *
 * Return: 0, the kernel's negative errno, or the first nonzero return of
 * @cb (the remaining replies are read but not passed on).
 */
int pmnl_run(struct pmnl *nl, struct nl_msg *msg, pmnl_cb cb, void *arg,
	     struct pmnl_err *err);

/**
 * pmnl_request() - pmnl_msg() and pmnl_run() of a request naming one mesh
 * @nl: the request socket
 * @cmd: PMESH_CMD_*
 * @flags: 0 or NLM_F_DUMP
 * @id_attr: the attribute that carries @mesh (PMESH_A_MESH_ID,
 *	PMESH_A_NEIGH_MESH_ID...), or 0 for none (a dump of every mesh)
 * @mesh: the mesh id
 * @cb: as for pmnl_run()
 * @arg: passed to @cb
 * @err: as for pmnl_run(); may be NULL
 *
 * Return: as pmnl_run().
 */
int pmnl_request(struct pmnl *nl, uint8_t cmd, int flags, int id_attr,
		 uint32_t mesh, pmnl_cb cb, void *arg, struct pmnl_err *err);

/**
 * pmnl_err_format() - a failed request's error in words, naming the
 * attribute
 * @err: what pmnl_run() filled in
 * @names: the request's attribute names, indexed by type (the
 *	pmnl_*_attr_names of its attribute set, or the caller's own words)
 * @n_names: entries in @names
 * @buf: where to write
 * @len: its size
 *
 * Writes "MSG (attribute "NAME")" when the kernel pointed at an attribute,
 * "MSG (attribute "NAME" is missing)" when it asked for one, else "MSG".
 * MSG is the extack message, or strerror() of the errno without one.
 *
 * Return: @buf.
 */
char *pmnl_err_format(const struct pmnl_err *err, const char *const *names,
		      int n_names, char *buf, size_t len);

/**
 * pmnl_parse() - the top-level attributes of a pmesh message
 * @nlh: a reply or event
 * @tb: filled with @max + 1 attribute pointers, NULL where absent
 * @max: the attribute set's PMESH_A_*_MAX
 *
 * Return: 0, or -EBADMSG if the message is malformed.
 */
int pmnl_parse(struct nlmsghdr *nlh, struct nlattr **tb, int max);

/**
 * pmnl_cmd() - the command of a pmesh message (PMESH_CMD_*)
 * @nlh: a reply or event
 */
uint8_t pmnl_cmd(const struct nlmsghdr *nlh);

/**
 * pmnl_get_uint() - the value of an unsigned attribute of any width
 * @attr: a u8, u16, u32, u64 or uint attribute
 */
uint64_t pmnl_get_uint(const struct nlattr *attr);

/**
 * pmnl_name() - an entry of a names table, bounds-checked
 * @table: one of the tables of pmnl_names.h, or any array of names
 * @n: entries in @table
 * @i: the index: an attribute type, enum value or command
 *
 * Return: the name, or NULL when @i is outside @table or has no name.
 * PMNL_NAME(table, i) passes ARRAY_SIZE(table) for @n.
 */
const char *pmnl_name(const char *const *table, size_t n, long i);
#define PMNL_NAME(table, i) \
	pmnl_name(table, sizeof(table) / sizeof((table)[0]), (i))

/**
 * pmnl_json_key() - a name as a JSON key: "hop-expired" as "hop_expired"
 * @name: a name of a table of pmnl_names.h
 * @buf: where to write
 * @len: its size
 *
 * Return: @buf.
 */
char *pmnl_json_key(const char *name, char *buf, size_t len);

/**
 * pmnl_events_open() - open a socket subscribed to the "events" group
 * @ev: filled in; pmnl_close() it
 *
 * The socket is non-blocking and carries no requests.
 *
 * Return: as pmnl_open(), or -EIO if joining the group failed.
 */
int pmnl_events_open(struct pmnl *ev);

/**
 * pmnl_events_fd() - the descriptor to poll for events
 * @ev: a socket of pmnl_events_open()
 */
int pmnl_events_fd(const struct pmnl *ev);

/**
 * pmnl_events_wait() - wait until an event can be read
 * @ev: a socket of pmnl_events_open()
 * @timeout_ms: how long at most; -1 for ever
 *
 * Return: 1 if an event waits, 0 after @timeout_ms, or a negative errno
 * (-EINTR when a signal came).
 */
int pmnl_events_wait(struct pmnl *ev, int timeout_ms);

/**
 * pmnl_events_process() - read the events queued now, without blocking
 * @ev: a socket of pmnl_events_open()
 * @cb: called with each event of the family (pmnl_cmd() says which)
 * @arg: passed to @cb
 *
 * Stops at the first nonzero return of @cb, leaving the events after that
 * one queued (every event is a datagram of its own).
 *
 * Return: 0 once nothing is queued; -ENOBUFS if the kernel dropped events
 * because the socket's buffer was full (the events read before and after
 * were passed on; the caller should read the state again), whatever @cb
 * returned; else @cb's nonzero return; or another negative errno.
 */
int pmnl_events_process(struct pmnl *ev, pmnl_cb cb, void *arg);

/*
 * Two rtnetlink requests, for the benchmark controller (route.c): each on a
 * socket of its own in the caller's namespace, the kernel's errno returned.
 */

/**
 * pmnl_route_set_up() - set a device up or down, like "ip link set"
 * @ifname: the device
 * @up: up, or down
 *
 * Return: 0, -ENODEV if there is no such device, or the kernel's errno.
 */
int pmnl_route_set_up(const char *ifname, bool up);

/**
 * pmnl_route_addr4_add() - add an IPv4 address, like "ip addr add"
 * @ifname: the device
 * @cidr: "A.B.C.D/LEN"
 *
 * Return: 0, -ENODEV, -EINVAL if @cidr is not one, or the kernel's errno
 * (-EEXIST if the address is there).
 */
int pmnl_route_addr4_add(const char *ifname, const char *cidr);

#endif
