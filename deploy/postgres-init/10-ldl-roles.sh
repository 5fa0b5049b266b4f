#!/usr/bin/env bash
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d),
# as the administrator POSTGRES_USER.  It makes the roles ldl-inbox uses, none of them a
# superuser:
#   ldl          owns the database and its tables (the application's login; password from
#                the secret db_password); no SUPERUSER, CREATEDB or CREATEROLE
#   ldl_reader   what `ldl sql` and operators' tools (psql, Metabase) read the views as;
#                `ldl init` grants it SELECT on the v_* views, nothing else.  It can log in
#                once an operator sets a password: ALTER ROLE ldl_reader PASSWORD '...'
# ldl is a member of ldl_reader so that `ldl sql` can SET ROLE to it.
set -euo pipefail
password=$(cat "${LDL_DB_PASSWORD_FILE:-/run/secrets/db_password}")
psql -v ON_ERROR_STOP=1 -v pw="$password" --username "$POSTGRES_USER" \
     --dbname "${POSTGRES_DB:-$POSTGRES_USER}" <<'SQL'
CREATE ROLE ldl LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'pw';
CREATE ROLE ldl_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION
    NOBYPASSRLS;
GRANT ldl_reader TO ldl;
CREATE DATABASE ldl OWNER ldl;
SQL
