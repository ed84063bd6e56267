#!/usr/bin/env python3
"""Writes a git fast-import stream: COMMITS commits on main, POINTERS pointer changes spread over
them (paths drawn from a pool of PATHS files in 50 folders), a tag every 1000 commits. Every
change gets a fresh object id. Prints the oids and sizes to OIDS_FILE (one "oid size" a line)."""
import random
import sys

commits, pointers, paths, oids_file = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(42)
out = sys.stdout.buffer
pool = [f"data/d{i % 50:02d}/file{i:05d}.bin" for i in range(paths)]
per_commit = pointers / commits
done = 0
with open(oids_file, "w") as oids:
    for c in range(1, commits + 1):
        target = round(c * per_commit)
        changes = target - done
        done = target
        msg = f"commit {c}".encode()
        out.write(b"commit refs/heads/main\n")
        out.write(f"mark :{c}\n".encode())
        out.write(f"committer bench <bench@example.com> {1700000000 + c * 60} +0000\n".encode())
        out.write(f"data {len(msg)}\n".encode() + msg + b"\n")
        if c > 1:
            out.write(f"from :{c - 1}\n".encode())
        for path in rng.sample(pool, changes):
            oid = "%064x" % rng.getrandbits(256)
            size = rng.randint(1000, 10_000_000)
            oids.write(f"{oid} {size}\n")
            blob = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n".encode()
            out.write(f"M 100644 inline {path}\ndata {len(blob)}\n".encode() + blob + b"\n")
        if c % 1000 == 0:
            out.write(f"reset refs/tags/t{c}\nfrom :{c}\n\n".encode())
out.write(b"done\n")
