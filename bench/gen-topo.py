#!/usr/bin/env python3
"""Generate benchmark topologies: the netns YAML file and the equivalent
iproute2 commands, from one model so both build the same network.

  gen-topo.py SHAPE N LAB OUTDIR

SHAPE: chain (N nodes, N-1 /31 links: the floor's work, plus a default
route on each end node so `netns check` can probe the two end links), star
(one bridge, N hosts in one subnet), fabric (leaf-spine, N hosts, 40 per
leaf, 4 spines, routes so every node reaches every address). Writes
OUTDIR/lab.yaml, OUTDIR/ip-script.sh (one `ip` process per command) and
OUTDIR/ip-batch/ (root.batch for `ip -batch`, plus NS.batch files run as
`ip -n NS -batch`).

The ip commands build what `netns up` builds, with the same names: lo up
everywhere, a bridge device named after its bridge with ports named after
the host on the other end, and no IPv6 link-local set-up on any interface
(`addrgenmode none` before it goes up; every address here is IPv4), which
is what netns does for interfaces without an IPv6 address.
"""
import ipaddress
import os
import sys


def v4(n):
    return str(ipaddress.IPv4Address(n))


class Model:
    def __init__(self, lab):
        self.lab = lab
        self.nodes = {}      # node -> {"ifaces": {if: [cidr]}, "routes": {dst: gw}, "sysctl": {}}
        self.bridges = []
        self.links = []      # ((node, if), (node|bridge, if|None))

    def node(self, name):
        return self.nodes.setdefault(name, {"ifaces": {}, "routes": {}, "sysctl": {}})

    def p2p(self, a, ia, addr_a, b, ib, addr_b, plen=31):
        self.node(a)["ifaces"][ia] = [f"{addr_a}/{plen}"]
        self.node(b)["ifaces"][ib] = [f"{addr_b}/{plen}"]
        self.links.append(((a, ia), (b, ib)))


def chain(m, n):
    base = 10 << 24
    for i in range(n):
        m.node(f"n{i}")
    for i in range(n - 1):
        m.p2p(f"n{i}", f"r{i}", v4(base + 2 * i), f"n{i+1}", f"l{i+1}", v4(base + 2 * i + 1))
    if n > 1:
        # The ends reach both addresses of their neighbour (no forwarding needed).
        m.node("n0")["routes"]["default"] = v4(base + 1)
        m.node(f"n{n-1}")["routes"]["default"] = v4(base + 2 * (n - 2))


def star(m, n):
    m.bridges.append("sw")
    net = 10 << 24
    for i in range(n):
        h = m.node(f"h{i}")
        h["ifaces"]["eth0"] = [f"{v4(net + i + 1)}/16"]
        m.links.append(((f"h{i}", "eth0"), ("sw", None)))


