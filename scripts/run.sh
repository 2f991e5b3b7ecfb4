#!/usr/bin/env bash
# Sets up and runs GovInfoReports with demo data.
#   bash scripts/run.sh [--urls http://127.0.0.1:5080]
# Without ConnectionStrings__Default it starts a local PostgreSQL (data kept between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_dotnet
urls="http://127.0.0.1:5080"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --urls) urls=$2; shift 2 ;;
    --urls=*) urls=${1#--urls=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

# PDFs are printed by headless Chromium with a CJK font; the demo publishes at first start.
ensure_packages chromium fonts-noto-cjk

if [ -z "${ConnectionStrings__Default:-}" ]; then
  ensure_packages postgresql
  if [ -n "${GIR_DATA_DIR:-}" ]; then data=$GIR_DATA_DIR
  elif [ "$(id -u)" -eq 0 ]; then data=/var/lib/govinforeports/pg
  else data=${XDG_DATA_HOME:-$HOME/.local/share}/govinforeports/pg; fi
  port=${GIR_PG_PORT:-55432}
  log "starting local PostgreSQL in $data on port $port"
  pg_start "$data" "$port"
  "$(pg_bin)/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='govinforeports'" | grep -q 1 \
    || "$(pg_bin)/createdb" -h 127.0.0.1 -p "$port" -U postgres govinforeports
  export ConnectionStrings__Default="Host=127.0.0.1;Port=$port;Username=postgres;Database=govinforeports"
fi

log "building"
dotnet build src/GovInfoReports.Web -c Release -nologo -v quiet
log "GovInfoReports will listen on $urls (demo report: $urls/entry)"
exec dotnet src/GovInfoReports.Web/bin/Release/net10.0/GovInfoReports.Web.dll --seed-demo --urls "$urls" --contentRoot "$PWD/src/GovInfoReports.Web" "${args[@]}"
