#!/usr/bin/env python3
"""Validate a built dateline site with tools that are not ours.

- sitemap.xml and news-sitemap.xml against the Sitemaps 0.9 schema (xmllint),
  the news sitemap only where there is one, as robots.txt says;
- every feed.json against a JSON Feed 1.1 schema (jsonschema);
- every rss.xml and atom.xml through feedparser, checking that each parses
  cleanly and that its titles, links and dates are the ones the JSON feed
  beside it gives.

Usage: check_output.py OUTPUT_DIR [--news]. With --news, the site must have a
news sitemap. Ends with "N passed, N failed".
"""
import calendar
import datetime as dt
import html
import json
import pathlib
import re
import subprocess
import sys

import feedparser
import jsonschema

HERE = pathlib.Path(__file__).resolve().parent
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")


def epoch(rfc3339):
    return int(dt.datetime.fromisoformat(rfc3339).timestamp())


def main(out, news):
    # A news sitemap lists one story or more; with none of the last 48
    # hours there is none, and robots.txt names none.
    named = "/news-sitemap.xml" in (out / "robots.txt").read_text()
    there = (out / "news-sitemap.xml").exists()
    check(named == there, f"robots.txt names the news sitemap ({named}) if there is one ({there})")
    if news:
        check(there, "the build has a news sitemap")
    for name in ["sitemap.xml", "news-sitemap.xml"][: 1 + there]:
        run = subprocess.run(
            ["xmllint", "--noout", "--schema", str(HERE / "sitemap.xsd"), str(out / name)],
            capture_output=True, text=True)
        check(run.returncode == 0, f"{name} is valid against the sitemap schema: {run.stderr.strip()}")

    schema = json.loads((HERE / "jsonfeed-1.1.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    json_feeds = sorted(out.rglob("feed.json"))
    check(len(json_feeds) > 3, "the site, its sections, tags and authors have feeds")
    for path in json_feeds:
        reference = json.loads(path.read_text())
        errors = [e.message for e in validator.iter_errors(reference)]
        check(not errors, f"{path.relative_to(out)} is valid JSON Feed 1.1: {errors[:3]}")
        for kind in ["rss.xml", "atom.xml"]:
            feed_path = path.with_name(kind)
            shown = feed_path.relative_to(out)
            parsed = feedparser.parse(feed_path.read_bytes())
            check(not parsed.bozo, f"{shown} parses cleanly: {parsed.get('bozo_exception')}")
            check(parsed.feed.get("title") == reference["title"], f"{shown} title")
            check(len(parsed.entries) == len(reference["items"]), f"{shown} has every item")
            for entry, item in zip(parsed.entries, reference["items"]):
                check(entry.get("title") == item["title"], f"{shown}: title {entry.get('title')!r}")
                check(entry.get("link") == item["url"], f"{shown}: link {entry.get('link')!r}")
                # RSS readers take a description as HTML, Atom's is text.
                summary = entry.get("summary", "")
                if entry.get("summary_detail", {}).get("type") == "text/html":
                    summary = html.unescape(re.sub(r"<[^>]*>", "", summary))
                check(summary == item.get("summary", ""),
                      f"{shown}: summary {summary!r} of {item['url']}")
                parsed_date = entry.get("published_parsed")
                check(parsed_date is not None and calendar.timegm(parsed_date) == epoch(item["date_published"]),
                      f"{shown}: date of {item['url']}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3) or sys.argv[2:] not in ([], ["--news"]):
        sys.exit(__doc__)
    sys.exit(main(pathlib.Path(sys.argv[1]), sys.argv[2:] == ["--news"]))
