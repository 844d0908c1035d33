#!/usr/bin/env python3
"""Topology benchmark (issue 5): netns against the floor and against iproute2.

  bench/topo.py [--sizes 100,1000,4000] [--shapes chain,star,fabric] [--repeat 3]
                [--ip-max 1000] [--quick]

For every shape and size, in one run on one machine, it measures:
  floor      the team's reference C program (shared/bench/floor-chain.c): one
             process, sequential libmnl requests; its up time for an N-node
             chain is the floor for N namespaces, its down the teardown floor
  netns      `netns up FILE`, `netns check` (a sample of pairs), `netns down`
  ip-batch   `ip -batch` for namespaces and veths, then `ip -n NS -batch` per
             namespace (sizes up to --ip-max)
  ip-script  one `ip` process per command (chain only, up to --ip-max)
and prints seconds, ratios to the floor and to netns, and netns's peak RSS.
Medians of --repeat runs where a run takes under 5 s, single runs above.
Root only; every name starts with the prefix "bz".
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
NETNS = os.environ.get("NETNS", os.path.join(BUILD, "netns"))
BENCH_BUILD = os.path.join(BUILD, "bench")
PREFIX = "bz"


def sh(cmd, check=True):
    return subprocess.run(cmd, shell=True, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def timed(argv, cwd=None):
    """Wall seconds and peak RSS (KiB) of one run; raises on failure."""
    t0 = time.monotonic()
    p = subprocess.run([os.path.join(BENCH_BUILD, "spawn-rss")] + argv, cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    dt = time.monotonic() - t0
    code, kib = map(int, p.stdout.split())
    if code:
        raise RuntimeError(f"{' '.join(argv)} exited {code}: {p.stderr.strip()[-400:]}")
    return dt, kib


def purge(prefix):
    """Remove every namespace whose name starts with PREFIX (bench's own only)."""
    names = [n for n in os.listdir("/run/netns") if n.startswith(prefix)] \
        if os.path.isdir("/run/netns") else []
    for n in names:
        subprocess.run(["umount", "-l", f"/run/netns/{n}"], stderr=subprocess.DEVNULL)
        try:
            os.unlink(f"/run/netns/{n}")
        except FileNotFoundError:
            pass


def settle():
    """Let the kernel finish asynchronous namespace cleanup between runs."""
    time.sleep(1.0)


def build_helpers():
    os.makedirs(BENCH_BUILD, exist_ok=True)
    floor_src = os.path.join(HERE, "floor-chain.c")
    if not os.path.exists(floor_src):
        floor_src = os.path.join(ROOT, "..", "shared", "bench", "floor-chain.c")
    mnl = sh("pkg-config --cflags --libs libmnl").stdout.strip()
    sh(f"cc -O2 -o {BENCH_BUILD}/floor-chain {floor_src} {mnl}")
    sh(f"cc -O2 -o {BENCH_BUILD}/spawn-rss {HERE}/spawn-rss.c")


def floor(n):
    p = sh(f"{BENCH_BUILD}/floor-chain {n} {PREFIX}f")
    f = dict(kv.split("=") for kv in p.stdout.split()[:3])
    return float(f["up"]), float(f["down"])


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def run_netns(shape, n, workdir, repeat):
    lab = f"{PREFIX}{shape[0]}{n}"
    d = os.path.join(workdir, f"{shape}-{n}")
    sh(f"{HERE}/gen-topo.py {shape} {n} {lab} {d}")
    ups, downs, checks, rss = [], [], [], 0
    for i in range(repeat):
        up, kib = timed([NETNS, "up", os.path.join(d, "lab.yaml")])
        rss = max(rss, kib)
        ups.append(up)
        if i == 0:
            checks.append(timed([NETNS, "check", lab] + check_args(shape, n))[0])
        downs.append(timed([NETNS, "down", lab])[0])
        settle()
        if up > 5:
            break
    return median(ups), median(downs), median(checks), rss


def check_args(shape, n):
    # Large labs: a sample of pairs, not the full N^2 matrix.
    if shape == "chain":
        return ["--pairs", f"n0:n{n - 1},n{n - 1}:n0"]
    if shape == "star":
        return ["--sample", "64"]
    return ["--sample", "64"]


def run_ip(shape, n, workdir, style):
    lab = f"{PREFIX}i{shape[0]}{n}"
    d = os.path.join(workdir, f"ip-{shape}-{n}")
    sh(f"{HERE}/gen-topo.py {shape} {n} {lab} {d}")
    if style == "script":
        up, _ = timed(["bash", os.path.join(d, "ip-script.sh")])
    else:
        bd = os.path.join(d, "ip-batch")
        script = "ip -batch root.batch && for f in *.batch; do [ $f = root.batch ] || " \
                 "ip -n ${f%.batch} -batch $f || exit 1; done"
        up, _ = timed(["bash", "-c", script], cwd=bd)
    t0 = time.monotonic()
    names = sorted(x for x in os.listdir("/run/netns") if x.startswith(lab + "-"))
    with tempfile.NamedTemporaryFile("w", suffix=".batch") as f:
        f.write("".join(f"netns del {x}\n" for x in names))
        f.flush()
        sh(f"ip -batch {f.name}")
    down = time.monotonic() - t0
    settle()
    return up, down


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,4000")
    ap.add_argument("--shapes", default="chain,star,fabric")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ip-max", type=int, default=1000)
    ap.add_argument("--quick", action="store_true", help="sizes 100,1000; one run each")
    a = ap.parse_args()
    if a.quick:
        a.sizes, a.repeat = "100,1000", 1
    if os.geteuid() != 0:
        sys.exit("bench/topo.py: needs root")
    build_helpers()
    purge(PREFIX)
    work = tempfile.mkdtemp(prefix="netns-bench-")
    print(f"machine: {os.cpu_count()} cpus, kernel {os.uname().release}, "
          f"{sh('ip -V').stdout.strip()}")
    print(f"{'shape':7} {'N':>5} {'tool':10} {'up s':>8} {'down s':>8} {'check s':>8} "
          f"{'up/floor':>9} {'down/floor':>10} {'ip/netns':>9} {'rss MiB':>8}")
    rows = []
    try:
        for n in map(int, a.sizes.split(",")):
            fup, fdown = floor(n)
            settle()
            print(f"{'chain':7} {n:5} {'floor':10} {fup:8.3f} {fdown:8.3f} {'':>8} "
                  f"{1:9.2f} {1:10.2f}", flush=True)
            for shape in a.shapes.split(","):
                try:
                    up, down, chk, rss = run_netns(shape, n, work, a.repeat)
                except RuntimeError as e:
                    print(f"{shape:7} {n:5} {'netns':10} failed: {e}", flush=True)
                    purge(PREFIX)
                    continue
                print(f"{shape:7} {n:5} {'netns':10} {up:8.3f} {down:8.3f} {chk:8.3f} "
                      f"{up / fup:9.2f} {down / fdown:10.2f} {'':>9} {rss / 1024:8.1f}",
                      flush=True)
                rows.append((shape, n, up))
                for style in ("batch", "script"):
                    if n > a.ip_max or (style == "script" and shape != "chain"):
                        continue
                    try:
                        iup, idown = run_ip(shape, n, work, style)
                    except RuntimeError as e:
                        print(f"{shape:7} {n:5} {'ip-' + style:10} failed: {e}", flush=True)
                        purge(PREFIX)
                        continue
                    print(f"{shape:7} {n:5} {'ip-' + style:10} {iup:8.3f} {idown:8.3f} "
                          f"{'':>8} {iup / fup:9.2f} {idown / fdown:10.2f} {iup / up:9.1f}",
                          flush=True)
    finally:
        purge(PREFIX)
        shutil.rmtree(work, ignore_errors=True)
    print(f"(ip-batch/ip-script only up to N={a.ip_max}; ip-script for chains only: "
          f"one process per command is too slow beyond that)")


main()
