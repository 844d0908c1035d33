#!/usr/bin/python3
"""Mininet's time for the star of bench/gen-topo.py: N hosts on one Linux
bridge (no OpenFlow controller), one subnet, no IPv6 link-local set-up.

  mininet-star.py N     (as root, inside a namespace of its own: bench/topo.py
                         runs it under `ip netns exec bzmn`, so Mininet's
                         "root namespace" switches and interfaces stay there)
Prints: n=N up=SECONDS down=SECONDS
"""
import sys
import time

from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.nodelib import LinuxBridge
from mininet.topo import Topo


class Star(Topo):
    def build(self, n):
        sw = self.addSwitch("s1")
        for i in range(n):
            h = self.addHost(f"h{i}", ip=f"10.0.{(i + 1) // 256}.{(i + 1) % 256}/16")
            self.addLink(h, sw)


def main():
    n = int(sys.argv[1])
    setLogLevel("error")
    t0 = time.monotonic()
    net = Mininet(topo=Star(n), switch=LinuxBridge, controller=None, autoSetMacs=False,
                  waitConnected=False)
    net.start()
    t1 = time.monotonic()
    lost = net.ping([net.hosts[0], net.hosts[-1]], timeout=2)
    t2 = time.monotonic()
    net.stop()
    t3 = time.monotonic()
    print(f"n={n} up={t1 - t0:.3f} down={t3 - t2:.3f} ping_loss={lost}")


main()
