#!/usr/bin/env python3
"""Run a command REPEAT times; print the median wall time and the peak RSS.

  measure.py REPEAT [--setup CMD] [--teardown CMD] -- COMMAND...

Prints one line: "seconds=S cpu=C maxrss_kib=K runs=R" (C: median user+system
CPU seconds of the command itself). SETUP and TEARDOWN run
(untimed, through sh -c) before and after each timed run. Exits non-zero if
any run fails, printing its stderr.
"""
import os
import statistics
import subprocess
import sys
import time


SPAWN_RSS = os.path.join(os.environ.get("BENCH_BUILD", os.path.dirname(__file__) + "/../build/bench"),
                         "spawn-rss")


def main():
    args = sys.argv[1:]
    repeat = int(args.pop(0))
    setup = teardown = None
    while args and args[0] != "--":
        opt = args.pop(0)
        if opt == "--setup":
            setup = args.pop(0)
        elif opt == "--teardown":
            teardown = args.pop(0)
        else:
            sys.exit(__doc__)
    cmd = args[1:]
    times, cpus, rss = [], [], 0
    for _ in range(repeat):
        if setup:
            subprocess.run(setup, shell=True, check=True)
        t0 = time.monotonic()
        # spawn-rss (C) reports the command's own peak RSS, not that of a
        # forked copy of this interpreter.
        p = subprocess.run([SPAWN_RSS] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        times.append(time.monotonic() - t0)
        code, kib, user, system = p.stdout.split()
        code, kib = int(code), int(kib)
        cpus.append(float(user) + float(system))
        rss = max(rss, kib)
        if code != 0:
            sys.stderr.write(p.stderr.decode(errors="replace"))
            sys.exit(f"measure: {' '.join(cmd)} failed with status {code}")
        if teardown:
            subprocess.run(teardown, shell=True, check=True)
    print(f"seconds={statistics.median(times):.3f} cpu={statistics.median(cpus):.3f} "
          f"maxrss_kib={rss} runs={repeat}")


main()
