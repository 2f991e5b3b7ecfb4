#!/usr/bin/env bash
# Runs the benchmarks: starts a throwaway PostgreSQL and the app (demo data), then
# bench/GovInfoReports.Bench. Prints mean and p95 of each against its goal. Extra arguments go to the bench, e.g.
#   bash bench/run.sh --sizes 1000,10000   (the region-scale trees; default 1000,10000,50000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_dotnet
ensure_packages postgresql chromium fonts-noto-cjk nginx wrk

pgdir=$(mktemp -d /tmp/gir-bench-pg.XXXXXX)
port=$(shuf -i 20000-60000 -n 1)
app_port=$(shuf -i 20000-60000 -n 1)
app_pid=""
cleanup() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; pg_stop "$pgdir"; rm -rf "$pgdir"; }
trap cleanup EXIT
pg_start "$pgdir" "$port"
server="Host=127.0.0.1;Port=$port;Username=postgres"
"$(pg_bin)/createdb" -h 127.0.0.1 -p "$port" -U postgres gir_bench_app

log "building (Release)"
dotnet build GovInfoReports.sln -c Release --nologo -v quiet
# The save load signs in 50 clerks from this one address within a minute.
ConnectionStrings__Default="$server;Database=gir_bench_app" Serilog__MinimumLevel__Default="${GIR_BENCH_LOG_LEVEL:-Warning}" \
  dotnet src/GovInfoReports.Web/bin/Release/net10.0/GovInfoReports.Web.dll --seed-demo \
  --urls "http://127.0.0.1:$app_port" --contentRoot "$PWD/src/GovInfoReports.Web" &
app_pid=$!
for _ in $(seq 240); do curl -fs "http://127.0.0.1:$app_port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
report=$("$(pg_bin)/psql" -h 127.0.0.1 -p "$port" -U postgres -d gir_bench_app -tAc "SELECT min(id) FROM reports")
dotnet bench/GovInfoReports.Bench/bin/Release/net10.0/GovInfoReports.Bench.dll --pg "$server" --app "http://127.0.0.1:$app_port" --report "$report" "$@"
