# shellcheck shell=bash
# Shared by bench/build.sh and bench/hugo.sh: settings, checks and helpers.
# Source it after setting `here` (this folder) and `repo`.
# shellcheck disable=SC2034,SC2154  # NOW is the scripts'; here and repo theirs

RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/dateline-bench}
DATELINE=${DATELINE:-$repo/target/release/dateline}
SEED=${SEED:-1}
NOW=2026-06-01T12:00:00Z

# need_tools: the release binary, and GNU time for wall time and peak RSS.
need_tools() {
    if [[ ! -x $DATELINE ]]; then
        echo "no dateline binary at $DATELINE: run \`cargo build --release\` first (or set DATELINE)" >&2
        exit 1
    fi
    if [[ ! -x /usr/bin/time ]]; then
        echo "installing GNU time (/usr/bin/time) with apt-get ..." >&2
        apt-get update -qq && apt-get install -y -qq time >/dev/null
    fi
}

# busy_warning: say so when other work is running, since it skews every timing.
busy_warning() {
    local load cores
    read -r load _ </proc/loadavg
    cores=$(nproc)
    if awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l > c / 2) }'; then
        echo "warning: the machine is busy (load $load on $cores cores): timings will be noisy" >&2
    fi
}

# ensure_corpus FLAVOR N: generate the corpus unless an identical one is cached;
# prints its folder.  The stamp names corpus.py's hash, so editing it regenerates.
ensure_corpus() {
    local flavor=$1 n=$2 dir want
    if [[ $flavor == dateline ]]; then dir=$BENCH_DIR/corpus-$n; else dir=$BENCH_DIR/$flavor-$n; fi
    want="$(sha256sum "$here/corpus.py" | cut -c1-16) articles=$n seed=$SEED flavor=$flavor"
    if [[ -f $dir/.corpus-stamp && $(<"$dir/.corpus-stamp") == "$want" ]]; then
        echo "reusing $dir" >&2
    else
        echo "generating $dir ..." >&2
        rm -rf "$dir" "$dir.tmp"
        mkdir -p "$BENCH_DIR"
        python3 "$here/corpus.py" "$dir.tmp" --articles "$n" --seed "$SEED" --flavor "$flavor" >&2
        printf '%s\n' "$want" >"$dir.tmp/.corpus-stamp"
        mv "$dir.tmp" "$dir"
    fi
    printf '%s\n' "$dir"
}
