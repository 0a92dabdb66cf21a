/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Big-endian fields read and written byte by byte, so that no alignment of
 * the packet is assumed. Private to the core's codecs.
 */
#ifndef _PMESH_CORE_BYTES_H
#define _PMESH_CORE_BYTES_H

#include "compat.h"

static inline u16 get16(const u8 *p)
{
	return (u16)p[0] << 8 | p[1];
}

static inline u32 get32(const u8 *p)
{
	return (u32)get16(p) << 16 | get16(p + 2);
}

static inline u64 get64(const u8 *p)
{
	return (u64)get32(p) << 32 | get32(p + 4);
}

static inline void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void put32(u8 *p, u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static inline void put64(u8 *p, u64 v)
{
	put32(p, v >> 32);
	put32(p + 4, v);
}

#endif /* _PMESH_CORE_BYTES_H */
