// SPDX-License-Identifier: GPL-2.0
/*
 * workq: a compute cluster over pmesh, with no server.
 *
 *   workq run MESH CHANNEL [quiet] [faulty]
 *   workq submit MESH CHANNEL [k N] [cost N] [wait SEC] [quiet] [TASK...]
 *   workq calc COST INPUT
 *
 * A worker ("run") runs on each node of the mesh that lends its CPU, one
 * per node. "submit", on any node, with a worker or not, floods tasks to
 * the channel, so every worker learns of every task. No one hands tasks
 * out: each worker decides by itself, from what it knows, which tasks are
 * its own, by a rule that gives every worker the same answer. The worker a
 * task falls to runs it and floods the result; a result marks the task
 * done everywhere. When a worker's node leaves the mesh, the kernel's
 * membership view says so on every other node (at once if its namespace is
 * deleted or its mesh removed, which says goodbye; after the timeout it
 * announced if it goes silent), the rule no longer counts it, and its
 * unfinished tasks fall to others. With "k N" a task is run by N workers
 * and the submitter compares their results.
 *
 * The claiming rule: rendezvous hashing (Thaler and Ravishankar, "Using
 * name-based mappings to increase hit rates", IEEE/ACM ToN, 1998). Each
 * (task, node) pair has a score, a 64-bit hash of the task's job and id and
 * the node id. The candidates of a task are the workers (nodes that said
 * they run a worker and are members of the mesh now) that have not
 * reported a result for it, in order of score, highest first. If the task
 * wants K results and R distinct workers have reported one, the first K - R
 * candidates are named. A worker runs a task while the rule names it, one
 * task at a time, oldest first, and drops it as soon as the rule stops
 * naming it. So:
 * - workers that know the same workers and results name the same nodes;
 * - a worker leaving changes only the tasks it was named for: the next
 *   candidate takes each one it had not reported; what it reported stands;
 * - a worker arriving takes only the tasks it now ranks among the first
 *   K - R candidates for, and the worker it pushes out drops each;
 * - R only grows and a worker that reported is no longer a candidate, so a
 *   worker runs a task at most once, and a complete task never again.
 *
 * Exactly once: a task is complete when K distinct workers have reported a
 * result for it. A result from a further worker is a duplicate. One can
 * only happen while views differ (for the moment a join or a result takes
 * to reach everyone, and only if both runs end within it; or while a
 * worker cut off from the others is taken for gone but still runs); it is
 * reported, never hidden. A worker that leaves before reporting leaves no
 * result: the worker that takes over reports instead, so the task still
 * ends with K results. A result sent before a goodbye travels the same
 * links ahead of it, and workers read the membership events before the
 * socket, so such a result is not taken for missing. The K values are
 * compared: "inconsistent" if they differ.
 *
 * Who is a worker is said on the channel (HELLO, WORKER, BYE); who is in
 * the mesh comes from the membership view, which notices a node that is
 * gone without a word. A worker that starts late, or missed tasks, learns
 * them: every worker answers a HELLO by flooding again each task it knows
 * that is not complete, with its results; a "submit ... wait" does the same
 * for its own tasks, so tasks given before any worker ran are not lost.
 * (At most once a second: HELLOs that come sooner share one answer.)
 *
 * What the rule cannot see: a worker process that dies without a word
 * (SIGKILL, a crash) while its node stays in the mesh is still counted, so
 * its tasks wait for it; a worker started again on that node takes them
 * up, being named for them still. A node that leaves is what fails over.
 *
 * Wire format: one message per datagram, ASCII, fields separated by one
 * space; INSTANCE, JOB, NODE and VALUE are 16 hex digits, numbers decimal.
 * The sender is the datagram's origin node.
 *
 *   HELLO INSTANCE
 *	a worker starts on the sender's node: INSTANCE is random per run.
 *	Workers answer with WORKER and the tasks that are not complete.
 *   WORKER INSTANCE
 *	a worker runs on the sender's node: the answer to HELLO, and sent to
 *	a node that joins the mesh (it may have been apart and lost us).
 *   BYE INSTANCE
 *	the worker of the sender's node stops.
 *   TASK JOB ID K COST INPUT
 *	task ID (1, 2, ...) of job JOB (random per submit): run it K times
 *	(1..8); its work is COST rounds over INPUT, the rest of the datagram
 *	(1 to 200 printable characters).
 *   RESULT JOB ID NODE VALUE
 *	worker NODE ran task ID of job JOB and got VALUE. NODE is named, not
 *	taken from the origin, so that results can be flooded again by others.
 *
 * The work: VALUE is COST rounds of a 64-bit mix (splitmix64's finalizer)
 * over the FNV-1a hash of INPUT. It is deterministic, so every run of a
 * task gives the same value, and "workq calc" computes it by hand. A
 * worker computes in slices and looks at the mesh between them, so it
 * drops a task at once when the rule stops naming it.
 *
 * Anything else on the channel is reported as a warning and skipped. A
 * second worker on a node is refused (the first answers its HELLO, and it
 * sees a WORKER from its own node). "faulty" makes a worker report wrong
 * values: for tests, to show K > 1 catching a bad node.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "pmapp.h"

#define INPUT_MAX	200	/* bytes of a task's input */
#define K_MAX		8	/* runs of one task */
#define COST_DEFAULT	1000000
#define COST_MAX	100000000000ULL
/* Results kept per task; any beyond are counted as duplicates only. */
#define RESULTS_MAX	(2 * K_MAX)
/*
 * Tasks a node keeps: complete ones are forgotten to make room, then
 * results whose task never came, oldest first.
 */
