#!/usr/bin/env python3
"""The resident memory of a process at its peak, by part: VmHWM says how high, not what was there.

    bench/server/rss-peak.py PID [OUT]    # samples until PID exits or it gets SIGTERM, then prints the split at the peak
    bench/server/rss-peak.py SMAPS        # the split of a saved smaps file (no thread stacks)

Every 0.1 s it reads VmRSS; at each new maximum it keeps a copy of /proc/PID/smaps and the stack
pointer of every thread (/proc/PID/task/*/syscall, needs ptrace rights), in OUT (a temp dir) as
peak.smaps and peak.threads. Anonymous memory is split by shape:
- GC: the contiguous anonymous range around the runtime's largest reservation (regions, bookkeeping);
- glibc thread arenas: 64 MiB-aligned heaps; the main arena is [heap];
- thread stacks: the mappings that hold a thread's stack pointer;
- other: blocks malloc mapped on their own (above its mmap threshold: the JIT's 64 KiB slabs, SQLite's
  page-cache batches) and the runtime's own small mappings.
"""
import os, re, signal, sys, tempfile, time

ARENA = 64 << 20


def mappings(path):
    rows = []
    for line in open(path):
        parts = line.split()
        if parts and re.match(r"^[0-9a-f]+-[0-9a-f]+$", parts[0]):
            start, end = (int(x, 16) for x in parts[0].split("-"))
            rows.append({"start": start, "end": end, "perm": parts[1], "name": " ".join(parts[5:]), "rss": 0})
        elif parts and parts[0] == "Rss:":
            rows[-1]["rss"] = int(parts[1])
    return rows


def gc_range(rows):
    reserved = [r for r in rows if r["name"] == "" and r["perm"] == "---p"]
    biggest = rows.index(max(reserved, key=lambda r: r["end"] - r["start"]))
    first = last = biggest
    while first > 0 and rows[first - 1]["end"] == rows[first]["start"] and rows[first - 1]["name"] == "":
        first -= 1
    while last + 1 < len(rows) and rows[last + 1]["start"] == rows[last]["end"] and rows[last + 1]["name"] == "":
        last += 1
    return rows[first]["start"], rows[last]["end"]


def part(rows, i, stack_pointers, gc):
    r = rows[i]
    name, nxt = r["name"], rows[i + 1] if i + 1 < len(rows) else None
    if name.startswith("/memfd:doublemapper"):
        return "memfd:doublemapper (JIT code, loader heaps)"
    if name.startswith("/"):
        return "file-backed"
    if name == "[heap]":
        return "malloc main arena ([heap])"
    if name == "[stack]" or any(r["start"] <= sp < r["end"] for sp in stack_pointers):
        return "thread stacks"
    if name:
        return name
    if r["start"] % ARENA == 0 and r["perm"] == "rw-p" and (
            r["end"] - r["start"] == ARENA or (nxt and nxt["start"] == r["end"] and nxt["end"] - r["start"] == ARENA)):
        return "malloc thread arenas"
    if gc[0] <= r["start"] < gc[1]:
        return "GC heap (committed regions)"
    return "other anonymous (malloc's mapped blocks, runtime)"


def split(smaps, threads=None):
    rows = mappings(smaps)
    stack_pointers = []
    if threads and os.path.exists(threads):
        stack_pointers = [int(t.split()[1], 16) for t in open(threads) if len(t.split()) > 1 and t.split()[1].startswith("0x")]
    gc = gc_range(rows)
    totals = {}
    for i, r in enumerate(rows):
        key = part(rows, i, stack_pointers, gc)
        totals[key] = totals.get(key, 0) + r["rss"]
    print(f"RSS {sum(totals.values()) / 1024:.1f} MB at the peak")
    for key, kb in sorted(totals.items(), key=lambda kv: -kv[1]):
        if kb >= 100:
            print(f"{kb / 1024:8.1f} MB  {key}")


def follow(pid, out):
    stopped = []
    signal.signal(signal.SIGTERM, lambda *_: stopped.append(True))
    best = 0
    while not stopped:
        try:
            status = open(f"/proc/{pid}/status").read()
            rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            if rss > best:
                smaps = open(f"/proc/{pid}/smaps").read()
                threads = []
                for tid in os.listdir(f"/proc/{pid}/task"):
                    fields = open(f"/proc/{pid}/task/{tid}/syscall").read().split()
                    threads.append(f"{tid} {fields[-2] if len(fields) > 2 else '-'}")
                best = rss
                open(os.path.join(out, "peak.smaps"), "w").write(smaps)
                open(os.path.join(out, "peak.threads"), "w").write("\n".join(threads) + "\n")
        except (FileNotFoundError, ProcessLookupError, AttributeError):
            break
        except PermissionError:
            pass
        time.sleep(0.1)
    split(os.path.join(out, "peak.smaps"), os.path.join(out, "peak.threads"))


if __name__ == "__main__":
    if os.path.isfile(sys.argv[1]):
        split(sys.argv[1])
    else:
        out = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="rss-peak.")
        os.makedirs(out, exist_ok=True)
        follow(int(sys.argv[1]), out)
