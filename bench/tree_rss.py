#!/usr/bin/env python3
"""Peak RSS of a whole process tree (a command and all its children), sampled every 10 ms.

    tree_rss.py CMD [ARGS...]

GNU time's max RSS is that of the largest single process; parkstat convert reads in a worker
process by default, so its memory is the parent's plus the worker's. This samples the sum.
Not used for timing (the sampling costs CPU); run it once beside compare.sh.
"""
import os
import subprocess
import sys
import time


def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return kids


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return 0


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    p = subprocess.Popen(sys.argv[1:])
    peak, peak_n = 0, 0
    while p.poll() is None:
        kids = children_map()
        tree, todo = [], [p.pid]
        while todo:
            q = todo.pop()
            tree.append(q)
            todo += kids.get(q, [])
        total = sum(rss_kb(q) for q in tree)
        if total > peak:
            peak, peak_n = total, len(tree)
        time.sleep(0.01)
    print(f"tree_rss: peak {peak / 1024:.0f} MB over {peak_n} process(es); exit {p.returncode}", file=sys.stderr)
    sys.exit(p.returncode)


if __name__ == "__main__":
    main()
