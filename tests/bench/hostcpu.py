#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host CPU time of the guest's vCPUs around each measurement window.

    hostcpu.py OUTDIR

Started by tests/bench/run.sh next to tests/vm/run.sh. Finds the QEMU
process of this run (its command line holds "vm_out=OUTDIR"), then watches
OUTDIR/window, which the guest's sampler (bench-ctl sample) rewrites at the
start ("N start") and end ("N end") of window N. At every change it appends
one JSON line to OUTDIR/hostcpu.jsonl: the mark, the host's monotonic time
and the run time (ns, /proc/PID/task/TID/schedstat) of every QEMU thread.
Exits when QEMU does.

Why: under TCG on a shared host, a vCPU gets whatever CPU time the host
scheduler leaves it, so packets per wall-clock second measure the host's
load as much as the code. Packets per second of the relaying vCPU's own
host CPU time do not (report.py: "per_vcpu_s").
"""
import json
import os
import sys
import time


def find_qemu(outdir, deadline):
    key = ("vm_out=" + outdir).encode()
    while time.monotonic() < deadline:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    cmd = f.read()
            except OSError:
                continue
            if cmd.startswith(b"qemu-system") and key in cmd:
                return int(pid)
        time.sleep(0.5)
    return None


def threads(pid):
    out = {}
    base = "/proc/%d/task" % pid
    for tid in os.listdir(base):
        try:
            with open("%s/%s/schedstat" % (base, tid)) as f:
                out[int(tid)] = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return out


def main():
    outdir = os.path.realpath(sys.argv[1])
    pid = find_qemu(outdir, time.monotonic() + 600)
    if pid is None:
        print("hostcpu: no QEMU for " + outdir, file=sys.stderr)
        return 1
    marker = os.path.join(outdir, "window")
    last = None
    with open(os.path.join(outdir, "hostcpu.jsonl"), "a") as log:
        # report.py takes the vCPU threads to be the third and fourth
        # lowest TIDs: MTTCG starts one thread per vCPU, in vCPU order,
        # right after the main and RCU threads, before the guest runs.
        log.write(json.dumps({"pid": pid}) + "\n")
        log.flush()
        while os.path.exists("/proc/%d" % pid):
            try:
                with open(marker) as f:
                    mark = f.read().strip()
            except OSError:
                mark = None
            if mark and mark != last:
                now = time.monotonic()
                log.write(json.dumps({"mark": mark, "t": now, "cpu_ns": threads(pid)}) + "\n")
                log.flush()
                last = mark
            time.sleep(0.01)
    return 0


if __name__ == "__main__":
    sys.exit(main())
