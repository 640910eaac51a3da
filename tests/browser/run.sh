#!/usr/bin/env bash
# Browser and validator checks of dateline's output: the example site and,
# when ../shared/bench/newsgen.py exists, a generated 200-article corpus.
#   - the Nu Html Checker (vnu) reports no errors on any page;
#   - axe-core finds no violations, at desktop and phone widths, light and dark;
#   - no horizontal scrolling at 360px; keyboard focus is visible;
#   - the example built in Arabic runs right to left: quotes, lists and
#     the skip link sit on the right, and code still runs left to right;
#   - every request a page makes goes to the local server;
#   - `dateline serve` shows a broken save over the page, reloads on the fix
#     and swaps a changed stylesheet without a reload (live.mjs).
# Run from the repository root after the binary is built:
#   DATELINE=target/debug/dateline bash tests/browser/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=$root/tests/browser
DATELINE=${DATELINE:-target/debug/dateline}
[[ $DATELINE == /* ]] || DATELINE=$root/$DATELINE
if [[ ! -x $DATELINE ]]; then
  echo "run.sh: no dateline binary at $DATELINE (run cargo build, or set DATELINE)" >&2
  exit 1
fi

# ---- What it needs: Chromium, Java, the npm packages ----
apt_updated=
apt_install() {
  if [[ -z $apt_updated ]]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
[[ -x /usr/bin/chromium ]] || { echo "== installing chromium"; apt_install chromium; }
command -v java >/dev/null || { echo "== installing a Java runtime"; apt_install default-jre-headless; }
command -v node >/dev/null || { echo "== installing node and npm"; apt_install nodejs npm; }
echo "== npm ci (tests/browser)"
(cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
vnu_jar=$here/node_modules/vnu-jar/build/dist/vnu.jar

# ---- Temp folder and servers, cleaned up on exit ----
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
serve() { # DIR PORT
  python3 -m http.server "$2" --bind 127.0.0.1 --directory "$1" >"$work/server-$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$2/', timeout=1)" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "run.sh: the server for $1 did not start on port $2" >&2
  cat "$work/server-$2.log" >&2
  return 1
}

failed=0
sites=()

# ---- The example site ----
port=$(free_port)
echo "== building the example site (base URL http://127.0.0.1:$port/)"
"$DATELINE" build --output "$work/example" --base-url "http://127.0.0.1:$port/"
serve "$work/example" "$port"
sites+=("example=http://127.0.0.1:$port/=$work/example")

# ---- The example site in a right-to-left language ----
# Its words stay English; what is checked is the layout's direction.
port=$(free_port)
echo "== building the example site as Arabic, right to left (base URL http://127.0.0.1:$port/)"
mkdir -p "$work/rtl-src"
cp -r "$root/content" "$root/static" "$work/rtl-src/"
sed 's/^language = "en"$/language = "ar"/' "$root/site.toml" >"$work/rtl-src/site.toml"
grep -q '^language = "ar"$' "$work/rtl-src/site.toml" || { echo "run.sh: site.toml has no language = \"en\" line" >&2; exit 1; }
"$DATELINE" build --root "$work/rtl-src" --output "$work/rtl" --base-url "http://127.0.0.1:$port/"
serve "$work/rtl" "$port"
sites+=("rtl=http://127.0.0.1:$port/=$work/rtl")

# ---- A generated corpus ----
newsgen=$root/../shared/bench/newsgen.py
if [[ -f $newsgen ]]; then
  port=$(free_port)
  echo "== generating a 200-article corpus and building it (base URL http://127.0.0.1:$port/)"
  python3 "$newsgen" "$work/corpus-src" --articles 200 --force >/dev/null
  "$DATELINE" build --root "$work/corpus-src" --output "$work/corpus" --base-url "http://127.0.0.1:$port/"
  serve "$work/corpus" "$port"
  sites+=("corpus=http://127.0.0.1:$port/=$work/corpus")
else
  echo "note: $newsgen not found; skipping the generated corpus"
fi

# ---- The Nu Html Checker ----
# Each site's result goes to check.mjs (VNU_REPORTS), which counts it as a
# check, so its closing `N passed, N failed` line covers everything.
vnu_reports=
for s in "${sites[@]}"; do
  name=${s%%=*}
  dir=${s##*=}
  pages=$(find "$dir" -name '*.html' | wc -l)
  status=0
  java -jar "$vnu_jar" --errors-only --skip-non-html "$dir" >"$work/vnu-$name.raw" 2>&1 || status=$?
  sed "s|file:$dir/||; s|$dir/||" "$work/vnu-$name.raw" >"$work/vnu-$name.txt"
  echo "vnu $name: exit $status, $(grep -c 'error:' "$work/vnu-$name.txt" || true) errors in $pages HTML files"
  vnu_reports+="$name:$status:$pages:$work/vnu-$name.txt "
done

# ---- axe-core, scrolling, focus and requests in Chromium ----
echo "== browser checks"
VNU_REPORTS=$vnu_reports node "$here/check.mjs" "${sites[@]}" || failed=1

# ---- The dev server: overlay, reload, stylesheet swap ----
echo "== dev server in the browser"
mkdir -p "$work/live-site/templates"
cp -r "$root/site.toml" "$root/content" "$root/static" "$work/live-site/"
cp "$root/templates/style.css" "$work/live-site/templates/"
node "$here/live.mjs" "$DATELINE" "$work/live-site" || failed=1

exit "$failed"
