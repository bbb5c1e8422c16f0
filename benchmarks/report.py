#!/usr/bin/env python3
"""Turns one run.sh result folder into a Markdown table and an SVG chart.

    report.py RAW_DIR --out PREFIX [--readme README.md]

writes PREFIX.md and PREFIX.svg and, given --readme, puts the table between the README's
"results:start" and "results:end" markers. Standard library only: the SVG is written by hand.
"""
import argparse
import html
import math
import os
import re
import statistics
import sys

SERVERS = ["weft-core", "weft-servlet", "jetty", "tomcat"]
LABELS = {"weft-core": "Weft core", "weft-servlet": "Weft servlet", "jetty": "Jetty 12.1", "tomcat": "Tomcat 11"}
COLORS = {"weft-core": "#1b7f5a", "weft-servlet": "#5cc49a", "jetty": "#d9822b", "tomcat": "#8a63b8"}
WRK_SCENARIOS = [
    ("A", "A: plaintext, keep-alive, 64 connections"),
    ("B", "B: POST /echo 1 KiB, keep-alive, 64 connections"),
    ("C", "C: plaintext, Connection: close, 64 connections"),
]


def read_kv(path):
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    out[k.strip()] = v.strip()
    return out


def to_ms(value):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        return None
    n, unit = float(m.group(1)), m.group(2)
    return n * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(path):
    """Requests/s, p50 and p99 in ms, and error counts from one wrk --latency output."""
    with open(path) as f:
        text = f.read()
    r = {"rps": None, "p50": None, "p99": None, "errors": 0, "non2xx": 0, "requests": None}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        r["rps"] = float(m.group(1))
    for pct, key in (("50", "p50"), ("99", "p99")):
        m = re.search(r"^\s+%s%%\s+(\S+)" % pct, text, re.M)
        if m:
            r[key] = to_ms(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        r["errors"] = sum(int(g) for g in m.groups())
        r["error_text"] = m.group(0)
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        r["non2xx"] = int(m.group(1))
    m = re.search(r"(\d+) requests in", text)
    if m:
        r["requests"] = int(m.group(1))
    return r


def collect(raw):
    meta = read_kv(os.path.join(raw, "meta.txt"))
    servers = [s for s in SERVERS if s in meta.get("servers", " ".join(SERVERS)).split()]
    data = {}
    for s in servers:
        d = {}
        for key, _ in WRK_SCENARIOS:
            runs = []
            i = 1
            while os.path.exists(os.path.join(raw, "%s-%s-run%d.txt" % (s, key, i))):
                runs.append(parse_wrk(os.path.join(raw, "%s-%s-run%d.txt" % (s, key, i))))
                i += 1
            d[key] = runs
        idle = read_kv(os.path.join(raw, "%s-D.txt" % s))
        d["D"] = idle
        for key, suffix in (("E", "E"), ("Ecds", "E-cds"), ("Eaot", "E-aot")):
            e = {"runs": []}
            path = os.path.join(raw, "%s-%s.txt" % (s, suffix))
            if os.path.exists(path):
                with open(path) as f:
                    for line in f:
                        m = re.match(r"startup run=\d+ pid=\d+ ms=(\d+)", line)
                        if m:
                            e["runs"].append(int(m.group(1)))
            d[key] = e
        data[s] = d
    return meta, servers, data


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_int(v):
    return "–" if v is None else "{:,.0f}".format(v)


def fmt_ms(v):
    if v is None:
        return "–"
    return "%.2f" % v if v < 10 else "%.1f" % v


def wrk_summary(runs):
    rps = [r["rps"] for r in runs if r["rps"] is not None]
    return {
        "median": med(rps),
        "min": min(rps) if rps else None,
        "max": max(rps) if rps else None,
        "p50": med([r["p50"] for r in runs]),
        "p99": med([r["p99"] for r in runs]),
        "errors": sum(r["errors"] for r in runs),
        "non2xx": sum(r["non2xx"] for r in runs),
        "n": len(rps),
    }


def idle_summary(d):
    try:
        before = int(d["rss_before_kb"])
        during = int(d["rss_during_kb"])
        conns = int(d["connections"])
    except (KeyError, ValueError):
        return None
    held = d.get("held", "")
    m = re.search(r"ok=(\d+)", held)
    ok = int(m.group(1)) if m else 0
    per = (during - before) / ok if ok else None  # KiB per connection actually held
    try:
        heap_per = (int(d["heap_during_kb"]) - int(d["heap_before_kb"])) / ok if ok else None
        heap_before, heap_during = int(d["heap_before_kb"]) / 1024, int(d["heap_during_kb"]) / 1024
    except (KeyError, ValueError):
        heap_per = heap_before = heap_during = None
    return {"before": before / 1024, "during": during / 1024, "per_kib": per, "ok": ok, "conns": conns,
            "heap_per_kib": heap_per, "heap_before": heap_before, "heap_during": heap_during,
            "threads_before": d.get("threads_before", "?"), "threads_during": d.get("threads_during", "?"),
            "held": held}


def startup_summary(e):
    runs = e["runs"]
    if not runs:
        return None
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "n": len(runs)}


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return "%.2f×" % (a / b)


