/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sealing and opening the frames of a keyed mesh: the only file that
 * touches a cipher. The layout is core/auth.h's; the construction is in
 * Documentation/protocol.md ("Keyed meshes").
 */
#ifndef _PMESH_SEAL_H
#define _PMESH_SEAL_H

#include <linux/skbuff.h>

#include "core/auth.h"

struct pmesh_key;

int pmesh_seal(const struct pmesh_key *key, struct sk_buff *skb,
	       const struct pmesh_frame *f, u64 salt);
void pmesh_seal_hop(const struct pmesh_key *key, struct sk_buff *skb,
		    const struct pmesh_frame *f);
bool pmesh_seal_hop_ok(const struct pmesh_key *key, const struct sk_buff *skb,
		       const struct pmesh_frame *f);
bool pmesh_seal_verify(const struct pmesh_key *key, const struct sk_buff *skb,
		       const struct pmesh_frame *f, u64 salt);
int pmesh_seal_open(const struct pmesh_key *key, struct sk_buff *skb,
		    const struct pmesh_frame *f, u64 salt);
bool pmesh_seal_open_small(const struct pmesh_key *key,
			   const struct sk_buff *skb,
			   const struct pmesh_frame *f, u64 salt, u8 *out,
			   size_t size);

#endif /* _PMESH_SEAL_H */
