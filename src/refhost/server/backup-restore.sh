#!/bin/bash
# Reference-host copy of the Selfology runbook's scripts/backup-restore.sh.
# Verbs: backup-full [KIND] | backup-incremental | list | restore-full FILE
#   KIND of a full dump: full (daily, default), premigration, predeploy
# Files: $BACKUP_DIR/selfology_<kind>_<YYYYmmdd_HHMMSS>.sql.gz (real pg_dump output)
set -u -o pipefail
export PATH=$PATH:/usr/sbin:/sbin
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
. "$HERE/../refhost.env"
export PGPASSWORD; PGPASSWORD=$(cat "$SRV/secrets/pg_password")
PGARGS=(-h 127.0.0.1 -p "$PG_PORT" -U selfology -d selfology)
stamp() { date -u +%Y%m%d_%H%M%S; }

backup_full() {
  local kind=${1:-full}
  case "$kind" in full|premigration|predeploy) ;; *) echo "unknown backup kind: $kind" >&2; return 2 ;; esac
  local f="$BACKUP_DIR/selfology_${kind}_$(stamp).sql.gz"
  pg_dump "${PGARGS[@]}" -n selfology --no-owner | gzip > "$f.part" && mv "$f.part" "$f" \
    || { rm -f "$f.part"; echo "❌ backup failed" >&2; return 1; }
  echo "✅ Backup created: $f ($(stat -c %s "$f") bytes)"
}

backup_incremental() {
  local f="$BACKUP_DIR/selfology_incr_$(stamp).sql.gz"
  pg_dump "${PGARGS[@]}" --data-only -t selfology.event_outbox --no-owner | gzip > "$f.part" && mv "$f.part" "$f" \
    || { rm -f "$f.part"; echo "❌ backup failed" >&2; return 1; }
  echo "✅ Incremental backup created: $f ($(stat -c %s "$f") bytes)"
}

list() {
  ls -l --time-style=+%Y-%m-%dT%H:%M:%S "$BACKUP_DIR" | awk 'NR>1 {print $6, $5, $7}'
}

# Between gunzip and psql: the transaction is the guard's. psql treats the end of its input as the end of a
# COPY's data, and --single-transaction commits at the end of input, so a gunzip that dies half-way (OOM kill,
# read error, the file cut while it is read) would commit half the database. The guard sends BEGIN first and
# COMMIT only when pg_dump's completion footer was the last thing in the dump and gunzip's end marker ($k, printed
# after gunzip exited 0, after a newline the guard drops when it made an empty line: one line behind) followed, then SELECT $k, the proof the commit ran; otherwise it ends an open COPY block and
# raises, ON_ERROR_STOP stops psql, and nothing is committed (a guard that dies sends no COMMIT either).
RESTORE_GUARD='
BEGIN { print "BEGIN;" }
$0 == k { s = 1; if (held && h != "") print h; held = 0; next }
{ if (held) print h; h = $0; held = 1; s = 0 }
c { if ($0 == "\\.") c = 0; next }
/^COPY .* FROM stdin;$/ { c = 1; ok = 0; next }
/^-- PostgreSQL database dump complete/ { ok = 1; next }
/^--/ || /^[ \t\r]*$/ || /^\\unrestrict / { next }
{ ok = 0 }
END {
  if (held) print h;
  if (ok && s) { print "COMMIT;"; print "SELECT '\''" k "'\'';"; exit 0 }
  if (c) print "\\.";
  print "DO $guard$ BEGIN RAISE EXCEPTION '\''restore: the dump ended early (cut short, or gunzip failed)'\''; END $guard$;";
}'

restore_full() {
  local f=${1:-} k out
  [ -f "$f" ] || f="$BACKUP_DIR/$f"
  [ -f "$f" ] || { echo "❌ no such backup: ${1:-}" >&2; return 2; }
  gzip -t "$f" || { echo "❌ corrupt archive: $f" >&2; return 1; }
  echo "Restoring $f ..."
  # one transaction, the DROP inside it: a restore killed half-way, failing or cut short leaves the database as it was
  k="restore-end-$$-$RANDOM$RANDOM"
  out=$( { echo 'DROP SCHEMA IF EXISTS selfology CASCADE;'; gunzip -c "$f" && printf '\n%s\n' "$k"; } \
    | awk -v k="$k" "$RESTORE_GUARD" | psql -X -q -tA -v ON_ERROR_STOP=1 "${PGARGS[@]}") && [ "${out##*$'\n'}" = "$k" ] \
    || { echo "❌ restore failed: nothing was changed" >&2; return 1; }
  echo "✅ Restore completed from $f"
}

case "${1:-}" in
  backup-full) shift; backup_full "$@" ;;
  backup-incremental) backup_incremental ;;
  list) list ;;
  restore-full) shift; restore_full "$@" ;;
  *) echo "Usage: $0 backup-full [full|premigration|predeploy]|backup-incremental|list|restore-full FILE" >&2; exit 2 ;;
esac
