#!/usr/bin/env python3
"""The cost of only writing a site's files: a floor under any build's time.

Usage: bench/floor.py SITE SCRATCH [--procs P]

Lists every file under SITE (a built output folder), then writes files of the
same relative paths and sizes into SCRATCH (which must not exist yet) with P
processes (default: one per core), each taking an equal run of the sorted
paths, creating folders as it goes. Nothing is rendered or read: each file is
one open, one write and one close.  Prints one line:

    floor: 194690 files, 3.57 GB, 7.25 s wall, 13.66 s CPU (1.10 user, 12.56 system), 2 processes

SCRATCH is left in place (deleting it is the caller's choice, since on some
file systems a large deletion slows the next writes for a while).
"""

import argparse
import os
import sys
import time
from multiprocessing import Pool

# Written through a view, so that no file's bytes are copied before writing.
BLOCK = memoryview(b"\n" * (1 << 20))


def site_files(site):
    """(relative path, size) of every file under `site`, sorted by path."""
    found = []
    for folder, _dirs, files in os.walk(site):
        for name in files:
            path = os.path.join(folder, name)
            found.append((os.path.relpath(path, site), os.path.getsize(path)))
    found.sort()
    return found


def write_run(job):
    scratch, files = job
    made = set()
    for rel, size in files:
        path = os.path.join(scratch, rel)
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(path, "wb") as out:
            left = size
            while left > 0:
                out.write(BLOCK[: min(left, len(BLOCK))])
                left -= len(BLOCK)
    return len(files)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", help="a built output folder to copy the shape of")
    parser.add_argument("scratch", help="a new folder to write into")
    parser.add_argument("--procs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if not os.path.isdir(args.site):
        sys.exit(f"floor.py: {args.site} is not a folder")
    if os.path.exists(args.scratch):
        sys.exit(f"floor.py: {args.scratch} already exists; give a new folder")
    if args.procs < 1:
        sys.exit("floor.py: --procs must be at least 1")

    files = site_files(args.site)
    if not files:
        sys.exit(f"floor.py: {args.site} holds no files")
    size = sum(s for _, s in files)
    per = -(-len(files) // args.procs)
    jobs = [(args.scratch, files[i : i + per]) for i in range(0, len(files), per)]

    os.makedirs(args.scratch)
    before, start = os.times(), time.monotonic()
    with Pool(len(jobs)) as pool:
        written = sum(pool.map(write_run, jobs))
    wall = time.monotonic() - start
    after = os.times()
    user = after.children_user - before.children_user
    system = after.children_system - before.children_system
    print(
        f"floor: {written} files, {size / 1e9:.2f} GB, {wall:.2f} s wall, "
        f"{user + system:.2f} s CPU ({user:.2f} user, {system:.2f} system), "
        f"{len(jobs)} processes"
    )


if __name__ == "__main__":
    main()
