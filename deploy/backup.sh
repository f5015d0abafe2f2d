#!/usr/bin/env bash
# Back up the shop into a dated folder: a custom-format pg_dump of DATABASE_URL and tars of the media
# (MEDIA_ROOT: product pictures) and the private media (PRIVATE_MEDIA_ROOT: documents, customers' files).
#   deploy/backup.sh [DEST]     DEST defaults to $BACKUP_DIR, else /var/backups/shop
# Prints the folder it made. With a bucket (AWS_STORAGE_BUCKET_NAME) the media live there: back the bucket up
# with the provider's versioning or a copy job; the tars then hold whatever is on local disk.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${DATABASE_URL:?set DATABASE_URL (postgres://user:password@host:5432/name)}"
dest_root=${1:-${BACKUP_DIR:-/var/backups/shop}}
media=${MEDIA_ROOT:-$root/media}
private=${PRIVATE_MEDIA_ROOT:-$root/private_media}

# PostgreSQL's own tools: on PATH, else the newest of Debian's /usr/lib/postgresql/<version>/bin.
pg_tool() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] || { echo "backup: $1 not found (install postgresql-client)" >&2; exit 1; }
  echo "$found"
}

dir="$dest_root/$(date +%Y-%m-%d_%H%M%S)"
mkdir -p "$dir"
chmod 700 "$dir"
"$(pg_tool pg_dump)" --format=custom --no-owner --no-privileges --file="$dir/shop.dump" --dbname="$DATABASE_URL"
for pair in "media:$media" "private_media:$private"; do
  name=${pair%%:*}
  src=${pair#*:}
  mkdir -p "$src"
  tar -C "$src" -czf "$dir/$name.tar.gz" .
done
(cd "$dir" && sha256sum shop.dump media.tar.gz private_media.tar.gz >SHA256SUMS)
echo "$dir"
