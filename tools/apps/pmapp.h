/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmapp: what the example programs (ticker, chat, workq, game) share.
 *
 * A pmesh application needs little: a socket bound to a channel of a mesh,
 * sending and receiving datagrams with their origin, hops and sequence
 * number, and, for those that react to nodes coming and going, the mesh's
 * membership. The pmapp files give exactly that, with error messages a user
 * can act on, so that each program reads as the example of its kind of
 * application rather than as plumbing. One file a concern:
 *
 *   pmapp_proc     the process: messages, stop signals, clocks, randomness
 *   pmapp_parse    command-line numbers and node ids, printable text
 *   pmapp_sock     the socket: open, send, receive with origin, seq, hops
 *   pmapp_members  the mesh's membership, followed over netlink
 *
 * The conventions they share are in pmapp_proc.h.
 */
#ifndef PMAPP_H
#define PMAPP_H

#include "pmapp_members.h"
#include "pmapp_parse.h"
#include "pmapp_proc.h"
#include "pmapp_sock.h"

#endif /* PMAPP_H */
