#!/bin/sh
# Runs once, when the postgres image initialises an empty data volume: the role the app connects as.
# It owns nothing; the app's --migrate/--seed-demo grants it row access after each migration.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE govinforeports_app LOGIN PASSWORD '${APP_DB_PASSWORD}';
SQL