def markdown(meta, servers, data, svg_name):
    w = {s: {k: wrk_summary(data[s][k]) for k, _ in WRK_SCENARIOS} for s in servers}
    idle = {s: idle_summary(data[s]["D"]) for s in servers}
    start = {s: startup_summary(data[s]["E"]) for s in servers}
    start_cds = {s: startup_summary(data[s].get("Ecds", {"runs": []})) for s in servers}
    start_aot = {s: startup_summary(data[s].get("Eaot", {"runs": []})) for s in servers}
    head = "| | " + " | ".join(LABELS[s] for s in servers) + " |\n|---|" + "---:|" * len(servers) + "\n"
    out = []
    out.append("Measured %s on JDK %s, %s CPUs (%s), kernel %s, %s.\n" % (
        meta.get("date", "?"), meta.get("jdk", "?"), meta.get("cpus", "?"), meta.get("cpu", "?"),
        meta.get("kernel", "?"), meta.get("wrk", "wrk")))
    out.append("Server on CPU %s, clients on CPU %s; %s s warm-up, then %s runs of %s s per scenario; "
               "load average %s at the start, %s at the end.\n" % (
                   meta.get("server_cpu"), meta.get("client_cpu"), meta.get("warmup_s"), meta.get("runs"),
                   meta.get("duration_s"), meta.get("loadavg_start", "?"), meta.get("loadavg_end", "?")))
    out.append("![chart](%s)\n" % svg_name)
    out.append("### Throughput: requests/s, median of the runs (min–max)\n")
    t = head
    for key, title in WRK_SCENARIOS:
        t += "| %s | " % title + " | ".join(
            "**%s** (%s–%s)" % (fmt_int(w[s][key]["median"]), fmt_int(w[s][key]["min"]), fmt_int(w[s][key]["max"]))
            for s in servers) + " |\n"
    out.append(t)
    out.append("### Latency: p50 / p99 in ms (median of the runs' wrk --latency figures)\n")
    t = head
    for key, title in WRK_SCENARIOS:
        t += "| %s | " % title + " | ".join(
            "%s / %s" % (fmt_ms(w[s][key]["p50"]), fmt_ms(w[s][key]["p99"])) for s in servers) + " |\n"
    out.append(t)
    errs = []
    for s in servers:
        for key, _ in WRK_SCENARIOS:
            if w[s][key]["errors"] or w[s][key]["non2xx"]:
                errs.append("%s %s: %d socket errors, %d non-2xx responses over the measured runs" % (
                    LABELS[s], key, w[s][key]["errors"], w[s][key]["non2xx"]))
    for s in servers:
        n = int(meta.get("log_errors_" + s, "0") or 0)
        if n:
            errs.append("%s: its log has %d lines naming an exception or error (see raw/…/%s-server.log)" % (
                LABELS[s], n, s))
    if errs:
        out.append("wrk reported errors (socket errors in scenario C are mostly connects refused or reset "
                   "while the accept queue is full):\n\n" + "\n".join("- " + e for e in errs) + "\n")
    out.append("### D: %s idle keep-alive connections (RSS after a forced GC)\n" % meta.get("idle_connections", "?"))
    t = head
    rows = [
        ("connections answered and held", lambda i: "%d / %d" % (i["ok"], i["conns"])),
        ("RSS before (MiB)", lambda i: "%.1f" % i["before"]),
        ("RSS while held (MiB)", lambda i: "%.1f" % i["during"]),
        ("**RSS per connection (KiB)**", lambda i: "**%.1f**" % i["per_kib"] if i["per_kib"] is not None else "–"),
        ("live heap before → while held (MiB)", lambda i: "%.1f → %.1f" % (i["heap_before"], i["heap_during"])
         if i["heap_before"] is not None else "–"),
        ("live heap per connection (KiB)", lambda i: "%.1f" % i["heap_per_kib"] if i["heap_per_kib"] is not None else "–"),
        ("threads before → while held", lambda i: "%s → %s" % (i["threads_before"], i["threads_during"])),
    ]
    for label, f in rows:
        t += "| %s | " % label + " | ".join(f(idle[s]) if idle[s] else "–" for s in servers) + " |\n"
    out.append(t)
    out.append("### E: process start to first 200, ms: median of %s starts (min–max)\n" % meta.get("starts", "?"))
    t = head
    t += "| startup | " + " | ".join(
        "**%d** (%d–%d)" % (start[s]["median"], start[s]["min"], start[s]["max"]) if start[s] else "–"
        for s in servers) + " |\n"
    for label, runs in (("startup with a CDS archive (every server alike)", start_cds),
                        ("startup with an AOT cache (JDK 25+, every server alike)", start_aot)):
        if any(runs.values()):
            t += "| %s | " % label + " | ".join(
                "**%d** (%d–%d)" % (runs[s]["median"], runs[s]["min"], runs[s]["max"]) if runs[s] else "–"
                for s in servers) + " |\n"
    out.append(t)

    weft = [s for s in ("weft-core", "weft-servlet") if s in servers]
    peers = [s for s in ("jetty", "tomcat") if s in servers]
    if weft and peers:
        out.append("### Ratios: Weft ÷ peer\n")
        out.append("A–C: throughput (above 1 means Weft serves more). D: memory per connection and E: startup "
                   "time (below 1 means Weft needs less).\n")
        cols = [(a, b) for a in weft for b in peers]
        t = "| | " + " | ".join("%s ÷ %s" % (LABELS[a], LABELS[b]) for a, b in cols) + " |\n|---|" + "---:|" * len(cols) + "\n"
        for key, title in WRK_SCENARIOS:
            t += "| %s | " % key + " | ".join(ratio(w[a][key]["median"], w[b][key]["median"]) for a, b in cols) + " |\n"
        t += "| D (RSS KiB/connection) | " + " | ".join(
            ratio(idle[a]["per_kib"] if idle[a] else None, idle[b]["per_kib"] if idle[b] else None) for a, b in cols) + " |\n"
        t += "| D (live heap KiB/connection) | " + " | ".join(
            ratio(idle[a]["heap_per_kib"] if idle[a] else None, idle[b]["heap_per_kib"] if idle[b] else None)
            for a, b in cols) + " |\n"
        t += "| E (ms to first 200) | " + " | ".join(
            ratio(start[a]["median"] if start[a] else None, start[b]["median"] if start[b] else None) for a, b in cols) + " |\n"
        for label, runs in (("E with CDS", start_cds), ("E with an AOT cache", start_aot)):
            if any(runs.values()):
                t += "| %s | " % label + " | ".join(
                    ratio(runs[a]["median"] if runs[a] else None, runs[b]["median"] if runs[b] else None)
                    for a, b in cols) + " |\n"
        out.append(t)
    return "\n".join(out), w, idle, start


