#!/usr/bin/env bash
# Sets up and runs GovInfoReports with demo data.
#   bash scripts/run.sh [--urls http://127.0.0.1:5080]
# Without ConnectionStrings__Default it starts a local PostgreSQL (data kept between runs), with two roles:
# postgres owns the tables and applies migrations, govinforeports_app is what the app connects as.
# Without DataProtection__CertificatePath it makes a local certificate that encrypts the key ring.
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

if [ "$(id -u)" -eq 0 ]; then state=/var/lib/govinforeports
else state=${XDG_DATA_HOME:-$HOME/.local/share}/govinforeports; fi

if [ -z "${ConnectionStrings__Default:-}" ]; then
  ensure_packages postgresql
  data=${GIR_DATA_DIR:-$state/pg}
  port=${GIR_PG_PORT:-55432}
  log "starting local PostgreSQL in $data on port $port"
  pg_start "$data" "$port"
  "$(pg_bin)/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='govinforeports'" | grep -q 1 \
    || "$(pg_bin)/createdb" -h 127.0.0.1 -p "$port" -U postgres govinforeports
  "$(pg_bin)/psql" -h 127.0.0.1 -p "$port" -U postgres -qc \
    "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'govinforeports_app') THEN CREATE ROLE govinforeports_app LOGIN; END IF; END \$\$"
  export ConnectionStrings__Migrations="Host=127.0.0.1;Port=$port;Username=postgres;Database=govinforeports"
  export ConnectionStrings__Default="Host=127.0.0.1;Port=$port;Username=govinforeports_app;Database=govinforeports"
fi

# The certificate that encrypts the data-protection keys (sign-in cookies, form tokens) in the database.
if [ -z "${DataProtection__CertificatePath:-}" ]; then
  ensure_packages openssl
  keys=$state/keys
  mkdir -p "$keys" && chmod 700 "$keys"
  if [ ! -f "$keys/dataprotection.pfx" ]; then
    log "making a local data-protection certificate in $keys"
    tmp=$(mktemp -d)
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=GovInfoReports data protection" \
      -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
    openssl rand -hex 24 > "$keys/dataprotection.password"
    openssl pkcs12 -export -inkey "$tmp/key.pem" -in "$tmp/cert.pem" -out "$keys/dataprotection.pfx" \
      -passout "file:$keys/dataprotection.password"
    chmod 600 "$keys/dataprotection.pfx" "$keys/dataprotection.password"
    rm -rf "$tmp"
  fi
  export DataProtection__CertificatePath="$keys/dataprotection.pfx"
  DataProtection__CertificatePassword=$(cat "$keys/dataprotection.password")
  export DataProtection__CertificatePassword
fi

log "building"
dotnet build src/GovInfoReports.Web -c Release -nologo -v quiet
log "GovInfoReports will listen on $urls (demo report: $urls/entry)"
exec dotnet src/GovInfoReports.Web/bin/Release/net10.0/GovInfoReports.Web.dll --seed-demo --urls "$urls" --contentRoot "$PWD/src/GovInfoReports.Web" "${args[@]}"
