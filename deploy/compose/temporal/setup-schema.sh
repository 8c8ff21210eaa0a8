#!/bin/sh
# One-shot job of docker-compose.yml (temporalio/admin-tools): creates Temporal's two PostgreSQL databases and brings
# their schemas to the version of the admin-tools image. Safe to run on every `up`: `create` leaves an existing
# database alone, `setup-schema -v 0.0` only initialises an empty one and `update-schema` applies only the versions
# not applied yet. The connection comes from SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD.
set -eu
: "${SQL_HOST:?SQL_HOST must name the PostgreSQL host}"
: "${SQL_USER:?SQL_USER must name the PostgreSQL user}"
SCHEMA=/etc/temporal/schema/postgresql/v12

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir="$SCHEMA/temporal/versioned" ;;
    *) dir="$SCHEMA/visibility/versioned" ;;
  esac
  echo "Temporal schema: database $db from $dir"
  temporal-sql-tool --db "$db" create
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$dir"
done
echo 'Temporal schema: up to date'
