#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise a bench output directory: results.json (runs, ratios, goals,
memory per stream) and bench.png. Usage: report.py OUTDIR"""
import json
import os
import re
import sys


def load(outdir):
    env, runs = {}, []
    with open(os.path.join(outdir, "results.jsonl")) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except ValueError:
                print("report: bad line: " + line[:120], file=sys.stderr)
                continue
            if r.get("kind") == "env":
                env = r
            elif r.get("kind") == "run":
                runs.append(r)
    return env, runs


def host_cpu(outdir, runs):
    """Attach the host CPU time of the vCPU threads (hostcpu.py) to each run:
    host.vcpu1_s is what the relaying vCPU really got during the window, and
    in_per_vcpu_s = input packets relayed per second of it: the rate with
    the host's load taken out."""
    path = os.path.join(outdir, "hostcpu.jsonl")
    if not os.path.exists(path):
        return False
    marks, vcpus = {}, None
    with open(path) as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if "mark" not in r:
                continue
            cpu = {int(k): v for k, v in r["cpu_ns"].items()}
            if vcpus is None:
                tids = sorted(cpu)
                if len(tids) < 4:
                    return False
                vcpus = (tids[2], tids[3])
            marks[r["mark"]] = (r["t"], cpu)
    found = False
    for r in runs:
        a, b = marks.get("%s start" % r.get("id")), marks.get("%s end" % r.get("id"))
        if not (a and b) or vcpus[1] not in a[1] or vcpus[1] not in b[1]:
            continue
        wall = b[0] - a[0]
        v0 = (b[1].get(vcpus[0], 0) - a[1].get(vcpus[0], 0)) / 1e9
        v1 = (b[1][vcpus[1]] - a[1][vcpus[1]]) / 1e9
        r["host"] = {"wall_s": round(wall, 3), "vcpu0_s": round(v0, 3), "vcpu1_s": round(v1, 3),
                     "vcpu1_share": round(v1 / wall, 3) if wall > 0 else None}
        if v1 > 0.05:
            r["in_per_vcpu_s"] = round(r["out_packets"] / r["outputs"] / v1)
            found = True
    return found


def mem_snapshot(path):
    meminfo, slabs = {}, {}
    section = None
    with open(path) as f:
        for line in f:
            if line.startswith("## "):
                section = line[3:].strip()
                continue
            if section == "meminfo":
                m = re.match(r"(\S+):\s+(\d+)", line)
                if m:
                    meminfo[m.group(1)] = int(m.group(2)) * 1024
            elif section == "slabinfo" and not line.startswith(("slabinfo", "#")):
                p = line.split()
                if len(p) > 3:
                    slabs[p[0]] = int(p[2]) * int(p[3])  # num_objs * objsize
    return meminfo, slabs


def mem_delta(outdir, before, after, n):
    a = os.path.join(outdir, "mem-%s.txt" % before)
    b = os.path.join(outdir, "mem-%s.txt" % after)
    if not (os.path.exists(a) and os.path.exists(b)):
        return None
    (m0, s0), (m1, s1) = mem_snapshot(a), mem_snapshot(b)
    d = {k: m1.get(k, 0) - m0.get(k, 0) for k in
         ("Slab", "SUnreclaim", "SReclaimable", "Percpu", "VmallocUsed", "KernelStack",
          "MemFree", "MemAvailable")}
    caches = {k: s1.get(k, 0) - s0.get(k, 0) for k in set(s0) | set(s1)}
    top = sorted(((v, k) for k, v in caches.items() if v), reverse=True)[:12]
    kernel = d["SUnreclaim"] + d["Percpu"] + d["VmallocUsed"]
    return {
        "objects": n,
        "delta_bytes": d,
        "kernel_bytes_per_object": round(kernel / n),
        "slab_bytes_per_object": round(d["Slab"] / n),
        "memfree_drop_per_object": round(-d["MemFree"] / n),
        "top_slab_caches_bytes": {k: v for v, k in top},
        "note": "kernel = SUnreclaim + Percpu + VmallocUsed deltas",
    }