def svg_chart(meta, servers, w, idle, start):
    panels = []
    for key, title in WRK_SCENARIOS:
        panels.append((title.split(",")[0] + (", close" if key == "C" else ", keep-alive"), "requests/s (higher is better)",
                       {s: (w[s][key]["median"], w[s][key]["min"], w[s][key]["max"]) for s in servers}, fmt_int))
    panels.append(("D: RSS per idle connection", "KiB, after a forced GC (lower is better)",
                   {s: ((idle[s]["per_kib"], None, None) if idle[s] else (None, None, None)) for s in servers},
                   lambda v: "%.1f" % v))
    panels.append(("D: live heap per idle connection", "KiB, after a forced GC (lower is better)",
                   {s: ((idle[s]["heap_per_kib"], None, None) if idle[s] else (None, None, None)) for s in servers},
                   lambda v: "%.1f" % v))
    panels.append(("E: start to first 200", "ms (lower is better)",
                   {s: ((start[s]["median"], start[s]["min"], start[s]["max"]) if start[s] else (None, None, None))
                    for s in servers}, lambda v: "%.0f" % v))
    pw, ph, top0, bottom, left, cols = 300, 280, 80, 50, 20, 3
    rows = (len(panels) + cols - 1) // cols
    width = left * 2 + pw * cols
    height = top0 + rows * (ph + bottom) + 40
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
         'font-family="Helvetica, Arial, sans-serif">' % (width, height, width, height),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="28" font-size="20" font-weight="bold">Weft vs Jetty 12.1 vs Tomcat 11</text>' % left,
         '<text x="%d" y="48" font-size="12" fill="#555">%s</text>' % (left, html.escape(
             "%s · JDK %s · server pinned to 1 CPU, wrk on another · medians, whiskers min–max" % (
                 meta.get("date", "?")[:10], meta.get("jdk", "?"))))]
    lx = left
    for s in servers:
        o.append('<rect x="%d" y="58" width="12" height="12" fill="%s"/>' % (lx, COLORS[s]))
        o.append('<text x="%d" y="69" font-size="12">%s</text>' % (lx + 16, LABELS[s]))
        lx += 120
    for i, (title, unit, values, fmt) in enumerate(panels):
        x0 = left + (i % cols) * pw
        top = top0 + (i // cols) * (ph + bottom)
        plot_x, plot_w = x0 + 45, pw - 65
        base_y = top + ph
        vmax = nice_top(max([v for triple in values.values() for v in triple if v is not None and v > 0] or [1]) * 1.1)
        o.append('<text x="%d" y="%d" font-size="13" font-weight="bold">%s</text>' % (x0 + 10, top + 14, html.escape(title)))
        o.append('<text x="%d" y="%d" font-size="11" fill="#555">%s</text>' % (x0 + 10, top + 30, html.escape(unit)))
        chart_top = top + 45
        chart_h = base_y - chart_top
        for g in range(5):
            gy = base_y - chart_h * g / 4
            o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e3e3e3"/>' % (plot_x, gy, plot_x + plot_w, gy))
            o.append('<text x="%d" y="%.1f" font-size="9" fill="#777" text-anchor="end">%s</text>' % (
                plot_x - 4, gy + 3, short(vmax * g / 4)))
        bw = plot_w / len(servers)
        for j, s in enumerate(servers):
            v, lo, hi = values[s]
            bx = plot_x + j * bw + bw * 0.15
            if v is None:
                o.append('<text x="%.1f" y="%d" font-size="10" fill="#999">n/a</text>' % (bx, base_y - 4))
                continue
            bh = chart_h * max(v, 0) / vmax
            o.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s</title></rect>' % (
                bx, base_y - bh, bw * 0.7, bh, COLORS[s], LABELS[s], fmt(v)))
            if lo is not None and hi is not None and hi > lo:
                cx = bx + bw * 0.35
                y1, y2 = base_y - chart_h * lo / vmax, base_y - chart_h * hi / vmax
                o.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#222"/>' % (cx, y1, cx, y2))
                for yy in (y1, y2):
                    o.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#222"/>' % (cx - 4, yy, cx + 4, yy))
            o.append('<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle">%s</text>' % (
                bx + bw * 0.35, base_y - max(bh, chart_h * (hi or v) / vmax) - 5, fmt(v)))
        o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>' % (plot_x, base_y, plot_x + plot_w, base_y))
        for j, s in enumerate(servers):
            o.append('<text x="%.1f" y="%d" font-size="10" text-anchor="middle" fill="#333">%s</text>' % (
                plot_x + j * bw + bw * 0.5, base_y + 14, LABELS[s].split(" ")[0]))
            if s.startswith("weft"):
                o.append('<text x="%.1f" y="%d" font-size="10" text-anchor="middle" fill="#333">%s</text>' % (
                    plot_x + j * bw + bw * 0.5, base_y + 26, s.split("-")[1]))
    notes = [
        "wrk -t1 -c%s --latency; D: %s idle keep-alive connections, after a forced GC; E: median of %s starts." % (
            meta.get("connections", "?"), meta.get("idle_connections", "?"), meta.get("starts", "?")),
        "%s CPUs (%s); load average %s at the start." % (
            meta.get("cpus", "?"), meta.get("cpu", "?"), meta.get("loadavg_start", "?").split(" ")[0]),
    ]
    for k, note in enumerate(notes):
        o.append('<text x="%d" y="%d" font-size="11" fill="#555">%s</text>' % (
            left, height - 28 + 14 * k, html.escape(note)))
    o.append("</svg>")
    return "\n".join(o) + "\n"


