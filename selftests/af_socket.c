// SPDX-License-Identifier: GPL-2.0
/*
 * af_socket - whether a socket of a family can be made, without starting
 * Python (two seconds in the test guest, far more on the debug kernel).
 *
 *   af_socket FAMILY             prints 0 if socket(FAMILY, SOCK_DGRAM, 0)
 *                                works, else the errno's name; exits 0
 *   af_socket FAMILY CMD ARG...  runs CMD while such a socket is open, and
 *                                exits with its status (2 if the socket
 *                                cannot be made, or CMD not run)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	const char *name;
	char *end;
	long fam;
	int fd, st;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: af_socket FAMILY [CMD ARG...]\n");
		return 2;
	}
	errno = 0;
	fam = strtol(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || fam < 0 || fam > 255) {
		fprintf(stderr, "af_socket: \"%s\" is not a family number\n",
			argv[1]);
		return 2;
	}
	fd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (argc == 2) {
		name = fd < 0 ? strerrorname_np(errno) : "0";
		printf("%s\n", name ? name : "unknown errno");
		return 0;
	}
	if (fd < 0) {
		fprintf(stderr, "af_socket: socket(%ld): %s\n", fam,
			strerror(errno));
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("af_socket: fork");
		return 2;
	}
	if (!pid) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "af_socket: %s: %s\n", argv[2], strerror(errno));
		_exit(2);
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("af_socket: waitpid");
		return 2;
	}
	close(fd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}
