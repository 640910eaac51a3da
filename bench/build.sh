#!/usr/bin/env bash
# Time `dateline build` on synthetic newsroom corpora.
#
# Usage: bench/build.sh [SIZES...]          default sizes: 10000 100000 (1000000 works too)
#
# For each size the dateline corpus is generated with bench/corpus.py (or reused
# from ${BENCH_DIR}/corpus-N), then the release binary builds it RUNS times from
# scratch, each time into a new folder, and RUNS times again over its own output
# ("nothing changed").  Then bench/floor.py writes files of the same paths and
# sizes as that output with plain writes, one process per core: the time the
# file system alone needs for the site, which no build can beat.  Last, RUNS
# times, a sentence is added to one article's text, the site is built over its
# output ("one article edited") and the article is put back as it was.  Wall
# time and peak RSS come from /usr/bin/time; the per-stage figures from the `stages:`
# line dateline prints.  The corpus files are in the page cache (warm) for
# every run.
#
# Outputs are deleted only after the last timing (the last one is kept as
# ${BENCH_DIR}/out-N), because on some file systems creating files in the
# minutes after a large deletion is several times slower (ext4 without a
# journal skips recently freed inodes one by one); if the disk cannot hold
# RUNS outputs at once, each clean run deletes the previous output first and
# the report says so.
#
# Environment:
#   RUNS=3                                  builds of each kind per size
#   BENCH_DIR=/tmp/dateline-bench           corpora, outputs and logs
#   DATELINE=<repo>/target/release/dateline the binary to time (cargo build --release)
#   SEED=1                                  corpus seed
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
# shellcheck source=bench/common.sh
source "$here/common.sh"

