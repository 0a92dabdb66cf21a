/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few types the pure core needs, from the kernel or from libc, so that
 * the same sources build into pmesh.ko and into userspace test programs
 * (the way tools/testing/vma builds mm/vma.c).
 */
#ifndef _PMESH_CORE_COMPAT_H
#define _PMESH_CORE_COMPAT_H

#ifdef __KERNEL__
#include <linux/limits.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>	/* the uapi's __u8 ... __u64 */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
#define U8_MAX	255
#endif

#endif /* _PMESH_CORE_COMPAT_H */
