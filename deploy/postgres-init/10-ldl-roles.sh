#!/usr/bin/env bash
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d),
# as the administrator POSTGRES_USER.  It makes the roles ldl-inbox uses, none of them a
# superuser:
#   ldl          owns the database and its tables (the application's login; password from
#                the secret db_password); no SUPERUSER, CREATEDB or CREATEROLE
#   ldl_reader   what `ldl sql` and operators' tools (psql, Metabase) read the views as
#                (password from the secret db_reader_password); `ldl init` grants it
#                SELECT on the v_* views, nothing else
# ldl is also a member of ldl_reader, so that `ldl sql` can SET ROLE to it when it is not
# given the reader's password.  See docs/schema.md, "Roles and `ldl sql`".
set -euo pipefail
password=$(cat "${LDL_DB_PASSWORD_FILE:-/run/secrets/db_password}")
reader_password=$(cat "${LDL_DB_READER_PASSWORD_FILE:-/run/secrets/db_reader_password}")
psql -v ON_ERROR_STOP=1 -v pw="$password" -v rpw="$reader_password" \
     --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" <<'SQL'
CREATE ROLE ldl LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'pw';
CREATE ROLE ldl_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION
    NOBYPASSRLS PASSWORD :'rpw';
GRANT ldl_reader TO ldl;
CREATE DATABASE ldl OWNER ldl;
SQL