#define TASKS_MAX	4096
#define WORKERS_MAX	256
/* Rounds of work between looks at the mesh: about a millisecond. */
#define SLICE_ROUNDS	250000
/*
 * A submit that waits stays this long after the last task completes, to
 * hear duplicates: two runs that ended together report together.
 */
#define SETTLE_MS	1000
/*
 * Datagrams sent in a burst before a pause, so that busy workers' receive
 * buffers keep up with a long list of tasks.
 */
#define BURST		64
#define BURST_PAUSE_MS	10
/*
 * Tasks are flooded again for a HELLO at most this often: a HELLO that
 * comes sooner is answered when the time is up, so that a burst of them
 * (workers starting together, or a node sending them on purpose) costs
 * one resend, not one each.
 */
#define RESEND_MS	1000

struct result {
	uint64_t node, value;
};

struct task {
	uint64_t job;
	uint32_t id;
	uint64_t arrival;	/* order of arrival: oldest runs first */
	bool known;		/* its TASK came: k, cost and input are set */
	unsigned int k;
	uint64_t cost;
	char input[INPUT_MAX + 1];
	struct result res[RESULTS_MAX];
	unsigned int nres;	/* results kept: distinct nodes */
	unsigned int more;	/* results beyond RESULTS_MAX */
};

struct workq {
	uint32_t mesh;
	uint16_t channel;
	int fd;
	uint64_t self, instance;
	struct pmapp_members *members;	/* workers only */
	bool worker, quiet, faulty;
	uint64_t job;			/* submit: its own job */

	struct task *tasks;
	size_t ntasks;			/* slots in use or used */
	uint64_t arrivals;
	bool full_warned;
	uint64_t resent_at, resend_at;	/* tasks flooded again; due (0: no) */

	uint64_t workers[WORKERS_MAX];	/* nodes said to run a worker, sorted */
	size_t nworkers;

	/* The task being run: how far, and the value so far. */
	struct task *cur;
	uint64_t cur_done, cur_value, cur_start;

	unsigned long ran, dropped, sent;
	int status;
	bool quit;
};