METRIC = "in_pps"


def point(runs, path, suite, streams, outputs):
    """The best run of a point: on a shared host noise only slows runs down
    (a vCPU not scheduled for seconds shows as a window with nothing in it).
    Ranked by METRIC: in_per_vcpu_s when the host CPU times are there."""
    best = None
    for r in runs:
        if (r["path"], r["suite"], r["streams"], r["outputs"]) == (path, suite, streams, outputs):
            if r.get(METRIC) is None:
                continue
            if best is None or r[METRIC] > best[METRIC]:
                best = r
    return best


def main():
    outdir = sys.argv[1]
    global METRIC
    env, runs = load(outdir)
    if host_cpu(outdir, runs):
        METRIC = "in_per_vcpu_s"
    suites = sorted({r["suite"] for r in runs})
    outs_list = sorted({r["outputs"] for r in runs if r["streams"] == 1})
    streams_list = sorted({r["streams"] for r in runs})
    summary = {"env": env, "runs": runs, "suites": {}, "memory": {},
               "metric": METRIC,
               "metric_note": ("input packets relayed per second of host CPU time of vCPU 1 "
                               "(receive + relay work)" if METRIC == "in_per_vcpu_s" else
                               "input packets relayed per wall-clock second")}
    for s in suites:
        ss = {"by_outputs": {}, "by_streams": {}, "goals": {}}
        for o in outs_list:
            row = {}
            for p in ("kernel", "evp", "libsrtp"):
                r = point(runs, p, s, 1, o)
                if r:
                    row[p] = r[METRIC]
                    row[p + "_in_pps"] = r["in_pps"]
                    row[p + "_out_pps"] = r["out_pps"]
                    if "host" in r:
                        row[p + "_vcpu1_share"] = r["host"]["vcpu1_share"]
            if row.get("evp") and row.get("kernel"):
                row["kernel_vs_evp"] = round(row["kernel"] / row["evp"], 2)
            if row.get("libsrtp") and row.get("kernel"):
                row["kernel_vs_libsrtp"] = round(row["kernel"] / row["libsrtp"], 2)
            if row.get("evp_in_pps") and row.get("kernel_in_pps"):
                row["kernel_vs_evp_wall"] = round(row["kernel_in_pps"] / row["evp_in_pps"], 2)
            ss["by_outputs"][str(o)] = row
        for n in streams_list:
            row = {}
            for p in ("kernel", "evp", "libsrtp"):
                r = point(runs, p, s, n, 1)
                if r:
                    row[p] = r[METRIC]
                    row[p + "_in_pps"] = r["in_pps"]
            ss["by_streams"][str(n)] = row
        g = ss["goals"]
        bo = ss["by_outputs"]
        if "1" in bo and "kernel_vs_evp" in bo["1"]:
            g["kernel_vs_evp_1_output"] = {"measured": bo["1"]["kernel_vs_evp"], "goal": 1.5,
                                           "met": bo["1"]["kernel_vs_evp"] >= 1.5}
        if "16" in bo and "kernel_vs_evp" in bo["16"]:
            g["kernel_vs_evp_16_outputs"] = {"measured": bo["16"]["kernel_vs_evp"], "goal": 2.0,
                                             "met": bo["16"]["kernel_vs_evp"] >= 2.0}
        # Cost of one extra output relative to a one-output packet: time per
        # input packet t(n) = 1/in_pps(n); (t(n) - t(1)) / (n - 1) / t(1).
        costs = {}
        for p in ("kernel", "evp", "libsrtp"):
            r1 = point(runs, p, s, 1, 1)
            for o in outs_list:
                rn = point(runs, p, s, 1, o)
                if o > 1 and r1 and rn and r1[METRIC] and rn[METRIC]:
                    t1, tn = 1 / r1[METRIC], 1 / rn[METRIC]
                    costs.setdefault(p, {})[str(o)] = round((tn - t1) / (o - 1) / t1, 3)
        ss["extra_output_cost"] = costs
        if "kernel" in costs:
            worst = max(costs["kernel"].values())
            g["kernel_extra_output_cost"] = {"measured_max": worst, "goal": 0.40,
                                             "met": worst <= 0.40}
        k = [ss["by_streams"][str(n)].get("kernel") for n in streams_list]
        k = [x for x in k if x]
        if len(k) >= 2:
            spread = 1 - min(k) / max(k)
            g["kernel_stream_scaling"] = {"measured_spread": round(spread, 3), "goal": 0.15,
                                          "met": spread <= 0.15}
        summary["suites"][s] = ss
    # Snapshots around the 1,000-stream kernel runs (guest.sh): before,
    # after 1,000 outputs, after 1,000 streams (one output each).
    for s in suites:
        for name, (a, b) in {"output": ("base", "outputs1000"),
                             "stream": ("outputs1000", "streams1000"),
                             "stream_with_its_output": ("base", "streams1000")}.items():
            d = mem_delta(outdir, "%s-%s" % (s, a), "%s-%s" % (s, b), 1000)
            if d:
                summary["memory"].setdefault(s, {})[name] = d
    goal = {}
    for s, m in summary["memory"].items():
        if "stream" in m:
            goal[s] = {"kernel_bytes_per_stream": m["stream"]["kernel_bytes_per_object"],
                       "kernel_bytes_per_stream_with_output":
                           m.get("stream_with_its_output", {}).get("kernel_bytes_per_object"),
                       "goal": 16384, "met": m["stream"]["kernel_bytes_per_object"] <= 16384}
    if goal:
        summary["memory_goal"] = goal
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    print(json.dumps({s: {"by_outputs": v["by_outputs"], "by_streams": v["by_streams"],
                          "goals": v["goals"], "extra_output_cost": v["extra_output_cost"]}
                      for s, v in summary["suites"].items()}, indent=1))
    if "memory_goal" in summary:
        print(json.dumps(summary["memory_goal"]))
    plot(outdir, summary, outs_list, streams_list)
    return 0


