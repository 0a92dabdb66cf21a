/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few types the pure core needs, from the kernel or from libc, so that
 * the same sources build into pmesh.ko and into userspace test programs
 * (the way tools/testing/vma builds mm/vma.c).
 */
#ifndef _PMESH_CORE_COMPAT_H
#define _PMESH_CORE_COMPAT_H

#ifdef __KERNEL__
#include <linux/string.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
#endif

#endif /* _PMESH_CORE_COMPAT_H */
