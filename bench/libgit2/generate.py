#!/usr/bin/env python3
"""Writes a `git fast-import` stream: COMMITS commits on main, each changing a few files among
PATHS paths (a third of them LFS pointers of fresh objects, the rest small text files)."""
import hashlib
import random
import sys

commits = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
paths = int(sys.argv[2]) if len(sys.argv) > 2 else 600
rng = random.Random(20261206)
out = sys.stdout.buffer


def blob(data):
    out.write(b"blob\ndata %d\n" % len(data) + data + b"\n")


for n in range(commits):
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % (1700000000 + n))
    message = b"commit %d" % n
    out.write(b"data %d\n%s\n" % (len(message), message))
    for _ in range(rng.randint(1, 3)):
        p = rng.randrange(paths)
        if p % 3 == 0:
            oid = hashlib.sha256(b"%d-%d" % (n, p)).hexdigest()
            data = ("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n" % (oid, rng.randint(1, 1 << 30))).encode()
            path = b"data/shard-%02d/file-%04d.bin" % (p % 50, p)
        else:
            data = b"line %d of %d\n" % (n, p) * rng.randint(1, 5)
            path = b"src/dir-%02d/file-%04d.txt" % (p % 40, p)
        out.write(b"M 100644 inline %s\n" % path)
        out.write(b"data %d\n" % len(data) + data + b"\n")