def nice_top(v):
    """The smallest 4 x (1, 2 or 5 x 10^k) at or above v, so the four gridlines fall on round numbers."""
    step = v / 4
    exp = 10 ** math.floor(math.log10(step))
    for m in (1, 2, 2.5, 5, 10):
        if m * exp >= step:
            return 4 * m * exp
    return v


def short(v):
    if v >= 1e6:
        return "%.1fM" % (v / 1e6)
    if v >= 1e3:
        return ("%.1fk" % (v / 1e3)).replace(".0k", "k")
    if v >= 10:
        return "%.0f" % v
    return "%.1f" % v


def scaling_markdown(raw, meta, servers):
    """The scaling run: plaintext throughput by connection count, and memory by idle connections."""
    conns = meta.get("scale_conns", "").split()
    idles = meta.get("scale_idle", "").split()
    out = ["Measured %s on JDK %s, %s CPUs (%s); server on CPU %s, clients on CPU %s; %s s warm-up, "
           "then %s runs of %s s per connection count.\n" % (
               meta.get("date", "?"), meta.get("jdk", "?"), meta.get("cpus", "?"), meta.get("cpu", "?"),
               meta.get("server_cpu", "?"), meta.get("client_cpu", "?"), meta.get("warmup_s", "?"),
               meta.get("runs", "?"), meta.get("duration_s", "?"))]
    out.append("### Plaintext keep-alive by connections: requests/s, median (min–max); p50 / p99 ms\n")
    t = "| connections | " + " | ".join(LABELS[s] for s in servers) + " |\n|---:|" + "---:|" * len(servers) + "\n"
    for c in conns:
        cells = []
        for s in servers:
            runs = []
            i = 1
            while os.path.exists(os.path.join(raw, "%s-S%s-run%d.txt" % (s, c, i))):
                runs.append(parse_wrk(os.path.join(raw, "%s-S%s-run%d.txt" % (s, c, i))))
                i += 1
            w = wrk_summary(runs)
            if w["median"] is None:
                cells.append("–")
            else:
                err = "" if not (w["errors"] or w["non2xx"]) else " (%d errors)" % (w["errors"] + w["non2xx"])
                cells.append("%s (%s–%s); %s / %s%s" % (fmt_int(w["median"]), fmt_int(w["min"]), fmt_int(w["max"]),
                                                       fmt_ms(w["p50"]), fmt_ms(w["p99"]), err))
        t += "| %s | " % "{:,}".format(int(c)) + " | ".join(cells) + " |\n"
    out.append(t)
    out.append("### Idle keep-alive connections held: memory after a forced GC, against the server before the first count\n")
    t = "| idle connections | " + " | ".join(LABELS[s] for s in servers) + " |\n|---:|" + "---:|" * len(servers) + "\n"
    # The idle counts run one after another on one server: every count is measured against the
    # server as it was before the first, since memory a JVM took for the earlier count stays taken.
    base = {}
    for s in servers:
        first = read_kv(os.path.join(raw, "%s-idle%s-D.txt" % (s, idles[0]))) if idles else {}
        base[s] = {k: first[k] for k in ("rss_before_kb", "heap_before_kb") if k in first}
    for n in idles:
        cells = []
        for s in servers:
            kv = read_kv(os.path.join(raw, "%s-idle%s-D.txt" % (s, n)))
            kv.update(base[s])
            i = idle_summary(kv)
            if not i or i["per_kib"] is None:
                cells.append("–")
            else:
                cells.append("%d held; RSS %.0f → %.0f MiB, %.1f KiB each; heap %s KiB each" % (
                    i["ok"], i["before"], i["during"], i["per_kib"],
                    "–" if i["heap_per_kib"] is None else "%.1f" % i["heap_per_kib"]))
        t += "| %s | " % "{:,}".format(int(n)) + " | ".join(cells) + " |\n"
    out.append(t)
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    ap.add_argument("--out", required=True, help="path prefix for .md and .svg")
    ap.add_argument("--readme")
    ap.add_argument("--scaling", action="store_true", help="the report of a SCALING=1 run")
    a = ap.parse_args()
    if a.scaling:
        meta = read_kv(os.path.join(a.raw, "meta.txt"))
        servers = [s for s in SERVERS if s in meta.get("servers", "").split()]
        raw_rel = os.path.relpath(a.raw, os.path.dirname(a.out))
        with open(a.out + ".md", "w") as f:
            f.write("# Weft scaling: %s, JDK %s\n\n" % (meta.get("date", "?")[:10], meta.get("jdk", "?")))
            f.write(scaling_markdown(a.raw, meta, servers))
            f.write("\nRaw outputs: [%s](%s).\n" % (raw_rel, raw_rel))
        return
    meta, servers, data = collect(a.raw)
    if not servers:
        sys.exit("no results in " + a.raw)
    svg_name = os.path.basename(a.out) + ".svg"
    body, w, idle, start = markdown(meta, servers, data, svg_name)
    raw_rel = os.path.relpath(a.raw, os.path.dirname(a.out))
    with open(a.out + ".md", "w") as f:
        f.write("# Weft benchmark results: %s, JDK %s\n\n" % (meta.get("date", "?")[:10], meta.get("jdk", "?")))
        f.write(body)
        f.write("\nRaw wrk, client and server outputs: [%s](%s).\n" % (raw_rel, raw_rel))
    with open(a.out + ".svg", "w") as f:
        f.write(svg_chart(meta, servers, w, idle, start))
    if a.readme and os.path.exists(a.readme):
        with open(a.readme) as f:
            readme = f.read()
        start_m, end_m = "<!-- results:start -->", "<!-- results:end -->"
        if start_m in readme and end_m in readme:
            rel = os.path.relpath(a.out, os.path.dirname(a.readme))
            section = body.replace("![chart](%s)" % svg_name, "![chart](%s.svg)" % rel)
            section += "\nFull table and raw outputs: [%s.md](%s.md).\n" % (rel, rel)
            pre, rest = readme.split(start_m, 1)
            _, post = rest.split(end_m, 1)
            with open(a.readme, "w") as f:
                f.write(pre + start_m + "\n" + section + "\n" + end_m + post)


if __name__ == "__main__":
    main()
