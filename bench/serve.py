#!/usr/bin/env python3
"""Time `dateline serve` from saving a file to the changed page being served.

Usage: bench/serve.py CORPUS [--runs N] [--dateline PATH]

CORPUS is a site folder (bench/corpus.py writes one). The script starts
`dateline serve --port 0` on a copy-free basis: it edits files in CORPUS and
puts them back at the end. Two figures, each over N saves:

- article: an article's body gets a new sentence; timed until the article's
  page, fetched over HTTP, contains it;
- template: templates/article.html (a copy of the built-in one, created before
  the server starts) gets a marker; timed until an article page contains it.

The clock starts when the file is written and closed, and stops when a GET
returns the new bytes (polled every 2 ms).
"""

import argparse
import http.client
import os
import pathlib
import re
import statistics
import subprocess
import sys
import queue
import threading
import time

REPO = pathlib.Path(__file__).resolve().parent.parent


def start(dateline, corpus):
    proc = subprocess.Popen(
        [dateline, "serve", "--port", "0", "--root", str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    for line in proc.stdout:
        m = re.match(r"serving at http://([^/]+)/", line)
        if m:
            host, port = m.group(1).rsplit(":", 1)
            lines = queue.Queue()
            threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()
            return proc, host, int(port), lines
    raise SystemExit("dateline serve printed no address")


def fetch(host, port, path):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", path)
    body = conn.getresponse().read()
    conn.close()
    return body


def until(host, port, path, marker, limit=60.0):
    start = time.perf_counter()
    while True:
        if marker in fetch(host, port, path):
            return
        if time.perf_counter() - start > limit:
            raise SystemExit(f"{path} never showed the change")
        time.sleep(0.002)


def timed_saves(kind, runs, path_on_disk, make_text, host, port, page, lines):
    """Each save waits for the previous rebuild to finish (the server prints
    a `rebuilt` line), so saves do not queue behind each other."""
    times = []
    rebuilds = []
    for n in range(runs):
        marker = f"dateline-bench-{kind}-{os.getpid()}-{n}"
        text = make_text(marker)
        t0 = time.perf_counter()
        with open(path_on_disk, "w", encoding="utf-8") as f:
            f.write(text)
        until(host, port, page, marker.encode())
        times.append((time.perf_counter() - t0) * 1000)
        while True:
            line = lines.get(timeout=120)
            m = re.search(r"rebuilt in (\d+) ms", line)
            if m:
                rebuilds.append(float(m.group(1)))
                break
        time.sleep(0.2)
    return times, rebuilds


def describe(name, times):
    times = sorted(times)
    return (f"{name}: median {statistics.median(times):.0f} ms "
            f"(min {times[0]:.0f}, max {times[-1]:.0f}) over {len(times)} saves")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=pathlib.Path)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--dateline", default=str(REPO / "target/release/dateline"))
    args = ap.parse_args()
    if not pathlib.Path(args.dateline).exists():
        raise SystemExit("no release binary: run `cargo build --release` first")
    corpus = args.corpus.resolve()
    articles = sorted((corpus / "content").glob("*/**/*.md"))
    article = next(p for p in articles if p.name != "_index.md")
    original = article.read_text(encoding="utf-8")
    # The article's address: the file name is the slug, in its section.
    section = article.relative_to(corpus / "content").parts[0]
    page = f"/{section}/{article.stem}/"

    templates = corpus / "templates"
    template = templates / "article.html"
    had_template = template.exists()
    built_in = (REPO / "templates" / "article.html").read_text(encoding="utf-8")
    if not had_template:
        templates.mkdir(exist_ok=True)
        template.write_text(built_in, encoding="utf-8")
    template_text = template.read_text(encoding="utf-8")

    proc, host, port, lines = start(args.dateline, corpus)
    try:
        if b"<html" not in fetch(host, port, page):
            raise SystemExit(f"{page} is not served")
        art = timed_saves(
            "article", args.runs, article,
            lambda m: original.rstrip("\n") + f"\n\nA late line: {m}.\n",
            host, port, page, lines)
        tpl = timed_saves(
            "template", args.runs, template,
            lambda m: template_text.replace("{% block main %}", "{% block main %}<!-- " + m + " -->", 1),
            host, port, page, lines)
    finally:
        proc.terminate()
        proc.wait()
        article.write_text(original, encoding="utf-8")
        if had_template:
            template.write_text(template_text, encoding="utf-8")
        else:
            template.unlink()
            if not any(templates.iterdir()):
                templates.rmdir()
    n = sum(1 for p in articles if p.name != "_index.md")
    print(f"corpus: {corpus} ({n} article files); machine: {os.cpu_count()} cores")
    print(describe("save article -> page served", art[0]))
    print(describe("  whole rebuild, as the server reports it", art[1]))
    print(describe("save article.html -> page served", tpl[0]))
    print(describe("  whole rebuild, as the server reports it", tpl[1]))


if __name__ == "__main__":
    sys.exit(main())
