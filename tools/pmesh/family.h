/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moved to tools/lib/family.h; this stays until tools/apps, which finds it
 * here, includes it from tools/lib.
 */
#include "../lib/family.h"