static void usage(FILE *f)
{
	fputs("Usage: workq run MESH CHANNEL [ quiet ] [ faulty ]\n"
	      "       workq submit MESH CHANNEL [ k N ] [ cost N ] [ wait SEC ] [ quiet ] [ TASK... ]\n"
	      "       workq calc COST INPUT\n"
	      "\n"
	      "run is a worker: it runs the tasks submitted to CHANNEL of mesh MESH\n"
	      "that fall to it, and takes over those of workers that leave the\n"
	      "mesh. One worker per node; SIGINT, SIGTERM or SIGHUP stops it.\n"
	      "submit floods each TASK (each line of standard input if none) as a\n"
	      "task to run N times (k, 1 by default, at most 8), COST rounds of work\n"
	      "each (cost, 1000000). With wait, it waits up to SEC seconds for the\n"
	      "results, prints who ran each task and what came out, and fails if\n"
	      "a task is missing results or its results differ.\n"
	      "calc prints the value a task's work gives.\n"
	      "quiet prints only the first line and the summary; faulty reports\n"
	      "wrong values (a test of k).\n",
	      f);
}

/* The work, and the rule's hash. */

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* Rounds @from to @to of the work, on the value so far. */
static uint64_t work(uint64_t value, uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++)
		value = pmapp_mix64(value ^ i);
	return value;
}

static uint64_t score(const struct task *t, uint64_t node)
{
	return pmapp_mix64(pmapp_mix64(pmapp_mix64(t->job) ^ t->id) ^ node);
}

/* Tasks and results. */

static struct task *task_find(struct workq *w, uint64_t job, uint32_t id)
{
	for (size_t i = 0; i < w->ntasks; i++)
		if (w->tasks[i].job == job && w->tasks[i].id == id)
			return &w->tasks[i];
	return NULL;
}

static bool complete(const struct task *t)
{
	return t->known && t->nres + t->more >= t->k;
}

/*
 * A slot for a new task. If the table is full, a complete task is
 * forgotten, or else the oldest of the results whose task never came (so
 * that results of jobs no one submitted cannot fill it for good).
 */
static struct task *task_slot(struct workq *w)
{
	struct task *orphan = NULL;

	if (w->ntasks < TASKS_MAX)
		return &w->tasks[w->ntasks++];
	for (size_t i = 0; i < w->ntasks; i++) {
		struct task *t = &w->tasks[i];

		if (t == w->cur)
			continue;
		if (complete(t))
			return t;
		if (!t->known && (!orphan || t->arrival < orphan->arrival))
			orphan = t;
	}
	if (orphan)
		return orphan;
	if (!w->full_warned)
		pmapp_warn("%d tasks are not complete: ignoring further ones",
			   TASKS_MAX);
	w->full_warned = true;
	return NULL;
}

/* The task (@job, @id), made if new; NULL if there is no room. */
static struct task *task_get(struct workq *w, uint64_t job, uint32_t id)
{
	struct task *t = task_find(w, job, id);

	if (t)
		return t;
	t = task_slot(w);
	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->job = job;
	t->id = id;
	t->arrival = ++w->arrivals;
	return t;
}

static struct result *result_of(struct task *t, uint64_t node)
{
	for (unsigned int i = 0; i < t->nres; i++)
		if (t->res[i].node == node)
			return &t->res[i];
	return NULL;
}

/* Take a result; one already taken from @node (flooded again) is no news. */
static void add_result(struct task *t, uint64_t node, uint64_t value)
{
	if (result_of(t, node))
		return;
	if (t->nres < RESULTS_MAX)
		t->res[t->nres++] = (struct result){ node, value };
	else
		t->more++;
}

/* The workers. */

static bool is_worker(const struct workq *w, uint64_t node)
{
	for (size_t i = 0; i < w->nworkers; i++)
		if (w->workers[i] == node)
			return true;
	return false;
}

static void print_workers(const struct workq *w)
{
	if (w->quiet)
		return;
	printf("workers: %zu:", w->nworkers);
	for (size_t i = 0; i < w->nworkers; i++)
		printf(" " PMAPP_NODE_FMT, w->workers[i]);
	putchar('\n');
}

