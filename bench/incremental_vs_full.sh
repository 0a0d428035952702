#!/bin/bash
# Issue 17: full ingest+build of the 1M bench warehouse, then the +1% delta ingested and
# built incrementally, against a --full-refresh build of the same warehouse (same session):
# prints wall times, and compares every model table by content (bench/compare_models.py).
#   bench/incremental_vs_full.sh [BENCHDATA=/work/benchdata] [WORK=/tmp/incr_bench]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-/work/benchdata}
WORK=${2:-/tmp/incr_bench}
O=.venv/bin/outlook
rm -rf "$WORK" && mkdir -p "$WORK"
export OUTLOOK_STATE_DIR=$WORK/state
W=(--raw-dir "$WORK/raw" --publish-dir "$WORK/pub")
timed() {  # label, command...: wall seconds, then the command's last line
    local label=$1; shift
    local start end
    start=$(date +%s.%N); "$@" > "$WORK/last.log" 2>&1; end=$(date +%s.%N)
    printf '%-42s %7.2f s   %s\n' "$label" "$(echo "$end - $start" | bc)" "$(grep -v "^[└┌│┃┏┡╭╰ ]" "$WORK/last.log" | tail -1)"
}
cp "$DATA/onet.duckdb" "$WORK/inc.duckdb"
timed "full ingest (1M)" $O ingest postings "$DATA/drop/postings.csv.gz" --profile generic --db "$WORK/inc.duckdb" "${W[@]}"
timed "full build" $O build --db "$WORK/inc.duckdb" "${W[@]}"
timed "incremental ingest (+1%)" $O ingest postings "$DATA/delta/delta.csv.gz" --profile generic --db "$WORK/inc.duckdb" "${W[@]}"
cp "$WORK/inc.duckdb" "$WORK/ref.duckdb"
timed "incremental build" $O build --db "$WORK/inc.duckdb" "${W[@]}"
timed "full-refresh build, same warehouse" $O build --full-refresh --db "$WORK/ref.duckdb" "${W[@]}"
timed "build with nothing new" $O build --db "$WORK/inc.duckdb" "${W[@]}"
.venv/bin/python bench/compare_models.py "$WORK/inc.duckdb" "$WORK/ref.duckdb" | tail -1
