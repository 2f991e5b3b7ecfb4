#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL and Debian's headless Chromium, and ends with
# the line "N passed, N failed, N skipped" read from the test results.
#   bash scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Rules]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
started=$(date +%s)

ensure_dotnet
ensure_packages postgresql chromium fonts-noto-cjk poppler-utils

pgdir=$(mktemp -d /tmp/gir-test-pg.XXXXXX)
results=$(mktemp -d /tmp/gir-test-results.XXXXXX)
cleanup() { pg_stop "$pgdir"; rm -rf "$pgdir" "$results"; }
trap cleanup EXIT
for attempt in 1 2 3; do
  port=$(shuf -i 20000-60000 -n 1)
  # Many app instances live at once (test classes run in parallel, each its own database; the app's pool and the tests'
  # own are apart, and idle pooled connections stay up to 5 minutes after a class ends): 100 connections ran out.
  if PG_FSYNC=off PG_MAX_CONNECTIONS=400 pg_start "$pgdir" "$port" 2>/dev/null; then break; fi
  [ "$attempt" -eq 3 ] && { cat "$pgdir/server.log" >&2 || true; die "could not start PostgreSQL"; }
done
log "PostgreSQL $(basename "$(dirname "$(pg_bin)")") on 127.0.0.1:$port (throwaway, $pgdir)"
export GIR_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres"
export GIR_CHROMIUM=${GIR_CHROMIUM:-/usr/bin/chromium}

log "building"
if ! dotnet build GovInfoReports.sln -c Release --nologo -v quiet; then
  echo "error: the build failed; no test ran" >&2
  echo "0 passed, 0 failed, 0 skipped"
  exit 1
fi
projects=$(ls tests/*/*.Tests.csproj | wc -l)

# Every model change needs its generated migration (dotnet-ef is a local tool: .config/dotnet-tools.json).
log "checking for model changes without a migration"
dotnet tool restore >/dev/null
if ! dotnet ef migrations has-pending-model-changes --project src/GovInfoReports.Web --configuration Release --no-build; then
  echo "error: the EF model has changes without a migration; add one with" >&2
  echo "  dotnet ef migrations add <Name> --project src/GovInfoReports.Web --output-dir Data/Migrations" >&2
  echo "0 passed, 0 failed, 0 skipped"
  exit 1
fi

set +e
dotnet test GovInfoReports.sln --no-build -c Release --nologo --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
rc=$?
set -e

count() { cat "$results"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(count passed); failed=$(count failed); total=$(count total); executed=$(count executed)
passed=${passed:-0}; failed=${failed:-0}; total=${total:-0}; executed=${executed:-0}
skipped=$((total - executed))
log "tests took $(( $(date +%s) - started )) s"
if [ "${CI:-}" = "true" ] && [ "$skipped" -gt 0 ]; then
  echo "error: $skipped test(s) skipped under CI=true; database, browser and PDF tests must run in CI" >&2
  rc=1
fi
trx=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$trx" -lt "$projects" ]; then
  echo "error: only $trx of $projects test projects reported results" >&2
  rc=1
fi
if [ "$total" -eq 0 ]; then
  echo "error: no test results (build failure?)" >&2
  rc=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