def fabric(m, hosts):
    spines, per_leaf = 4, 40
    leaves = max(1, (hosts + per_leaf - 1) // per_leaf)
    for s in range(spines):
        m.node(f"s{s}")["sysctl"]["net.ipv4.ip_forward"] = 1
    for l in range(leaves):
        m.node(f"l{l}")["sysctl"]["net.ipv4.ip_forward"] = 1
        for s in range(spines):
            up = (172 << 24) | (16 << 16) | (s << 8) | (2 * l)
            m.p2p(f"l{l}", f"up{s}", v4(up), f"s{s}", f"d{l}", v4(up + 1))
            m.node(f"s{s}")["routes"][f"10.{l + 1}.0.0/16"] = v4(up)
        for o in range(leaves):
            if o != l:
                s = o % spines
                gw = (172 << 24) | (16 << 16) | (s << 8) | (2 * l + 1)
                m.node(f"l{l}")["routes"][f"10.{o + 1}.0.0/16"] = v4(gw)
    # Uplink addresses: spine s owns 172.16.s.0/24 but for leaf l's /31.
    for l in range(leaves):
        for s in range(spines):
            m.node(f"l{l}")["routes"][f"172.16.{s}.0/24"] = v4((172 << 24) | (16 << 16) | (s << 8) | (2 * l + 1))
    for s in range(spines):
        for o in range(spines):
            if o != s:  # through leaf 0
                m.node(f"s{s}")["routes"][f"172.16.{o}.0/24"] = v4((172 << 24) | (16 << 16) | (s << 8))
    for h in range(hosts):
        l, j = divmod(h, per_leaf)
        a = (10 << 24) | ((l + 1) << 16) | (2 * j)
        m.p2p(f"l{l}", f"h{j}", v4(a), f"h{h}", "eth0", v4(a + 1))
        m.node(f"h{h}")["routes"]["default"] = v4(a)


def write_yaml(m, path):
    out = [f"name: {m.lab}", "nodes:"]
    for name, n in m.nodes.items():
        out.append(f"  {name}:")
        if n["sysctl"]:
            out.append("    sysctl: {" + ", ".join(f"{k}: {v}" for k, v in n["sysctl"].items()) + "}")
        if n["ifaces"]:
            out.append("    interfaces:")
            out += [f"      {i}: {c[0]}" for i, c in n["ifaces"].items()]
        if n["routes"]:
            out.append("    routes:")
            out += [f"      {d}: {g}" for d, g in n["routes"].items()]
    if m.bridges:
        out.append("bridges:")
        out += [f"  {b}: {{}}" for b in m.bridges]
    out.append("links:")
    for (a, ia), (b, ib) in m.links:
        out.append(f"  - [{a}:{ia}, {b}]" if ib is None else f"  - [{a}:{ia}, {b}:{ib}]")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def ip_commands(m):
    """(namespace or None, ip arguments) in build order, as a careful script would."""
    ns = lambda x: f"{m.lab}-{x}"
    cmds = [(None, f"netns add {ns(x)}") for x in list(m.nodes) + m.bridges]
    for x in list(m.nodes) + m.bridges:
        cmds.append((ns(x), "link set lo up"))
    ports = {b: [] for b in m.bridges}
    for b in m.bridges:
        cmds.append((ns(b), f"link add {b} type bridge"))
        ports[b].append(b)
    for (a, ia), (b, ib) in m.links:
        if ib is None:  # a bridge port, named after the host, as netns does
            cmds.append((None, f"link add {ia} netns {ns(a)} type veth peer name {a} netns {ns(b)}"))
            cmds.append((ns(b), f"link set {a} master {b}"))
            ports[b].append(a)
        else:
            cmds.append((None, f"link add {ia} netns {ns(a)} type veth peer name {ib} netns {ns(b)}"))
    for b in m.bridges:
        for p in ports[b]:
            cmds.append((ns(b), f"link set {p} addrgenmode none"))
            cmds.append((ns(b), f"link set {p} up"))
    for name, n in m.nodes.items():
        for k, v in n["sysctl"].items():
            cmds.append((ns(name), f"SYSCTL {k}={v}"))
        for i, cidrs in n["ifaces"].items():
            cmds.append((ns(name), f"link set {i} addrgenmode none"))
            for c in cidrs:
                cmds.append((ns(name), f"addr add {c} dev {i}"))
            cmds.append((ns(name), f"link set {i} up"))
        for d, g in n["routes"].items():
            cmds.append((ns(name), f"route add {d} via {g}"))
    return cmds


def write_ip(m, outdir):
    cmds = ip_commands(m)
    with open(os.path.join(outdir, "ip-script.sh"), "w") as f:
        f.write("set -e\n")
        for n, c in cmds:
            if c.startswith("SYSCTL "):
                f.write(f"ip netns exec {n} sysctl -qw {c[7:]}\n")
            else:
                f.write(f"ip {'-n ' + n + ' ' if n else ''}{c}\n")
    bdir = os.path.join(outdir, "ip-batch")
    os.makedirs(bdir, exist_ok=True)
    per_ns, root = {}, []
    for n, c in cmds:
        if n is None:
            root.append(c)
        elif c.startswith("SYSCTL "):  # ip forks sysctl inside NS
            root.append(f"netns exec {n} sysctl -qw {c[7:]}")
        else:
            per_ns.setdefault(n, []).append(c)
    with open(os.path.join(bdir, "root.batch"), "w") as f:
        f.write("\n".join(root) + "\n")
    for n, lines in per_ns.items():
        with open(os.path.join(bdir, n + ".batch"), "w") as f:
            f.write("\n".join(lines) + "\n")


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("chain", "star", "fabric"):
        sys.exit(__doc__)
    shape, n, lab, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    os.makedirs(outdir, exist_ok=True)
    m = Model(lab)
    {"chain": chain, "star": star, "fabric": fabric}[shape](m, n)
    write_yaml(m, os.path.join(outdir, "lab.yaml"))
    write_ip(m, outdir)


main()
