#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn what bench.sh recorded into the numbers it prints.

Every time here is wall-clock seconds since the epoch: pmesh monitor -j
stamps each event (UTC, to the millisecond, when the tool read it), tcpdump
-tt stamps each frame (when the kernel saw it), bash's $EPOCHREALTIME stamps
the moment a command was started or had returned.

  benchstat.py COMMAND... where each COMMAND is one of
  neigh DIR H D      neigh-down latency trials
  leave DIR H        node-leave latency trials
  ctl DIR N H        control traffic of one ring
  ctl-table FILE     the rings side by side
Each prints DIR/notes (what the shell said while measuring) first.
"""
import datetime
import json
import os
import sys


def mon_events(path, event, node=None):
    """Times of the monitor's events named @event (for @node), in order."""
    out = []
    with open(path) as f:
        for line in f:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e.get("event") != event or (node and e.get("node") != node):
                continue
            t = datetime.datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
            t = t.replace(tzinfo=datetime.timezone.utc).timestamp()
            out.append((t, e))
    return out


def capture(path, length=None):
    """Times of the frames tcpdump -tt printed (UDP payload of @length)."""
    out = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) < 2 or w[1] != "IP":
                continue
            if length is not None and not line.rstrip().endswith(
                    "length %d" % length):
                continue
            out.append(float(w[0]))
    return out


def notes(d):
    """What the shell said while it measured."""
    try:
        with open(os.path.join(d, "notes")) as f:
            sys.stdout.write(f.read())
    except OSError:
        pass


def median(v):
    v = sorted(v)
    return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2


def trials(path):
    with open(path) as f:
        return [[float(x) for x in line.split()[1:]] for line in f
                if line.strip()]


def ms(x):
    return "%6.0f" % (x * 1000) if x is not None else "     -"


def summary(label, vals, lo, hi):
    vals = [v for v in vals if v is not None]
    if not vals:
        print("#   %-22s no data" % label)
        return
    inside = sum(lo - 1e-9 <= v <= hi + 1e-9 for v in vals)
    print("#   %-22s min %s  median %s  max %s ms   within [%.0f, %.0f] ms: %d of %d"
          % (label, ms(min(vals)), ms(median(vals)), ms(max(vals)),
             lo * 1000, hi * 1000, inside, len(vals)))


def neigh(d, h, dd):
    """neigh-down latency: the i-th cut against the i-th neigh-down."""
    print("# hello-interval H=%s ms, dead-interval D=%s ms, both nodes" % (h, dd))
    notes(d)
    h, dd = int(h) / 1000, int(dd) / 1000
    cuts = trials(os.path.join(d, "trials"))
    downs = mon_events(os.path.join(d, "mon"), "neigh-down")
    frames = capture(os.path.join(d, "cap"))
    from_last, from_cut = [], []
    print("#   trial  down-cmd  last-frame->down  cut->down   (ms)")
    for i, (t0, t1) in enumerate(cuts):
        down = downs[i][0] if i < len(downs) else None
        last = max((t for t in frames if t <= t1 + 0.002), default=None)
        a = down - last if down and last else None
        b = down - t0 if down else None
        from_last.append(a)
        from_cut.append(b)
        print("#   %5d  %s    %s            %s" % (i + 1, ms(t1 - t0), ms(a), ms(b)))
    summary("last frame -> down", from_last, dd, dd + h)
    summary("cut -> down", from_cut, dd - h, dd + h)