static void worker_add(struct workq *w, uint64_t node)
{
	size_t i;

	if (is_worker(w, node))
		return;
	if (w->nworkers == WORKERS_MAX) {
		pmapp_warn("more than %d workers: node " PMAPP_NODE_FMT " not counted",
			   WORKERS_MAX, node);
		return;
	}
	for (i = w->nworkers; i > 0 && w->workers[i - 1] > node; i--)
		w->workers[i] = w->workers[i - 1];
	w->workers[i] = node;
	w->nworkers++;
	print_workers(w);
}

static void worker_del(struct workq *w, uint64_t node, const char *why)
{
	size_t i;

	for (i = 0; i < w->nworkers && w->workers[i] != node; i++)
		;
	if (i == w->nworkers || node == w->self)
		return;
	memmove(&w->workers[i], &w->workers[i + 1],
		(w->nworkers - i - 1) * sizeof(*w->workers));
	w->nworkers--;
	if (!w->quiet)
		printf("worker " PMAPP_NODE_FMT " left: %s\n", node, why);
	print_workers(w);
}

/*
 * The claiming rule: whether this node is among the first K - R candidates
 * of @t (see the top of the file).
 */
static bool named(struct workq *w, struct task *t)
{
	uint64_t mine = score(t, w->self), s;
	unsigned int above = 0;

	if (!t->known || complete(t) || result_of(t, w->self))
		return false;
	for (size_t i = 0; i < w->nworkers; i++) {
		uint64_t x = w->workers[i];

		if (x == w->self || result_of(t, x) ||
		    !pmapp_members_has(w->members, x))
			continue;
		s = score(t, x);
		if (s > mine || (s == mine && x > w->self))
			above++;
	}
	return above < t->k - t->nres - t->more;
}

/* Sending. */

