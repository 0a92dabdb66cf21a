/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to the "pmesh" generic netlink family, with the kernel's extended
 * acknowledgements (extack) decoded so that errors say what went wrong.
 */
#ifndef PMESH_NL_H
#define PMESH_NL_H

#include <stdint.h>
#include <netlink/genl/genl.h>

struct pmesh_nl {
	struct nl_sock *sk;
	int family;
};

/**
 * struct pmesh_nl_err - what the kernel said about a failed request
 * @error: negative errno, 0 on success
 * @msg: the extack message, empty if none
 * @bad_attr: type of the top-level attribute the kernel pointed at, or -1
 * @miss_attr: type of a missing attribute the kernel asked for, or -1
 */
struct pmesh_nl_err {
	int error;
	char msg[256];
	int bad_attr;
	int miss_attr;
};

/* Called for each reply message; return 0 to go on, negative errno to stop. */
typedef int (*pmesh_nl_cb)(struct nlmsghdr *nlh, void *arg);

/* Returns 0, -ENOENT if the family is missing, or another negative errno. */
int pmesh_nl_open(struct pmesh_nl *nl);
void pmesh_nl_close(struct pmesh_nl *nl);
struct nl_msg *pmesh_nl_msg(struct pmesh_nl *nl, uint8_t cmd, int flags);
int pmesh_nl_run(struct pmesh_nl *nl, struct nl_msg *msg, pmesh_nl_cb cb,
		 void *arg, struct pmesh_nl_err *err);
uint64_t pmesh_nl_get_uint(const struct nlattr *attr);

#endif