def plot(outdir, summary, outs_list, streams_list):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report: no matplotlib, no plot", file=sys.stderr)
        return
    suites = list(summary["suites"])
    if not suites:
        return
    ylabel = ("input packets per vCPU-second" if summary["metric"] == "in_per_vcpu_s"
              else "input packets/s relayed")
    fig, axes = plt.subplots(2, len(suites), figsize=(6 * len(suites), 8), squeeze=False)
    styles = {"kernel": ("herald.ko", "o-"), "evp": ("relay on OpenSSL EVP", "s--"),
              "libsrtp": ("relay on libsrtp2", "^:")}
    for i, s in enumerate(suites):
        ss = summary["suites"][s]
        ax = axes[0][i]
        for p, (label, st) in styles.items():
            xs = [o for o in outs_list if ss["by_outputs"][str(o)].get(p)]
            ax.plot(xs, [ss["by_outputs"][str(o)][p] for o in xs], st, label=label)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(outs_list)
        ax.set_xticklabels([str(o) for o in outs_list])
        ax.set_xlabel("outputs per stream (1 stream)")
        ax.set_ylabel(ylabel)
        ax.set_title(s)
        ax.grid(True, alpha=0.3)
        ax.legend()
        ax = axes[1][i]
        for p, (label, st) in styles.items():
            xs = [n for n in streams_list if ss["by_streams"][str(n)].get(p)]
            ax.plot(xs, [ss["by_streams"][str(n)][p] for n in xs], st, label=label)
        ax.set_xscale("log")
        ax.set_xlabel("concurrent streams (1 output each)")
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend()
    env = summary.get("env", {})
    fig.suptitle("herald bench, guest %s (QEMU TCG: compare ratios, not absolute rates)"
                 % env.get("kernel", "?"))
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, "bench.png"), dpi=100)


if __name__ == "__main__":
    sys.exit(main())