static int send_msg(struct workq *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int send_msg(struct workq *w, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (++w->sent % BURST == 0)
		nanosleep(&(struct timespec){ 0, BURST_PAUSE_MS * 1000000 }, NULL);
	if (pmapp_send(w->fd, buf, n)) {
		w->quit = true;
		w->status = 1;
		return -1;
	}
	return 0;
}

static int send_task(struct workq *w, const struct task *t)
{
	return send_msg(w, "TASK " PMAPP_NODE_FMT " %u %u %" PRIu64 " %s", t->job,
			t->id, t->k, t->cost, t->input);
}

static int send_result(struct workq *w, const struct task *t,
		       const struct result *r)
{
	return send_msg(w, "RESULT " PMAPP_NODE_FMT " %u " PMAPP_NODE_FMT " "
			PMAPP_NODE_FMT, t->job, t->id, r->node, r->value);
}

/* For a HELLO: every task not complete, again, with its results. */
static void send_pending(struct workq *w)
{
	w->resent_at = pmapp_mono_ms();
	w->resend_at = 0;
	for (size_t i = 0; i < w->ntasks && !w->quit; i++) {
		struct task *t = &w->tasks[i];

		if (!t->known || complete(t))
			continue;
		send_task(w, t);
		for (unsigned int j = 0; j < t->nres && !w->quit; j++)
			send_result(w, t, &t->res[j]);
	}
}

/* A HELLO came: flood the tasks again now, or when RESEND_MS is up. */
static void want_pending(struct workq *w)
{
	uint64_t now = pmapp_mono_ms();

	if (!w->resent_at || now >= w->resent_at + RESEND_MS)
		send_pending(w);
	else
		w->resend_at = w->resent_at + RESEND_MS;
}

/* Milliseconds until a resend is due, at most @ms (-1: no limit). */
static int resend_wait(const struct workq *w, int ms)
{
	uint64_t now = pmapp_mono_ms(), left;

	if (!w->resend_at)
		return ms;
	left = w->resend_at > now ? w->resend_at - now : 0;
	return ms < 0 || left < (uint64_t)ms ? (int)left : ms;
}

/* Do a resend that is due. */
static void resend_due(struct workq *w)
{
	if (w->resend_at && pmapp_mono_ms() >= w->resend_at)
		send_pending(w);
}

/* Receiving. */

static void on_task(struct workq *w, uint64_t job, uint32_t id, unsigned int k,
		    uint64_t cost, const char *input)
{
	struct task *t;

	if (w->job)	/* a submitter knows its tasks */
		return;
	t = task_get(w, job, id);
	if (!t || t->known)
		return;
	t->known = true;
	t->k = k;
	t->cost = cost;
	snprintf(t->input, sizeof(t->input), "%s", input);
}

static void on_result(struct workq *w, uint64_t job, uint32_t id,
		      uint64_t node, uint64_t value)
{
	struct task *t;

	/*
	 * A worker keeps a result that overtook its task (by another path)
	 * for when the task comes; a submitter takes only its own tasks'.
	 */
	t = w->job ? task_find(w, job, id) : task_get(w, job, id);
	if (t)
		add_result(t, node, value);
}

/* HELLO, WORKER or BYE from @node. */
static void on_worker_msg(struct workq *w, const char *what, uint64_t node,
			  uint64_t instance)
{
	bool hello = !strcmp(what, "HELLO");

	if (node == w->self && instance == w->instance)
		return;
	if (hello) {
		if (w->worker)
			send_msg(w, "WORKER " PMAPP_NODE_FMT, w->instance);
		want_pending(w);
	}
	if (!w->worker)
		return;
	if (node == w->self) {
		/* Two workers on one node would both be named by its id. */
		if (!strcmp(what, "WORKER")) {
			pmapp_err("a worker runs on node " PMAPP_NODE_FMT
				  " already: one worker per node", node);
			w->quit = true;
			w->status = 1;
		}
		return;
	}
	if (!strcmp(what, "BYE"))
		worker_del(w, node, "bye");
	else
		worker_add(w, node);
}

static void on_datagram(struct workq *w, char *buf, size_t len,
			const struct pmapp_dgram *d)
{
	uint64_t job, node, value, cost;
	unsigned int k;
	uint32_t id;
	char what[8];
	int n = -1;

	if (d->truncated || memchr(buf, 0, len))
		goto foreign;
	buf[len] = 0;
	if (sscanf(buf, "%7[A-Z]", what) != 1)
		goto foreign;
	if (!strcmp(what, "TASK")) {
		if (sscanf(buf, "TASK %16" SCNx64 " %" SCNu32 " %u %" SCNu64 " %n",
			   &job, &id, &k, &cost, &n) != 4 || n < 0 ||
		    !job || !id || k < 1 || k > K_MAX || !cost || cost > COST_MAX ||
		    len - n > INPUT_MAX || !buf[n] || !pmapp_printable(buf + n))
			goto foreign;
		on_task(w, job, id, k, cost, buf + n);
	} else if (!strcmp(what, "RESULT")) {
		if (sscanf(buf, "RESULT %16" SCNx64 " %" SCNu32 " %16" SCNx64
			   " %16" SCNx64 "%n", &job, &id, &node, &value, &n) != 4 ||
		    n != (int)len || !job || !id || !node)
			goto foreign;
		on_result(w, job, id, node, value);
	} else if (!strcmp(what, "HELLO") || !strcmp(what, "WORKER") ||
		   !strcmp(what, "BYE")) {
		if (sscanf(buf, "%*s %16" SCNx64 "%n", &value, &n) != 1 ||
		    n != (int)len)
			goto foreign;
		on_worker_msg(w, what, d->origin, value);
	} else {
		goto foreign;
	}
	return;
foreign:
	pmapp_foreign(d, "not a workq message");
}

/* Take every datagram queued. Returns -1 if the socket failed. */
static int drain(struct workq *w)
{
	static char buf[PMAPP_MAX_DGRAM + 1];
	struct pmapp_dgram d;
	ssize_t len;

	while (!w->quit) {
		len = pmapp_recv(w->fd, buf, sizeof(buf) - 1, &d, MSG_DONTWAIT);
		if (len < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		on_datagram(w, buf, len, &d);
	}
	return 0;
}

/* The worker. */

static void on_member(void *arg, enum pmapp_member_event ev,
		      const struct pmapp_member *m)
{
	struct workq *w = arg;

	switch (ev) {
	case PMAPP_MEMBER_PRESENT:
		break;
	case PMAPP_MEMBER_JOIN:
		if (!m->self)
			send_msg(w, "WORKER " PMAPP_NODE_FMT, w->instance);
		break;
	case PMAPP_MEMBER_LEAVE:
		worker_del(w, m->node, pmapp_reason_name(m->reason));
		break;
	case PMAPP_MESH_GONE:
		pmapp_err("mesh %u was deleted", w->mesh);
		w->quit = true;
		w->status = 1;
		break;
	}
}

/* The oldest task the rule names this node for. */
static struct task *pick(struct workq *w)
{
	struct task *best = NULL;

	for (size_t i = 0; i < w->ntasks; i++) {
		struct task *t = &w->tasks[i];

		if (named(w, t) && (!best || t->arrival < best->arrival))
			best = t;
	}
	return best;
}

/* One slice of the current task; report it when done. */
static void run_slice(struct workq *w)
{
	struct task *t = w->cur;
	uint64_t to = w->cur_done + SLICE_ROUNDS;
	struct result r;

	if (to > t->cost)
		to = t->cost;
	w->cur_value = work(w->cur_value, w->cur_done, to);
	w->cur_done = to;
	if (w->cur_done < t->cost)
		return;
	r = (struct result){ w->self, w->cur_value ^ (w->faulty ? 1 : 0) };
	w->cur = NULL;
	if (send_result(w, t, &r))
		return;
	add_result(t, r.node, r.value);
	w->ran++;
	if (!w->quiet)
		printf("done " PMAPP_NODE_FMT " %u " PMAPP_NODE_FMT " in %" PRIu64 " ms\n",
		       t->job, t->id, r.value, pmapp_mono_ms() - w->cur_start);
}

static void schedule(struct workq *w)
{
	struct task *t = w->cur;

	if (t && !named(w, t)) {
		w->dropped++;
		if (!w->quiet)
			printf("drop " PMAPP_NODE_FMT " %u: %s\n", t->job, t->id,
			       complete(t) ? "complete" : "another worker takes it");
		w->cur = NULL;
	}
	if (w->cur)
		return;
	t = pick(w);
	if (!t)
		return;
	w->cur = t;
	w->cur_done = 0;
	w->cur_value = fnv1a(t->input);
	w->cur_start = pmapp_mono_ms();
	if (!w->quiet)
		printf("run " PMAPP_NODE_FMT " %u\n", t->job, t->id);
}

/* Results seen: complete tasks, and duplicates and disagreements. */
struct tally {
	unsigned long tasks, complete, results, duplicates, inconsistent;
};

static bool consistent(const struct task *t)
{
	for (unsigned int i = 1; i < t->nres; i++)
		if (t->res[i].value != t->res[0].value)
			return false;
	return true;
}

static void tally(const struct task *t, struct tally *s)
{
	unsigned int n = t->nres + t->more;

	s->tasks++;
	s->results += n;
	if (complete(t))
		s->complete++;
	if (t->known && n > t->k)
		s->duplicates += n - t->k;
	if (!consistent(t))
		s->inconsistent++;
}

static int worker(struct workq *w)
{
	struct tally s = {};

	w->worker = true;
	pmapp_catch_signals();
	w->fd = pmapp_open(w->mesh, w->channel, 0);
	if (w->fd < 0)
		return 1;
	w->members = pmapp_members_follow(w->mesh, on_member, w);
	if (!w->members)
		return 1;
	w->self = pmapp_members_self(w->members);
	w->instance = pmapp_random64();
	printf("worker on mesh %u channel %u, node " PMAPP_NODE_FMT "\n", w->mesh,
	       w->channel, w->self);
	worker_add(w, w->self);
	send_msg(w, "HELLO " PMAPP_NODE_FMT, w->instance);

	while (!w->quit && !pmapp_stop) {
		struct pollfd p[2] = {
			{ .fd = w->fd, .events = POLLIN },
			{ .fd = pmapp_members_fd(w->members), .events = POLLIN },
		};

		/* Working: only a look. Idle: until something happens. */
		schedule(w);
		if (pmapp_wait(p, 2, w->cur ? 0 : resend_wait(w, -1)) < 0 &&
		    errno != EINTR)
			break;
		/*
		 * Membership first, then the socket: a result sent before a
		 * goodbye is queued before the leave is reported, so it is
		 * taken before the leave hands the task to another node.
		 */
		if (pmapp_members_process(w->members) || drain(w)) {
			w->status = 1;
			break;
		}
		resend_due(w);
		if (w->quit)
			break;
		schedule(w);	/* what came may take the task away */
		if (w->cur)
			run_slice(w);
	}
	if (!w->quit)
		send_msg(w, "BYE " PMAPP_NODE_FMT, w->instance);
	for (size_t i = 0; i < w->ntasks; i++)
		tally(&w->tasks[i], &s);
	printf("summary: ran %lu, dropped %lu, tasks %lu, complete %lu, duplicates %lu, inconsistent %lu\n",
	       w->ran, w->dropped, s.tasks, s.complete, s.duplicates,
	       s.inconsistent);
	pmapp_members_close(w->members);
	close(w->fd);
	return w->status;
}

/* The submitter. */

static void print_task(const struct task *t)
{
	unsigned int n = t->nres + t->more;

	printf("task %u ", t->id);
	if (!consistent(t))
		printf("inconsistent");
	else if (n < t->k)
		printf("missing %u of %u", t->k - n, t->k);
	else if (n > t->k)
		printf("duplicate " PMAPP_NODE_FMT " by", t->res[0].value);
	else
		printf("ok " PMAPP_NODE_FMT " by", t->res[0].value);
	for (unsigned int i = 0; i < t->nres; i++) {
		if (!consistent(t) || n < t->k)
			printf(" " PMAPP_NODE_FMT "=" PMAPP_NODE_FMT, t->res[i].node,
			       t->res[i].value);
		else
			printf(" " PMAPP_NODE_FMT, t->res[i].node);
	}
	if (t->more)
		printf(" and %u more", t->more);
	putchar('\n');
}

/* Wait for the results of our job; print them; 0 if all are in and agree. */
static int collect(struct workq *w, uint64_t wait)
{
	uint64_t deadline = pmapp_mono_ms() + wait * 1000, settle = 0;
	struct tally s;

	pmapp_catch_signals();
	for (;;) {
		struct pollfd p = { .fd = w->fd, .events = POLLIN };
		uint64_t now, until;

		if (drain(w) || w->quit)
			return 1;
		resend_due(w);
		s = (struct tally){};
		for (size_t i = 0; i < w->ntasks; i++)
			tally(&w->tasks[i], &s);
		now = pmapp_mono_ms();
		if (!settle && s.complete == s.tasks)
			settle = now + SETTLE_MS;
		until = settle ? settle : deadline;
		if (pmapp_stop || now >= until)
			break;
		if (pmapp_wait(&p, 1, resend_wait(w, until - now)) < 0 &&
		    errno != EINTR)
			return 1;
	}
	if (!w->quiet)
		for (size_t i = 0; i < w->ntasks; i++)
			print_task(&w->tasks[i]);
	printf("summary: job " PMAPP_NODE_FMT ": tasks %lu, complete %lu, results %lu, duplicates %lu, inconsistent %lu, missing %lu\n",
	       w->job, s.tasks, s.complete, s.results, s.duplicates,
	       s.inconsistent, s.tasks - s.complete);
	if (s.complete < s.tasks)
		return pmapp_err("%lu of %lu tasks have not all their results after %" PRIu64 " s",
				 s.tasks - s.complete, s.tasks, wait), 1;
	if (s.inconsistent)
		return pmapp_err("%lu tasks have results that differ",
				 s.inconsistent), 1;
	return 0;
}

/* A task's input, checked, into the job. */
static int add_input(struct workq *w, const char *s, unsigned int k,
		     uint64_t cost)
{
	struct task *t;

	if (!*s || strlen(s) > INPUT_MAX || !pmapp_printable(s))
		return pmapp_err("task \"%.40s\" is not 1 to %d printable characters",
				 s, INPUT_MAX);
	if (w->ntasks == TASKS_MAX)
		return pmapp_err("more than %d tasks", TASKS_MAX);
	t = &w->tasks[w->ntasks++];
	*t = (struct task){ .job = w->job, .id = w->ntasks, .known = true,
			    .k = k, .cost = cost };
	snprintf(t->input, sizeof(t->input), "%s", s);
	return 0;
}

static int submit(struct workq *w, int argc, char **argv)
{
	uint64_t k = 1, cost = COST_DEFAULT, wait = 0;
	char line[INPUT_MAX + 2];
	int i;

	/* Options first; the first word that is none starts the tasks. */
	for (i = 0; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int err;

		if (!strcmp(argv[i], "quiet")) {
			w->quiet = true;
			continue;
		}
		if (!strcmp(argv[i], "k"))
			err = pmapp_parse_uint("k", val, 1, K_MAX, &k);
		else if (!strcmp(argv[i], "cost"))
			err = pmapp_parse_uint("cost", val, 1, COST_MAX, &cost);
		else if (!strcmp(argv[i], "wait"))
			err = pmapp_parse_uint("wait", val, 1, 86400, &wait);
		else
			break;
		if (err)
			return 1;
		i++;
	}
	w->job = pmapp_random64() | 1;
	for (; i < argc; i++)
		if (add_input(w, argv[i], k, cost))
			return 1;
	if (!w->ntasks) {
		while (fgets(line, sizeof(line), stdin)) {
			line[strcspn(line, "\r\n")] = 0;
			if (*line && add_input(w, line, k, cost))
				return 1;
		}
		if (!w->ntasks)
			return pmapp_err("no tasks: give them as arguments or lines of standard input"), 1;
	}

	w->fd = pmapp_open(w->mesh, w->channel, wait ? 0 : PMAPP_SEND_ONLY);
	if (w->fd < 0)
		return 1;
	for (size_t j = 0; j < w->ntasks; j++)
		if (send_task(w, &w->tasks[j]))
			return 1;
	printf("submitted %zu tasks as job " PMAPP_NODE_FMT " (k %" PRIu64
	       ", cost %" PRIu64 ")\n", w->ntasks, w->job, k, cost);
	return wait ? collect(w, wait) : 0;
}

static int calc(int argc, char **argv)
{
	uint64_t cost;

	if (argc != 2)
		return pmapp_err("a cost and an input are needed; try \"workq help\""), 1;
	if (pmapp_parse_uint("cost", argv[0], 1, COST_MAX, &cost))
		return 1;
	printf(PMAPP_NODE_FMT "\n", work(fnv1a(argv[1]), 0, cost));
	return 0;
}

int main(int argc, char **argv)
{
	static struct workq w;
	int i;

	pmapp_init(argv[0]);
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	if (!strcmp(argv[1], "calc"))
		return calc(argc - 2, argv + 2);
	if (strcmp(argv[1], "run") && strcmp(argv[1], "submit"))
		return pmapp_err("unknown command \"%s\": run, submit or calc; try \"workq help\"",
				 argv[1]), 1;
	if (argc < 4)
		return pmapp_err("a mesh id and a channel are needed; try \"workq help\""), 1;
	if (pmapp_parse_mesh(argv[2], &w.mesh) ||
	    pmapp_parse_channel(argv[3], &w.channel))
		return 1;
	w.tasks = calloc(TASKS_MAX, sizeof(*w.tasks));
	if (!w.tasks)
		return pmapp_err("out of memory"), 1;
	if (!strcmp(argv[1], "submit"))
		return submit(&w, argc - 4, argv + 4);
	for (i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "quiet"))
			w.quiet = true;
		else if (!strcmp(argv[i], "faulty"))
			w.faulty = true;
		else
			return pmapp_err("unknown argument \"%s\"; try \"workq help\"",
					 argv[i]), 1;
	}
	return worker(&w);
}
