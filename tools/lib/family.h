/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket family number in use: AF_PMESH, unless the module was loaded
 * with another in its "family" parameter.
 */
#ifndef PMESH_FAMILY_H
#define PMESH_FAMILY_H

#include <stdio.h>

#include <linux/pmesh.h>

static inline int pmesh_family(void)
{
	FILE *f = fopen("/sys/module/pmesh/parameters/family", "r");
	int fam = AF_PMESH;

	if (f) {
		if (fscanf(f, "%d", &fam) != 1)
			fam = AF_PMESH;
		fclose(f);
	}
	return fam;
}

#endif
