/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmapp_proc: an example program as a process: its name in the messages it
 * prints, stopping on a signal, its clocks and its random numbers.
 *
 * Conventions of every pmapp file:
 * - Every function that can fail prints one line to stderr, "PROG: what
 *   went wrong", and returns -1 (or NULL). Callers exit with status 1.
 *   pmapp_init() sets PROG.
 * - Node ids are printed as 16 hex digits (PMAPP_NODE_FMT), as pmesh does.
 * - Nothing keeps global state but the program name, the stop flag and the
 *   warning budget; the membership follower is an object.
 */
#ifndef PMAPP_PROC_H
#define PMAPP_PROC_H

#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>

#define PMAPP_NODE_FMT	"%016" PRIx64

/* Program name, for messages; set by pmapp_init(). */
extern const char *pmapp_prog;

/**
 * pmapp_init() - start a program: its name for messages (the basename of
 * @argv0), stdout line-buffered so that output reaches a pipe or a file
 * line by line, and SIGPIPE ignored.
 */
void pmapp_init(const char *argv0);

/* "PROG: MESSAGE" on stderr. Returns -1. */
int pmapp_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROG: warning: MESSAGE" on stderr. */
void pmapp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Stopping, for programs that wait in ppoll(): pmapp_catch_signals() makes
 * SIGINT, SIGTERM and SIGHUP (a closed terminal) set pmapp_stop, and keeps
 * them blocked but while pmapp_wait() waits, so that one cannot come
 * between a look at pmapp_stop and the wait and be missed until the next
 * datagram. pmapp_wait() is poll() for @ms milliseconds (-1: no limit).
 */
extern volatile sig_atomic_t pmapp_stop;
void pmapp_catch_signals(void);
int pmapp_wait(struct pollfd *p, nfds_t n, int ms);

/* Wall-clock time (CLOCK_REALTIME) in ns: what timestamps on the wire use. */
uint64_t pmapp_wall_ns(void);

/* Monotonic time in ms: for deadlines and intervals. */
uint64_t pmapp_mono_ms(void);

/* 64 random bits, for ids that tell runs and requests apart. */
uint64_t pmapp_random64(void);

/* splitmix64's finalizer: a 64-bit mix, for hashes and generators. */
uint64_t pmapp_mix64(uint64_t x);

#endif /* PMAPP_PROC_H */
