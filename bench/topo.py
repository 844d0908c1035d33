#!/usr/bin/env python3
"""Topology benchmark (issue 5): netns against the floor and against iproute2.

  bench/topo.py [--sizes 100,1000,4000] [--shapes chain,star,fabric]
                [--repeat 3] [--ip-max 1000] [--script-max 1000] [--quick]
                [--no-verify] [--no-b2b]

`make bench` builds the programs and runs this. For every size N, in one run
on one machine, it measures:
  floor      the team's reference C program (bench/floor-chain.c, a copy of
             shared/bench/floor-chain.c): one process, sequential libmnl
             requests. Its up time for an N-node chain is the floor for N
             namespaces (the star and fabric rows are compared with it too, as
             the issue asks); its teardown is the floor for down.
  netns      `netns up FILE`, `netns check`, `netns down` of the same lab.
  ip-batch   `ip -batch` for namespaces and veths, then one `ip -n NS -batch`
             per namespace (up to --ip-max nodes).
  ip-script  one `ip` process per command (chain only, up to --script-max
             nodes: thousands of processes).
  b2b        `netns up` right after `netns down` of the same lab, without
             waiting for the kernel's asynchronous namespace clean-up.
  mininet    the star only, up to --mininet-max hosts, when Mininet and brctl
             are installed (Debian packages mininet, bridge-utils): Linux-bridge
             switch, no controller, run inside a namespace of its own (bzmn) so
             its switch and ports never touch the machine's root namespace.
             Its own timer around build+start and stop (bench/mininet-star.py).
The floor and the three netns shapes run in turn, --repeat rounds (one round
when a run takes over 5 s), and seconds are the medians; b2b, Mininet and ip
are single runs;
cpu is the user+system CPU time of the command itself (kernel work done on
its behalf by kernel threads is not in it); rss is its peak RSS.

Before timing anything it checks, on small labs, that the ip variants build
the same network as netns (addresses, routes, link state and masters of every
namespace compared) and that `netns check` passes on each of them.
Root only; every name starts with the prefix "bz".
"""
import argparse
import json
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
SLOW = 5.0  # runs longer than this are not repeated


def sh(cmd, check=True, cwd=None):
    return subprocess.run(cmd, shell=True, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, cwd=cwd)