if [[ $# -eq 0 ]]; then
    set -- 10000 100000
fi
for n in "$@"; do
    if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
        echo "usage: bench/build.sh [SIZES...]  (article counts, e.g. 10000 100000 1000000)" >&2
        exit 2
    fi
done
if ! [[ $RUNS =~ ^[1-9][0-9]*$ ]]; then
    echo "RUNS must be a positive whole number, not '$RUNS'" >&2
    exit 2
fi
need_tools

mkdir -p "$BENCH_DIR/logs"
results=$BENCH_DIR/logs/build-results.tsv
: >"$results"

cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_gb=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    commit="$commit (with uncommitted changes)"
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
busy_warning

# run_build CORPUS OUT SIZE KIND RUN: one timed build, a row in $results.
run_build() {
    local corpus=$1 out=$2 size=$3 kind=$4 run=$5 log timing stages
    log=$BENCH_DIR/logs/build-$size-$kind-$run
    if ! /usr/bin/time -f '%e %M' -o "$log.time" \
        "$DATELINE" build --root "$corpus" --output "$out" --now "$NOW" >"$log.out" 2>"$log.err"; then
        echo "dateline build failed ($size articles, $kind build, run $run); its output:" >&2
        tail -n 20 "$log.out" "$log.err" >&2
        exit 1
    fi
    timing=$(tail -n 1 "$log.time")
    stages=$(grep -m1 '^stages:' "$log.out" || true)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$kind" "$run" "${timing% *}" "${timing#* }" "$stages" >>"$results"
    printf '  %-15s run %d: %6.2f s, %5d MB\n' "$kind" "$run" "${timing% *}" $(( (${timing#* } + 512) / 1024 )) >&2
}

# state_of DIR: the record dateline keeps beside the output folder DIR.
state_of() {
    printf '%s\n' "$(dirname "$1")/.$(basename "$1").dateline-state"
}

# remove_output DIR: an output folder and dateline's record beside it.
remove_output() {
    rm -rf "$1" "$(state_of "$1")"
}

# room_for CORPUS: whether the disk under BENCH_DIR holds RUNS outputs of
# CORPUS at once, counting an output at four times its corpus.
room_for() {
    local corpus=$1 need free
    need=$(( $(du -sk "$corpus" | cut -f1) * 4 * RUNS ))
    free=$(df -Pk "$BENCH_DIR" | awk 'NR == 2 { print $4 }')
    [[ $free -gt $need ]]
}

declare -a summaries=() floors=() leftovers=()
edited=
# Put the edited article back even if the script stops half-way.
restore_edited() {
    if [[ -n $edited && -f $BENCH_DIR/edited.md.orig ]]; then
        cp -p "$BENCH_DIR/edited.md.orig" "$edited"
        rm -f "$BENCH_DIR/edited.md.orig"
    fi
}
trap restore_edited EXIT
for n in "$@"; do
    corpus=$(ensure_corpus dateline "$n")
    out=$BENCH_DIR/out-$n
    remove_output "$out"
    echo "size $n: load average before the runs $(cut -d' ' -f1-3 /proc/loadavg) (corpus generation included)" >&2
    if room_for "$corpus"; then
        summaries+=("$n: each clean run into a new folder")
        # The last run builds $out itself, which the later runs build over:
        # moving a built folder would change its inode change time, and the
        # next build would take it for touched and render every page.
        for ((run = 1; run <= RUNS; run++)); do
            dest=$out.run$run
            if ((run == RUNS)); then dest=$out; fi
            remove_output "$dest"
            run_build "$corpus" "$dest" "$n" clean "$run"
            if ((run < RUNS)); then leftovers+=("$dest"); fi
        done
    else
        summaries+=("$n: too little disk for $RUNS outputs, so each clean run deleted the previous output first (slower on some file systems)")
        for ((run = 1; run <= RUNS; run++)); do
            remove_output "$out"
            run_build "$corpus" "$out" "$n" clean "$run"
        done
    fi
    summaries+=("$n: $(grep -m1 '^built ' "$BENCH_DIR/logs/build-$n-clean-1.out" || echo '(no summary line)')")
    warnings=$(grep -c -i 'warning' "$BENCH_DIR/logs/build-$n-clean-1.err" || true)
    if [[ $warnings -gt 0 ]]; then
        summaries+=("$n: $warnings warning lines, see $BENCH_DIR/logs/build-$n-clean-1.err")
    fi
    for ((run = 1; run <= RUNS; run++)); do
        run_build "$corpus" "$out" "$n" nothing-changed "$run"
    done
    rm -rf "$out.floor"
    floor=$(python3 "$here/floor.py" "$out" "$out.floor")
    echo "  $floor" >&2
    floors+=("$n: $floor")
    leftovers+=("$out.floor")
    edited=$(find "$corpus/content" -name '*.md' -path '*/20*' | LC_ALL=C sort | sed -n 1p)
    cp -p "$edited" "$BENCH_DIR/edited.md.orig"
    for ((run = 1; run <= RUNS; run++)); do
        printf '\nA sentence added by bench/build.sh, run %d.\n' "$run" >>"$edited"
        run_build "$corpus" "$out" "$n" one-edit "$run"
        cp -p "$BENCH_DIR/edited.md.orig" "$edited"
    done
    restore_edited
    edited=
done
# Only now, with every timing taken: see the note at the top.
for dir in "${leftovers[@]}"; do
    remove_output "$dir"
done

echo
echo "## dateline build benchmark"
echo
echo "- machine: $(nproc) cores, $cpu, ${mem_gb} GiB RAM"
echo "- dateline: $DATELINE, commit $commit"
echo "- runs: $RUNS clean + $RUNS nothing-changed + $RUNS one-edit per size, --now $NOW, corpus seed $SEED"
echo "- load average before the runs: $load_before"
for line in "${summaries[@]}" "${floors[@]}"; do
    echo "- $line"
done
echo
python3 - "$results" <<'EOF'
import re
import statistics
import sys

STAGE = re.compile(r"([A-Za-z_][\w-]*) ([0-9.]+) s \(([0-9.]+) MB\)")
groups = {}
stage_names = []
for line in open(sys.argv[1], encoding="utf-8"):
    size, kind, _run, wall, rss_kb, stages = line.rstrip("\n").split("\t")
    g = groups.setdefault((int(size), kind), {"wall": [], "rss": [], "stages": {}})
    g["wall"].append(float(wall))
    g["rss"].append(int(rss_kb) / 1024)
    for name, secs, mb in STAGE.findall(stages):
        if name not in stage_names:
            stage_names.append(name)
        g["stages"].setdefault(name, []).append((float(secs), float(mb)))

head = ["articles", "build", "wall median (min-max)", "peak RSS median"]
head += [f"{name} s (MB)" for name in stage_names]
print("| " + " | ".join(head) + " |")
print("|" + "|".join(["---:", "---"] + ["---:"] * (len(head) - 2)) + "|")
for (size, kind), g in sorted(groups.items(), key=lambda kv: (kv[0][0], ["clean", "nothing-changed", "one-edit"].index(kv[0][1]))):
    row = [f"{size:,}", {"one-edit": "one article edited"}.get(kind, kind.replace("-", " ")),
           f"{statistics.median(g['wall']):.2f} s ({min(g['wall']):.2f}-{max(g['wall']):.2f})",
           f"{statistics.median(g['rss']):.0f} MB"]
    for name in stage_names:
        got = g["stages"].get(name)
        if got:
            row.append(f"{statistics.median(s for s, _ in got):.2f} "
                       f"({statistics.median(m for _, m in got):.0f})")
        else:
            row.append("-")
    print("| " + " | ".join(row) + " |")
if not stage_names:
    print("\n(dateline printed no `stages:` line, so there are no per-stage figures)")
EOF
echo
echo "raw figures: $results; logs: $BENCH_DIR/logs/"
