// SPDX-License-Identifier: GPL-2.0
/*
 * pmapp_proc: an example program as a process: its name in messages,
 * stopping on a signal, clocks and random numbers. See pmapp_proc.h.
 */
#define _GNU_SOURCE	/* ppoll() */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "pmapp_proc.h"

const char *pmapp_prog = "pmapp";

void pmapp_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	if (argv0)
		pmapp_prog = slash ? slash + 1 : argv0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
}

static void vmessage(const char *kind, const char *fmt, va_list ap)
{
	/* One write, so that lines of programs sharing a terminal stay whole. */
	char line[1024];
	size_t len;
	int n;

	/* The prefix, the message, cut to leave room for the newline. */
	n = snprintf(line, sizeof(line) - 1, "%s: %s", pmapp_prog, kind);
	if (n < 0)
		n = 0;
	len = strlen(line);
	vsnprintf(line + len, sizeof(line) - 1 - len, fmt, ap);
	len = strlen(line);
	line[len] = '\n';
	line[len + 1] = 0;
	fflush(stdout);
	fputs(line, stderr);
}

int pmapp_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	return -1;
}

void pmapp_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

volatile sig_atomic_t pmapp_stop;
static sigset_t pmapp_unblocked;	/* the mask, the stopping signals let in */

static void on_stop_signal(int sig)
{
	pmapp_stop = 1;
}

void pmapp_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t block;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &pmapp_unblocked);
}

int pmapp_wait(struct pollfd *p, nfds_t n, int ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	return ppoll(p, n, ms < 0 ? NULL : &ts, &pmapp_unblocked);
}

uint64_t pmapp_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

uint64_t pmapp_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t pmapp_random64(void)
{
	uint64_t v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = pmapp_wall_ns() ^ ((uint64_t)getpid() << 32);
	return v;
}

uint64_t pmapp_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}