class Run:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one command."""

    def __init__(self, argv, cwd=None):
        t0 = time.monotonic()
        p = subprocess.run([os.path.join(BENCH_BUILD, "spawn-rss")] + argv, cwd=cwd,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.wall = time.monotonic() - t0
        code, kib, user, system = p.stdout.split()
        if int(code):
            raise RuntimeError(f"{' '.join(argv)} exited {code}: {p.stderr.strip()[-400:]}")
        self.rss, self.cpu = int(kib), float(user) + float(system)


def load():
    return open("/proc/loadavg").read().split()[0]


def kernel_busy(window=0.25):
    """Fraction of one CPU spent in the kernel (system+irq+softirq) over WINDOW."""
    def sample():
        f = open("/proc/stat").readline().split()
        return int(f[3]) + int(f[6]) + int(f[7])
    a = sample()
    time.sleep(window)
    return (sample() - a) / os.sysconf("SC_CLK_TCK") / window


def settle(n):
    """Wait for the kernel's asynchronous clean-up of deleted namespaces: until
    it uses under a fifth of a CPU, 0.5 s at least, 3 s + 1 ms per namespace at
    most (other engineers' work may keep the kernel busy)."""
    t0 = time.monotonic()
    time.sleep(0.5)
    while time.monotonic() - t0 < 3 + n / 1000 and kernel_busy() > 0.2:
        pass


def purge(prefix):
    """Remove every namespace whose name starts with PREFIX (the bench's own only)."""
    names = [n for n in os.listdir("/run/netns") if n.startswith(prefix)] \
        if os.path.isdir("/run/netns") else []
    for n in names:
        subprocess.run(["umount", "-l", f"/run/netns/{n}"], stderr=subprocess.DEVNULL)
        try:
            os.unlink(f"/run/netns/{n}")
        except FileNotFoundError:
            pass
    for lab in os.listdir("/run/netns-labs") if os.path.isdir("/run/netns-labs") else []:
        if lab.startswith(prefix):
            subprocess.run([NETNS, "down", lab], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def generate(shape, n, lab, workdir):
    d = os.path.join(workdir, lab)
    sh(f"{HERE}/gen-topo.py {shape} {n} {lab} {d}")
    return d


def nodes_of(shape, n):
    return {"chain": n, "star": n + 1, "fabric": n + (n + 39) // 40 + 4}[shape]


def check_args(shape, n):
    if shape == "chain":  # the two end links: a chain of N nodes has no end-to-end route
        return [["--from", f"n0,n1", "--to", f"n0,n1"],
                ["--from", f"n{n - 2},n{n - 1}", "--to", f"n{n - 2},n{n - 1}"]]
    return [["--sample", "64"]]  # 64 pseudo-random pairs, the same every run


def run_check(lab_or_file, shape, n):
    total = 0.0
    for args in check_args(shape, n):
        total += Run([NETNS, "check", lab_or_file] + args).wall
    return total


# ---- the ip variants -------------------------------------------------------

def ip_up(d, style):
    if style == "script":
        return Run(["bash", os.path.join(d, "ip-script.sh")])
    script = "ip -batch root.batch && for f in *.batch; do [ $f = root.batch ] || " \
             "ip -n ${f%.batch} -batch $f || exit 1; done"
    return Run(["bash", "-c", script], cwd=os.path.join(d, "ip-batch"))


def ip_down(lab):
    names = sorted(x for x in os.listdir("/run/netns") if x.startswith(lab + "-"))
    with tempfile.NamedTemporaryFile("w", suffix=".batch") as f:
        f.write("".join(f"netns del {x}\n" for x in names))
        f.flush()
        return Run(["ip", "-batch", f.name])


# ---- equivalence of the variants -------------------------------------------

def snapshot(lab):
    """Addresses, routes, state and masters of every namespace of LAB, without
    what differs between two equal builds (ifindexes, MACs, ids, aliases)."""
    out = {}
    for ns in sorted(x for x in os.listdir("/run/netns") if x.startswith(lab + "-")):
        node = ns[len(lab) + 1:]
        links = []
        for l in json.loads(sh(f"ip -n {ns} -j -d addr show").stdout):
            links.append((l["ifname"], "UP" in l["flags"], l.get("mtu"), l.get("master"),
                          l.get("linkinfo", {}).get("info_kind"),
                          sorted((a["family"], a["local"], a["prefixlen"])
                                 for a in l.get("addr_info", []))))
        routes = []
        for fam in ("-4", "-6"):
            for r in json.loads(sh(f"ip -n {ns} -j {fam} route show table all").stdout):
                routes.append((r.get("dst"), r.get("gateway"), r.get("dev"), r.get("type"),
                               r.get("table")))
        fwd = sh(f"ip netns exec {ns} cat /proc/sys/net/ipv4/ip_forward").stdout.strip()
        out[node] = (sorted(links, key=str), sorted(routes, key=str), fwd)
    return out


def verify(workdir):
    """Build each shape small with netns, ip -batch and the ip script; same
    network each time, and `netns check` passes on every one."""
    for shape, n in (("chain", 12), ("star", 12), ("fabric", 100)):
        snaps = {}
        for tool in ("netns", "ip-batch", "ip-script"):
            lab = f"{PREFIX}v{shape[0]}"
            d = generate(shape, n, lab, workdir)
            yaml = os.path.join(d, "lab.yaml")
            if tool == "netns":
                Run([NETNS, "up", yaml])
            else:
                ip_up(d, tool[3:])
            try:
                run_check(yaml, shape, n)  # raises if a pair does not answer
                snaps[tool] = snapshot(lab)
            finally:
                if tool == "netns":
                    Run([NETNS, "down", lab])
                else:
                    ip_down(lab)
        ok = snaps["netns"] == snaps["ip-batch"] == snaps["ip-script"]
        naddr = sum(len(a[5]) for s in snaps["netns"].values() for a in s[0])
        print(f"verify {shape:6} N={n}: netns, ip-batch and ip-script build "
              f"{'the same' if ok else 'DIFFERENT'} network ({len(snaps['netns'])} namespaces, "
              f"{naddr} addresses); netns check passes on each", flush=True)
        if not ok:
            for node in snaps["netns"]:
                for tool in ("ip-batch", "ip-script"):
                    if snaps[tool].get(node) != snaps["netns"][node]:
                        print(f"  {node}: netns {snaps['netns'][node]}\n  {node}: {tool} "
                              f"{snaps[tool].get(node)}")
                        break
            sys.exit("bench/topo.py: the ip commands do not build what netns builds")


# ---- timing -----------------------------------------------------------------

class Row:
    def __init__(self, shape, n, tool, up, down=None, check=None, cpu=None, rss=None,
                 note=""):
        self.shape, self.n, self.tool = shape, n, tool
        self.up, self.down, self.check, self.cpu, self.rss, self.note = \
            up, down, check, cpu, rss, note


def fmt(x, spec):
    return format(x, spec) if x is not None else "-".rjust(int(spec.split(".")[0]))


class Samples:
    """Runs of one tool at one size, reduced to a Row of medians."""

    def __init__(self, shape, n, tool):
        self.shape, self.n, self.tool = shape, n, tool
        self.ups, self.downs, self.cpus, self.rss, self.check = [], [], [], 0, None

    def row(self):
        return Row(self.shape, self.n, self.tool, median(self.ups), median(self.downs),
                   self.check, median(self.cpus) if self.cpus else None, self.rss or None)


def floor_once(n, s):
    p = sh(f"{BENCH_BUILD}/floor-chain {n} {PREFIX}f")
    f = dict(kv.split("=") for kv in p.stdout.split()[:3])
    s.ups.append(float(f["up"]))
    s.downs.append(float(f["down"]))
    settle(n)


def netns_once(shape, n, yaml, s):
    lab = f"{PREFIX}{shape[0]}{n}"
    up = Run([NETNS, "up", yaml])
    s.ups.append(up.wall)
    s.cpus.append(up.cpu)
    s.rss = max(s.rss, up.rss)
    if s.check is None:
        s.check = run_check(lab, shape, n)
    s.downs.append(Run([NETNS, "down", lab]).wall)
    settle(nodes_of(shape, n))


def interleaved(n, shapes, workdir, repeat):
    """The floor and netns of every shape in turn, REPEAT rounds: the load of
    a shared machine then weighs on all of them alike."""
    yaml = {sh_: os.path.join(generate(sh_, n, f"{PREFIX}{sh_[0]}{n}", workdir), "lab.yaml")
            for sh_ in shapes}
    fl = Samples("chain", n, "floor")
    runs = {sh_: Samples(sh_, n, "netns") for sh_ in shapes}
    for _ in range(repeat):
        floor_once(n, fl)
        for shape in shapes:
            if runs[shape] is not None:
                try:
                    netns_once(shape, n, yaml[shape], runs[shape])
                except RuntimeError as e:
                    print(f"{shape:7} {n:5} netns failed: {e}", flush=True)
                    purge(PREFIX)
                    runs[shape] = None
        if max([fl.ups[-1]] + [r.ups[-1] for r in runs.values() if r and r.ups]) > SLOW:
            break
    return fl.row(), {k: v.row() for k, v in runs.items() if v and v.ups}


def run_b2b(shape, n, workdir):
    """up, down, and at once up again: the second up meets the kernel still
    cleaning the first lab's namespaces."""
    lab = f"{PREFIX}{shape[0]}{n}"
    yaml = os.path.join(generate(shape, n, lab, workdir), "lab.yaml")
    Run([NETNS, "up", yaml])
    down = Run([NETNS, "down", lab])
    up = Run([NETNS, "up", yaml])
    Run([NETNS, "down", lab])
    settle(nodes_of(shape, n))
    return Row(shape, n, "b2b", up.wall, down.wall, cpu=up.cpu, rss=up.rss,
               note="up right after down")


def run_ip(shape, n, workdir, style):
    lab = f"{PREFIX}i{shape[0]}{n}"
    d = generate(shape, n, lab, workdir)
    up = ip_up(d, style)
    down = ip_down(lab)
    settle(nodes_of(shape, n))
    return Row(shape, n, "ip-" + style, up.wall, down.wall, cpu=up.cpu,
               note="cpu: ip and its shell")


def mininet_missing():
    if not os.path.exists("/usr/lib/python3/dist-packages/mininet/net.py"):
        return "Debian package mininet not installed"
    if not shutil.which("brctl"):
        return "brctl (bridge-utils) missing: Mininet's Linux bridge needs it"
    return None


def run_mininet(n):
    sh("ip netns add bzmn && ip -n bzmn link set lo up")
    try:
        p = sh(f"ip netns exec bzmn /usr/bin/python3 {HERE}/mininet-star.py {n}", cwd="/tmp")
    finally:
        sh("ip netns del bzmn", check=False)
    f = dict(kv.split("=") for kv in p.stdout.split())
    if float(f["ping_loss"]):
        raise RuntimeError("mininet: first and last host do not ping")
    settle(n)
    return Row("star", n, "mininet", float(f["up"]), float(f["down"]),
               note="Linux bridge; its hosts keep IPv6 link-local")


def header():
    print(f"{'shape':7} {'N':>5} {'nodes':>5} {'tool':10} {'up s':>7} {'down s':>7} "
          f"{'check s':>7} {'cpu s':>6} {'rss MiB':>7} {'up/floor':>8} {'down/fl':>7} "
          f"{'x netns':>7}  note", flush=True)


def show(r, fl, netns):
    ratio = lambda a, b: f"{a / b:.2f}" if a is not None and b else "-"
    xn = ratio(r.up, netns.up) if netns and r.tool not in ("floor", "netns", "b2b") else "-"
    print(f"{r.shape:7} {r.n:5} {nodes_of(r.shape, r.n):5} {r.tool:10} {fmt(r.up, '7.3f')} "
          f"{fmt(r.down, '7.3f')} {fmt(r.check, '7.3f')} {fmt(r.cpu, '6.2f')} "
          f"{fmt(r.rss and r.rss / 1024, '7.1f')} {ratio(r.up, fl.up):>8} "
          f"{ratio(r.down, fl.down):>7} {xn:>7}  {r.note}", flush=True)


def targets(rows):
    """The issue's targets, each with its ratio from this run."""
    get = lambda shape, n, tool: next((r for r in rows if (r.shape, r.n, r.tool) ==
                                       (shape, n, tool)), None)
    out = []

    def target(what, a, b, limit, higher=False, attr="up", battr="up"):
        if a is None or b is None:
            out.append(f"  {what}: not measured in this run")
            return
        x = getattr(a, attr) / getattr(b, battr)
        ok = x >= limit if higher else x <= limit
        out.append(f"  {what}: {x:.2f} ({'>=' if higher else '<='} {limit}) "
                   f"{'met' if ok else 'MISSED'}")

    fl1k, fl4k = get("chain", 1000, "floor"), get("chain", 4000, "floor")
    target("chain 1000 up / floor up", get("chain", 1000, "netns"), fl1k, 1.25)
    target("chain 1000 ip-script up / netns up", get("chain", 1000, "ip-script"),
           get("chain", 1000, "netns"), 10, higher=True)
    target("chain 1000 down / floor down", get("chain", 1000, "netns"), fl1k, 1.5,
           attr="down", battr="down")
    target("star 1000 up / floor up (1000 namespaces)", get("star", 1000, "netns"), fl1k, 1.5)
    target("fabric 1000 hosts up / floor up (1000 namespaces)", get("fabric", 1000, "netns"),
           fl1k, 1.5)
    target("chain 4000 up / floor up", get("chain", 4000, "netns"), fl4k, 1.25)
    cpu = [(r.n, r.cpu) for r in rows if r.shape == "chain" and r.tool == "netns"]
    if len(cpu) > 1:
        out.append("  netns up cpu per node, chain: " +
                   ", ".join(f"N={n}: {c / n * 1e3:.2f} ms" for n, c in cpu) +
                   " (linear growth: constant per node)")
    big = [r for r in rows if r.tool == "netns" and r.n == 4000]
    if big:
        m = max(r.rss for r in big) / 1024
        out.append(f"  peak RSS of up at N=4000: {m:.1f} MiB (<= 64) {'met' if m <= 64 else 'MISSED'}")
    print("targets (ratios from this run):")
    print("\n".join(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,4000")
    ap.add_argument("--shapes", default="chain,star,fabric")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ip-max", type=int, default=1000, help="largest N for ip -batch")
    ap.add_argument("--script-max", type=int, default=1000, help="largest N for the ip script")
    ap.add_argument("--mininet-max", type=int, default=1000, help="largest N for Mininet")
    ap.add_argument("--quick", action="store_true", help="sizes 100,1000; one run each")
    ap.add_argument("--no-verify", action="store_true")
    ap.add_argument("--no-b2b", action="store_true")
    a = ap.parse_args()
    if a.quick:
        a.sizes, a.repeat = "100,1000", 1
    if os.geteuid() != 0:
        sys.exit("bench/topo.py: needs root")
    for prog in ("floor-chain", "spawn-rss"):
        if not os.path.exists(os.path.join(BENCH_BUILD, prog)):
            sys.exit(f"bench/topo.py: {BENCH_BUILD}/{prog} missing: run `make bench`")
    purge(PREFIX)
    sh("ip netns del bzmn", check=False)
    work = tempfile.mkdtemp(prefix="netns-bench-")
    fs = sh("findmnt -n -o FSTYPE -T /run/netns", check=False).stdout.strip() or "?"
    print(f"machine: {os.cpu_count()} cpus, kernel {os.uname().release}, /run/netns on {fs}, "
          f"{sh('ip -V').stdout.strip()}, load {load()} at start", flush=True)
    mn = mininet_missing()
    print(f"mininet: {'not measured: ' + mn if mn else f'star up to N={a.mininet_max}'}")
    rows = []
    try:
        if not a.no_verify:
            verify(work)
        header()
        for n in map(int, a.sizes.split(",")):
            shapes = [x for x in a.shapes.split(",") if x != "star" or n <= 1023]
            if len(shapes) < len(a.shapes.split(",")):
                print(f"star    {n:5} not run: a Linux bridge takes at most 1023 ports",
                      flush=True)
            fl, netns = interleaved(n, shapes, work, a.repeat)
            rows.append(fl)
            show(fl, fl, None)
            for shape in shapes:
                r = netns.get(shape)
                if not r:
                    continue
                rows.append(r)
                show(r, fl, None)
                if not a.no_b2b and shape == "chain" and n >= 1000:
                    rows.append(run_b2b(shape, n, work))
                    show(rows[-1], fl, None)
                if shape == "star" and not mn and n <= a.mininet_max:
                    try:
                        rows.append(run_mininet(n))
                        show(rows[-1], fl, r)
                    except (RuntimeError, subprocess.CalledProcessError) as e:
                        print(f"star    {n:5} mininet failed: {e}", flush=True)
                for style, limit in (("batch", a.ip_max), ("script", a.script_max)):
                    if n > limit or (style == "script" and shape != "chain"):
                        continue
                    try:
                        rows.append(run_ip(shape, n, work, style))
                        show(rows[-1], fl, r)
                    except RuntimeError as e:
                        print(f"{shape:7} {n:5} ip-{style} failed: {e}", flush=True)
                        purge(PREFIX)
    finally:
        purge(PREFIX)
        shutil.rmtree(work, ignore_errors=True)
    print(f"(ip-batch up to N={a.ip_max}, ip-script for chains up to N={a.script_max}: one "
          f"process per command takes minutes beyond; load {load()} at end)")
    targets(rows)


main()
