#!/usr/bin/env python3
"""DVC 3's requests to an HTTP remote (shared/reference/dvc-http-remote-notes.md), as the client.

push: per object a GET existence check (the client reads the status line and headers, then hangs
up), then an upload with Transfer-Encoding: chunked, one chunk per 5 MiB read (POST by default,
PUT with `method PUT`). pull: per object a GET existence check, then a GET of the whole body.
`jobs` objects in flight (DVC's default on 2 cores: 8), each worker on its own keep-alive
connection, as aiohttp does. Prints one line: seconds and MiB/s.

usage: dvc_requests.py push|pull URL METHOD JOBS AUTH DATA_DIR
  DATA_DIR holds the objects as files named by their md5 (see generate below).
usage: dvc_requests.py generate DATA_DIR COUNT SIZE SEED
"""
import hashlib
import http.client
import os
import random
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

BLOCK = 5 * 1024 * 1024


def generate(folder, count, size, seed):
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(seed)
    for _ in range(count):
        data = rng.randbytes(size)
        with open(os.path.join(folder, hashlib.md5(data).hexdigest()), "wb") as f:
            f.write(data)


class Remote:
    def __init__(self, url, auth):
        self.url = urllib.parse.urlsplit(url.rstrip("/"))
        self.auth = auth
        self.local = threading.local()

    def conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = self.local.conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60)
        return c

    def headers(self):
        h = {"Accept": "*/*", "Accept-Encoding": "gzip, deflate", "User-Agent": "Python/3.11 aiohttp/3.8.4"}
        if self.auth:
            h["Authorization"] = self.auth
        return h

    def path(self, md5):
        return f"{self.url.path}/files/md5/{md5[:2]}/{md5[2:]}"

    def request(self, method, md5, body=None, read=True):
        c = self.conn()
        h = self.headers()
        if body is not None:
            h["Content-Type"] = "application/octet-stream"
        c.request(method, self.path(md5), body=body, headers=h, encode_chunked=body is not None)
        r = c.getresponse()
        if read:
            data = r.read()
            return r.status, data
        # The existence check hangs up after the headers.
        status = r.status
        c.close()
        self.local.conn = None
        return status, None


def chunks(path):
    with open(path, "rb") as f:
        while block := f.read(BLOCK):
            yield block


def main():
    mode = sys.argv[1]
    if mode == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        return
    url, method, jobs, auth, folder = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
    remote = Remote(url, auth)
    names = sorted(os.listdir(folder))
    total = sum(os.path.getsize(os.path.join(folder, n)) for n in names)

    def push(md5):
        status, _ = remote.request("GET", md5, read=False)
        if status < 400:
            return
        status, body = remote.request(method, md5, body=chunks(os.path.join(folder, md5)))
        if status >= 400:
            raise SystemExit(f"{method} {md5}: {status} {body[:200]!r}")

    def pull(md5):
        status, _ = remote.request("GET", md5, read=False)
        if status >= 400:
            raise SystemExit(f"GET {md5} (check): {status}")
        status, body = remote.request("GET", md5)
        if status != 200 or len(body) != os.path.getsize(os.path.join(folder, md5)):
            raise SystemExit(f"GET {md5}: {status}, {len(body)} bytes")

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(push if mode == "push" else pull, names))
    seconds = time.perf_counter() - start
    print(f"{seconds:.3f} {total / seconds / 1048576:.1f}")


if __name__ == "__main__":
    main()
