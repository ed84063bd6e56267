#!/usr/bin/env python3
"""Resident memory of a process by mapping, from /proc/<pid>/smaps: what the RSS is made of.

    bench/server/rss-breakdown.py PID [TOP]     # or a saved smaps file instead of PID

File-backed mappings are summed per file (assemblies, libicudata, the SQLite file, packs);
anonymous ones by kind ([heap], [stack], anonymous). Prints the TOP (20) largest in MB.
"""
import collections, os, sys

src = sys.argv[1]
path = src if os.path.isfile(src) else f"/proc/{src}/smaps"
top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
rss, pss, anon = collections.Counter(), collections.Counter(), collections.Counter()
name = None
with open(path) as f:
    for line in f:
        parts = line.split()
        if not parts:
            continue
        if "-" in parts[0] and not parts[0].endswith(":"):  # a mapping header
            name = parts[5] if len(parts) > 5 else "[anonymous]"
            if name.startswith("/memfd:"):  # the runtime's double-mapped executable memory
                name = "/memfd:" + name.split(":", 1)[1].split(" ")[0]
        elif parts[0] == "Rss:":
            rss[name] += int(parts[1])
        elif parts[0] == "Anonymous:":
            anon[name] += int(parts[1])
total = sum(rss.values())
files = sum(v for k, v in rss.items() if k.startswith("/") and not k.startswith("/memfd:"))
print(f"RSS {total / 1024:.1f} MB: file-backed {files / 1024:.1f} MB, "
      f"anonymous {sum(anon.values()) / 1024:.1f} MB")
print(f"{'MB':>8} {'anon MB':>8}  mapping")
for k, v in rss.most_common(top):
    print(f"{v / 1024:>8.1f} {anon[k] / 1024:>8.1f}  {k}")