def leave(d, h):
    notes(d)
    h = int(h) / 1000
    node = "%016x" % 5
    leaves = mon_events(os.path.join(d, "mon"), "node-leave", node)
    goodbyes = capture(os.path.join(d, "cap"), 60)
    clean = trials(os.path.join(d, "clean"))
    cut = trials(os.path.join(d, "cut"))
    print("# (a) clean leave: n4 deletes its mesh (goodbye), seen at n0 4 hops away")
    print("#   trial  del-cmd  goodbye-on-wire->leave  del-request->leave  reason   (ms)")
    wire, cmd = [], []
    for i, (t0, t1) in enumerate(clean):
        ev = leaves[i] if i < len(leaves) else None
        t = ev[0] if ev else None
        g = max((x for x in goodbyes if x <= (t or t1) + 0.002), default=None)
        a = t - g if t and g and g >= t0 - 0.001 else None
        b = t - t0 if t else None
        wire.append(a)
        cmd.append(b)
        print("#   %5d  %s    %s                  %s            %s"
              % (i + 1, ms(t1 - t0), ms(a), ms(b), ev[1].get("reason") if ev else "-"))
    s = [v for v in wire if v is not None]
    if s:
        print("#   goodbye on wire -> node-leave: min %.1f  median %.1f  max %.1f ms"
              % (min(s) * 1000, median(s) * 1000, max(s) * 1000))
    s = [v for v in cmd if v is not None]
    if s:
        print("#   del request -> node-leave:     min %.1f  median %.1f  max %.1f ms"
              % (min(s) * 1000, median(s) * 1000, max(s) * 1000))

    print("# (b) vanishing node: n4's veth set down (no goodbye), seen at n0")
    print("#   trial  down-cmd  interval timeout  last-announce->leave  cut->leave  reason   (ms)")
    from_last, from_cut, tmo, ivl = [], [], None, None
    with open(os.path.join(d, "nodes")) as f:
        seen = [line.split() for line in f if line.strip()]
    for i, (t0, t1) in enumerate(cut):
        # pmctl at n0 right after the cut: how long ago n4 was last heard.
        w = seen[i] if i < len(seen) else None
        q = {w[j]: int(w[j + 1]) for j in range(2, len(w) - 1, 2)} if w else {}
        interval, timeout = q.get("interval", 0), q.get("timeout", 0)
        ev = leaves[len(clean) + i] if len(clean) + i < len(leaves) else None
        t = ev[0] if ev else None
        last = float(w[1]) - q["last_heard_ms"] / 1000 if w else None
        a = t - last if t and last else None
        b = t - t0 if t else None
        from_last.append(a)
        from_cut.append(b)
        tmo, ivl = timeout / 1000, interval / 1000
        print("#   %5d  %s    %6d  %6d       %s              %s        %s"
              % (i + 1, ms(t1 - t0), interval, timeout, ms(a), ms(b),
                 ev[1].get("reason") if ev else "-"))
    if tmo is not None:
        summary("last announce -> leave", from_last, tmo, tmo + h)
        summary("cut -> leave", from_cut, tmo - ivl, tmo + h)


def pmctl(path):
    """{netns: (time, {key: value})} from pmctl's lines."""
    out = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            out[w[0]] = (float(w[1]), {w[i]: int(w[i + 1])
                                       for i in range(2, len(w) - 1, 2)})
    return out


KEYS = ("ctl_tx_frames", "ctl_tx_bytes", "ctl_rx_frames", "ctl_rx_bytes")


def ctl(d, n, h):
    print("# ring of %s:" % n)
    notes(d)
    n, h = int(n), int(h) / 1000
    s1, s2 = pmctl(os.path.join(d, "s1")), pmctl(os.path.join(d, "s2"))
    tables = pmctl(os.path.join(d, "nodes"))
    rates = {k: [] for k in KEYS}
    secs = []
    for ns in s1:
        t1, a = s1[ns]
        t2, b = s2[ns]
        secs.append(t2 - t1)
        for k in KEYS:
            rates[k].append((b[k] - a[k]) / (t2 - t1))
    avg = {k: sum(v) / len(v) for k, v in rates.items()}
    full = sum(1 for t in tables.values()
               if t[1]["total"] == n and t[1]["self"] == 1 and t[1]["up"] == n - 1)
    short = ["%s:%d/%d" % (ns.rsplit("-", 1)[-1], t[1]["self"] + t[1]["up"],
                           t[1]["total"])
             for ns, t in sorted(tables.items()) if t[1]["up"] != n - 1]
    gauge1 = sorted(set(v[1]["nodes"] for v in s1.values()))
    gauge2 = sorted(set(v[1]["nodes"] for v in s2.values()))
    drops = sum(v[1]["node_drops"] for v in s2.values())
    print("#   window %.1f-%.1f s; nodes stat: %s before, %s after (expect [%d]); node-drops %d"
          % (min(secs), max(secs), gauge1, gauge2, n - 1, drops))
    print("#   tables holding all %d nodes (self + %d up): %d of %d%s"
          % (n, n - 1, full, n, "" if not short else "; short: " + " ".join(short[:10])))
    # Cross-check with the pmesh tool on r0.
    with open(os.path.join(d, "n0.nodes")) as f:
        tab = json.load(f)
    with open(os.path.join(d, "n0.mesh")) as f:
        m = json.load(f)[0]
    ivals = sorted(set(e.get("interval") for e in tab if e.get("state") != "self"))
    print("#   pmesh on n0: node show lists %d (%d up), mesh show nodes %d;"
          " announce interval in use (ms): %s"
          % (len(tab), sum(e.get("state") == "up" for e in tab),
             m["stats"]["nodes"], ",".join(str(x) for x in ivals)))
    lo = {k: min(v) for k, v in rates.items()}
    hi = {k: max(v) for k, v in rates.items()}
    print("#   per node per s, min..max over nodes: tx %.2f..%.2f frames %.0f..%.0f B,"
          " rx %.2f..%.2f frames %.0f..%.0f B"
          % (lo["ctl_tx_frames"], hi["ctl_tx_frames"], lo["ctl_tx_bytes"],
             hi["ctl_tx_bytes"], lo["ctl_rx_frames"], hi["ctl_rx_frames"],
             lo["ctl_rx_bytes"], hi["ctl_rx_bytes"]))
    # What was sent, split by size: a hello is 56 bytes (48 of header, 8
    # of intervals), an announcement 60 (12 of payload): announcements
    # = (bytes - 56 frames) / 4. In a ring each announcement is sent N + 1
    # times in all (2 by its origin, once by every other node), so the mesh
    # originated their sum / (N + 1) a second.
    ann_tx = [(s2[ns][1]["ctl_tx_bytes"] - s1[ns][1]["ctl_tx_bytes"] -
               56 * (s2[ns][1]["ctl_tx_frames"] - s1[ns][1]["ctl_tx_frames"])) / 4 /
              (s2[ns][0] - s1[ns][0]) for ns in s1]
    hello = avg["ctl_tx_frames"] - sum(ann_tx) / n
    mesh_ann = sum(ann_tx) / (n + 1)
    print("#   split by frame size: %.2f hellos/s sent per node (2 neighbours, H = %d ms),"
          " %.2f announcements/s originated in the whole mesh" % (hello, h * 1000, mesh_ann))
    # The model: a ring node sends a hello to each of its 2 neighbours
    # every H; the mesh originates N announcements every 7/8 of the interval
    # (jitter: up to a quarter early), each crossing N + 1 links in a ring.
    # Stretched to n * 8/7 / 10 s, so that the mesh sends 10/s on average.
    ival = max(2000, n * 8000 / 70) / 1000
    ann = n / (0.875 * ival)
    model_f = 2 / h + ann * (n + 1) / n
    model_b = 2 / h * 56 + ann * (n + 1) / n * 60
    with open(os.path.join(d, "..", "ctl.results"), "a") as f:
        f.write("%d %.3f %.1f %.3f %.1f %.3f %.1f %d %d %.3f %.3f %.3f\n"
                % (n, avg["ctl_tx_frames"], avg["ctl_tx_bytes"],
                   avg["ctl_rx_frames"], avg["ctl_rx_bytes"], model_f, model_b,
                   full, int(ival * 1000), hello, mesh_ann, ann))


