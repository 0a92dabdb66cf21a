// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh -b FILE: many commands from one program, as "ip -b" runs them.
 * Each line of FILE ("-" for standard input) is a command line without
 * the word "pmesh": OBJECT COMMAND [ARGS], words split at blanks, a word
 * in double quotes kept whole; blank lines and those that start with "#"
 * are skipped. A line may start with "-n NAME" (or "--netns NAME") to run
 * in that network namespace of "ip netns", and only that line. The first
 * line that fails stops the batch, named on stderr. With "-b -" a command
 * that reads standard input itself ("send" without a text, "key -")
 * reads the rest of the batch: give those a file.
 *
 * Provisioning a hundred namespaces this way costs one program, not two
 * hundred: on a slow machine each start costs a good part of a second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmesh.h"

#define BATCH_MAX_WORDS	64

#define BATCH_BLANKS	" \t\n\r"

/*
 * Split @line into at most BATCH_MAX_WORDS words, in place: a word is
 * blanks apart, or in double quotes, which must close, and be followed by
 * a blank or the end. Return: the words, or -1 after saying why not.
 */
static int batch_split(char *line, char **argv)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		p += strspn(p, BATCH_BLANKS);
		if (!*p)
			return argc;
		if (argc == BATCH_MAX_WORDS)
			return error("more than %d words", BATCH_MAX_WORDS);
		if (*p == '"') {
			argv[argc++] = ++p;
			p = strchr(p, '"');
			if (!p)
				return error("a quote is not closed");
			if (p[1] && !strchr(BATCH_BLANKS, p[1]))
				return error("a quote closes inside a word");
		} else {
			argv[argc++] = p;
			p += strcspn(p, BATCH_BLANKS "\"");
			if (*p == '"')
				return error("a quote opens inside a word");
			if (!*p)
				return argc;
		}
		*p++ = '\0';
	}
}

/* Run one line's words, in its namespace if it names one. */
static int batch_line(int argc, char **argv, int home)
{
	int ret;

	if (argc >= 1 && (!strcmp(argv[0], "-n") ||
			  !strcmp(argv[0], "--netns"))) {
		if (argc < 2)
			return error("%s needs a network namespace name",
				     argv[0]);
		if (netns_enter(argv[1]))
			return -1;
		ret = run_cmd("", pmesh_objects, argc - 2, argv + 2,
			      pmesh_usage);
		if (setns(home, CLONE_NEWNET)) {
			error("cannot return to the first network namespace: %s",
			      strerror(errno));
			exit(1);
		}
		return ret;
	}
	return run_cmd("", pmesh_objects, argc, argv, pmesh_usage);
}

/**
 * batch() - run the commands of a file, one a line
 * @path: the file, or "-" for standard input
 *
 * Return: 0 if every line ran, or -1 after naming the one that failed.
 */
int batch(const char *path)
{
	char *line = NULL, *argv[BATCH_MAX_WORDS + 1];
	unsigned long n = 0;
	size_t size = 0;
	int argc, home, ret = 0;
	FILE *f;

	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return error("cannot open \"%s\": %s", path, strerror(errno));
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		error("cannot open this network namespace: %s", strerror(errno));
		goto out;
	}
	errno = 0;
	while (getline(&line, &size, f) >= 0) {
		n++;
		if (line[strspn(line, BATCH_BLANKS)] == '#')
			continue;
		argc = batch_split(line, argv);
		if (argc > 0) {
			argv[argc] = NULL;
			ret = batch_line(argc, argv, home);
			/* What a command printed comes before the next. */
			fflush(stdout);
		}
		if (argc < 0 || ret) {
			error("line %lu of %s failed", n,
			      strcmp(path, "-") ? path : "standard input");
			ret = -1;
			break;
		}
		errno = 0;
	}
	if (!ret && ferror(f))
		ret = error("cannot read \"%s\": %s", path, strerror(errno));
	close(home);
out:
	free(line);
	if (f != stdin)
		fclose(f);
	return home < 0 ? -1 : ret;
}
