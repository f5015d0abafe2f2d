#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh: the dump into the EMPTY database of DATABASE_URL (create it first:
# createdb -O shop shop), the media back into MEDIA_ROOT and PRIVATE_MEDIA_ROOT.
#   deploy/restore.sh BACKUP_FOLDER
# Refuses a database that already has tables, so it never mixes two shops. Stop web, worker and beat first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${DATABASE_URL:?set DATABASE_URL of an empty database}"
src=${1:?usage: deploy/restore.sh BACKUP_FOLDER}
media=${MEDIA_ROOT:-$root/media}
private=${PRIVATE_MEDIA_ROOT:-$root/private_media}

pg_tool() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] || { echo "restore: $1 not found (install postgresql-client)" >&2; exit 1; }
  echo "$found"
}

(cd "$src" && sha256sum --quiet -c SHA256SUMS)
tables=$("$(pg_tool psql)" --dbname="$DATABASE_URL" -tAc \
  "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")
if [ "$tables" != "0" ]; then
  echo "restore: the database of DATABASE_URL has $tables tables; restore only into an empty one" >&2
  exit 1
fi
"$(pg_tool pg_restore)" --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$src/shop.dump"
for pair in "media:$media" "private_media:$private"; do
  name=${pair%%:*}
  dest=${pair#*:}
  mkdir -p "$dest"
  tar -C "$dest" -xzf "$src/$name.tar.gz"
done
echo "restore: $src restored"