def ctl_table(path):
    print("# per node per s, averages over the nodes: control frames and bytes sent (tx) and")
    print("# received (rx); hello/s: hellos sent per node; ann/s: announcements originated in")
    print("# the whole mesh (tx split by frame size). model: 2 hellos per node per s; N")
    print("# announcements every 7/8 of max(2000, N*800/7) ms (uniform jitter, up to 1/4 early),")
    print("# each sent N+1 times in a ring; hello 56 B, announcement 60 B.")
    rows = []
    with open(path) as f:
        for line in f:
            w = line.split()
            rows.append([int(w[0])] + [float(x) for x in w[1:7]] +
                        [int(w[7]), int(w[8])] + [float(x) for x in w[9:12]])
    print("%-6s %8s %8s %8s %8s %8s %8s %7s %8s %8s %9s %6s" %
          ("nodes", "tx-fr/s", "tx-B/s", "rx-fr/s", "rx-B/s", "hello/s",
           "ann/s", "ann-ms", "model-fr", "model-B", "model-ann", "full"))
    for r in rows:
        print("%-6d %8.2f %8.1f %8.2f %8.1f %8.2f %8.2f %7d %8.2f %8.1f %9.2f %3d/%d" %
              (r[0], r[1], r[2], r[3], r[4], r[9], r[10], r[8], r[5], r[6],
               r[11], r[7], r[0]))
    if len(rows) > 1:
        a, b = rows[0], rows[-1]

        def q(x, y):
            return "%.2f" % (x / y) if y else "-"
        print("%-6s %8s %8s %8s %8s %8s %8s %7s %8s %8s %9s" %
              ("%d/%d" % (b[0], a[0]), q(b[1], a[1]), q(b[2], a[2]),
               q(b[3], a[3]), q(b[4], a[4]), q(b[9], a[9]), q(b[10], a[10]),
               "", q(b[5], a[5]), q(b[6], a[6]), q(b[11], a[11])))


if __name__ == "__main__":
    # Several commands in one run: python starts slowly in the guest.
    cmds = {"neigh": (neigh, 3), "leave": (leave, 2), "ctl": (ctl, 3),
            "ctl-table": (ctl_table, 1)}
    argv = sys.argv[1:]
    while argv:
        fn, n = cmds[argv[0]]
        try:
            fn(*argv[1:n + 1])
        except (OSError, ValueError, KeyError, IndexError) as e:
            print("# %s %s: no result (%s: %s)" % (argv[0], " ".join(argv[1:n + 1]),
                                                  type(e).__name__, e))
        argv = argv[n + 1:]
        sys.stdout.flush()
