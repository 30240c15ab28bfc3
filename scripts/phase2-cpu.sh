#!/usr/bin/env bash
# Phase 2 measured from outside (docs/performance.md, "Phase 2 from outside"): the client's
# CPU, disk writes, peak RSS and database size for fetching the details of a
# 5,000-match account, against `dota-sync simulate` run as its own process.
#
#   scripts/phase2-cpu.sh [steam|opendota ...]     (default: steam opendota)
#
# Environment: BIN (default target/release/dota-sync), SIM_BIN (the
# simulator's binary, default BIN: an older client is best measured against
# today's simulator, which indents Steam bodies as Valve does), RUNS (per source,
# alternated; default 3), WORK (default a fresh temporary directory), PORT
# (default 18765; PORT+1 is used while building the database), WRAP (a
# command put before the client, e.g. "valgrind --tool=callgrind"; then
# /usr/bin/time measures the wrapper too, so read its own figures instead).
#
# The database: phase 1 of an OpenDota sync against a simulator of the same
# seed whose every detail answer is malformed, so all 5,000 matches are
# listed and end as failed rows (retry_count 1); then every row gets its
# match_seq_num, paged from the simulator's sequence endpoint, as a Steam
# history page would have given it. Each measured run is
# `dota-sync retry --source S` on a copy of that database.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/dota-sync}
SIM_BIN=${SIM_BIN:-$BIN}
RUNS=${RUNS:-3}
PORT=${PORT:-18765}
ACCOUNT=78655516
MATCHES=5000
SOURCES=("$@")
[ ${#SOURCES[@]} -gt 0 ] || SOURCES=(steam opendota)
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
export STEAM_API_KEY=bench
read -r -a WRAP_CMD <<<"${WRAP:-}"

pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT

start_sim() { # port [faults]
    local port=$1
    shift
    "$SIM_BIN" simulate --port "$port" --accounts 2 --matches "$MATCHES" "$@" \
        >"$WORK/sim-$port.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$port/sim/stats" >/dev/null && return 0
        sleep 0.1
    done
    echo "the simulator on port $port did not start" >&2
    exit 1
}

URL=http://127.0.0.1:$PORT
start_sim "$PORT"

if [ ! -f "$WORK/base.db" ]; then
    cat >"$WORK/failing.toml" <<'EOF'
malformed = 1.0
opendota_lacks = 0.0
sequence_skips_immortal_draft = false
EOF
    start_sim $((PORT + 1)) --faults "$WORK/failing.toml"
    "$BIN" sync --db "$WORK/base.db" --source opendota --account "$ACCOUNT" \
        --api-base "http://127.0.0.1:$((PORT + 1))" --rate 100000 --json >"$WORK/setup.json" || true
    python3 - "$WORK/base.db" "$URL" <<'EOF'
import json, sqlite3, sys, urllib.request
db, url = sys.argv[1], sys.argv[2]
seq, start = {}, 0
while True:
    page = f"{url}/IDOTA2Match_570/GetMatchHistoryBySequenceNum/v1/?key=bench&start_at_match_seq_num={start}&matches_requested=100"
    matches = json.load(urllib.request.urlopen(page))["result"]["matches"]
    if not matches:
        break
    for m in matches:
        seq[m["match_id"]] = m["match_seq_num"]
    start = matches[-1]["match_seq_num"] + 1
con = sqlite3.connect(db)
con.executemany("UPDATE matches SET match_seq_num = ? WHERE match_id = ?",
                [(s, m) for m, s in seq.items()])
con.commit()
failed, with_seq = con.execute(
    "SELECT count(*), count(match_seq_num) FROM matches WHERE has_details = 0 AND retry_count = 1"
).fetchone()
print(f"database: {failed} failed rows, {with_seq} with match_seq_num", file=sys.stderr)
EOF
fi

printf '%-9s %4s %9s %8s %9s %12s %9s %9s\n' source run detailed cpu_s ms/match blocks_out rss_kb db_mb
for run in $(seq "$RUNS"); do
    for source in "${SOURCES[@]}"; do
        db="$WORK/run-$source-$run.db"
        rm -f "$db" "$db-wal" "$db-shm"
        cp "$WORK/base.db" "$db"
        /usr/bin/time -v -o "$WORK/time-$source-$run.txt" "${WRAP_CMD[@]}" "$BIN" retry \
            --db "$db" --source "$source" --account "$ACCOUNT" --api-base "$URL" \
            --rate 100000 --json >"$WORK/summary-$source-$run.json"
        python3 - "$WORK/time-$source-$run.txt" "$WORK/summary-$source-$run.json" "$db" "$source" "$run" <<'EOF'
import json, os, re, sys
times, summary, db, source, run = sys.argv[1:]
text = open(times).read()
field = lambda name: float(re.search(re.escape(name) + r": ([\d.]+)", text).group(1))
cpu = field("User time (seconds)") + field("System time (seconds)")
detailed = json.load(open(summary))["details_fetched"]
size = os.path.getsize(db) / 1e6
print(f"{source:<9} {run:>4} {detailed:>9} {cpu:>8.2f} {1000 * cpu / max(detailed, 1):>9.3f} "
      f"{int(field('File system outputs')):>12} {int(field('Maximum resident set size (kbytes)')):>9} {size:>9.1f}")
EOF
        rm -f "$db" "$db-wal" "$db-shm"
    done
done
