#!/bin/bash
# Reference-host copy of LifeOS's deploy/scripts/deploy.sh: ONE compose-like stack (app + worker), replaced in place.
#   deploy production VERSION   database backup first (with a .version sidecar), start the new version, health check
#                               with retries, automatic rollback to the previous version on failure (exit 1)
#   health-check                one line per service, exit 0 when every service is healthy, 1 when not
#   status                      the version and each service's state
#   logs [service]              the services' logs (the last 100 lines)
#   rollback FILE               restores the database from FILE and the version recorded with it (FILE.version)
#   rollback-type deployment|database   the previous version again / the database from the newest pre-deploy backup
# A version ending in -broken never becomes healthy (its health check always fails).
set -u -o pipefail
export PATH=$PATH:/usr/sbin:/sbin
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
. "$HERE/refhost.env"   # SRV, PG_PORT, BASE_IMAGE, LIFEOS_*

SERVICES="app worker"
PROJECT=lifeos
IMAGE_REPO=lifeos/app
STATE_DIR="$HERE/state"
VERSION_FILE="$STATE_DIR/current_version"
PREVIOUS_FILE="$STATE_DIR/previous_version"   # the version a successful deploy replaced (rollback-type deployment)
BACKUP_DIR=$LIFEOS_BACKUP_DIR
DB=lifeos
HEALTH_RETRIES=${LIFEOS_HEALTH_RETRIES:-20}
LOG_FILE="$HERE/deploy.log"

log() { echo "$*"; echo "$(date -u +%FT%TZ) $*" >> "$LOG_FILE"; }
cname() { echo "$PROJECT-$1-1"; }
port_of() { case "$1" in app) echo "$LIFEOS_PORT_BASE" ;; worker) echo $((LIFEOS_PORT_BASE + 1)) ;; esac; }
current_version() { cat "$VERSION_FILE" 2>/dev/null || echo none; }
health_of() { # container -> healthy|unhealthy|starting|not running (STATE)
  local st
  st=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1" 2>/dev/null) \
    || { echo "not running (missing)"; return; }
  case "$st" in
    running\ *) echo "${st#running }" ;;
    *) echo "not running (${st%% *})" ;;
  esac
}
psql_() { PGPASSWORD=$(cat "$SRV/secrets/pg_password") psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U selfology -d "$DB" -v ON_ERROR_STOP=1 "$@"; }

start_service() { # service version
  local name port health
  name=$(cname "$1"); port=$(port_of "$1")
  health="wget -q -O /dev/null http://127.0.0.1:$port/health || exit 1"
  case "$2" in *-broken) health="exit 1" ;; esac   # a broken build never answers its health check
  docker image inspect "$IMAGE_REPO:$2" >/dev/null 2>&1 || docker tag "$BASE_IMAGE" "$IMAGE_REPO:$2"
  docker rm -f "$name" >/dev/null 2>&1
  # healthy at the first passing check (every second); failures in the first 3 s do not count, so a container slow to
  # listen on a loaded machine is not judged unhealthy (which ends the deploy's wait); a broken build is, after ~5 s
  docker run -d --name "$name" --network host --restart unless-stopped \
    --label dutydesk.refhost=1 --label "com.docker.compose.project=$PROJECT" --label "com.docker.compose.service=$1" \
    --label "com.docker.compose.container-number=1" \
    -e "SERVICE=$1" -e "SLOT=single" -e "PORT=$port" -e "VERSION=$2" \
    --health-cmd "$health" --health-interval 1s --health-timeout 2s --health-retries 2 --health-start-period 3s \
    "$IMAGE_REPO:$2" /serve >/dev/null
}

start_all() { # version
  local s pids=() i=0
  # side by side (docker run takes ~0.4 s each on the build machine), each said as before
  for s in $SERVICES; do
    log "  Starting $s ($1)..."
    start_service "$s" "$1" & pids+=($!)
  done
  # every start waited for (a rollback after a failure must not race a start still running), each failure named
  local rc=0
  for s in $SERVICES; do
    wait "${pids[$i]}" || { log "❌ could not start $s"; rc=1; }
    i=$((i + 1))
  done
  return $rc
}

wait_healthy() { # -> 0 when every service is healthy within the retries
  local i s h pending final
  for ((i = 1; i <= HEALTH_RETRIES; i++)); do
    pending=""; final=""
    for s in $SERVICES; do
      h=$(health_of "$(cname "$s")")
      [ "$h" = healthy ] && continue
      pending="$pending $s"
      case "$h" in
        unhealthy) log "  health check $i/$HEALTH_RETRIES: $s is unhealthy"; final="$final $s" ;;
        not\ running*) log "  health check $i/$HEALTH_RETRIES: $s is $h" ;;
      esac
    done
    [ -z "$pending" ] && return 0
    # an unhealthy verdict of Docker's (its health retries used up, as `docker compose up --wait` takes it) is final for
    # this attempt: no more waiting for a version that will not become healthy
    [ -n "$final" ] && return 1
    sleep 1
  done
  return 1
}

# pg_dump of the database into the backups folder, with the version deployed now as FILE.version
backup() { # kind -> prints the file
  local stamp f
  mkdir -p "$BACKUP_DIR"
  stamp=$(date -u +%Y%m%d_%H%M%S); f="$BACKUP_DIR/lifeos_$1_$stamp.sql.gz"
  while [ -e "$f" ]; do sleep 1; stamp=$(date -u +%Y%m%d_%H%M%S); f="$BACKUP_DIR/lifeos_$1_$stamp.sql.gz"; done  # one name per second
  PGPASSWORD=$(cat "$SRV/secrets/pg_password") pg_dump -h 127.0.0.1 -p "$PG_PORT" -U selfology -d "$DB" -n selfology --no-owner \
    | gzip > "$f.part" || { rm -f "$f.part"; return 1; }
  # the sidecar first, so the backup is never listed without the version it was taken on
  current_version > "$f.version" && mv "$f.part" "$f" || { rm -f "$f.part" "$f.version"; return 1; }
  echo "$f"
}

cmd_deploy() {
  local env=${1:-} version=${2:-} prev f
  [ "$env" = production ] || { echo "❌ Unknown environment: '$env' (expected production)" >&2; return 2; }
  if ! [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]]; then
    echo "❌ Invalid version: '$version' (expected e.g. v1.2.0)" >&2; return 2
  fi
  prev=$(current_version)
  log "🚀 Deploying LifeOS $version to production (now: $prev)"
  log "Backing up the database first..."
  f=$(backup predeploy) || { log "❌ Backup failed: nothing was deployed"; return 1; }
  log "  ✅ Backup: $f (version $(cat "$f.version"))"
  start_all "$version" || true
  log "Waiting for the services to become healthy (up to $HEALTH_RETRIES checks)..."
  if wait_healthy; then
    [ "$prev" != none ] && [ "$prev" != "$version" ] && { echo "$prev" > "$PREVIOUS_FILE.tmp" && mv "$PREVIOUS_FILE.tmp" "$PREVIOUS_FILE"; }
    echo "$version" > "$VERSION_FILE.tmp" && mv "$VERSION_FILE.tmp" "$VERSION_FILE"
    local s; for s in $SERVICES; do log "  ✅ $s is healthy"; done
    log "✅ Deployment of $version completed"
    return 0
  fi
  local s; for s in $SERVICES; do log "  ❌ $s: $(health_of "$(cname "$s")")"; done
  log "❌ Health check failed: rolling back to $prev automatically"
  if [ "$prev" != none ]; then
    start_all "$prev" && wait_healthy && log "↩️  Rolled back to $prev" || log "❌ The automatic rollback to $prev is not healthy either"
  fi
  log "❌ Deployment of $version FAILED"
  return 1
}

cmd_health_check() {
  local s h rc=0
  for s in $SERVICES; do
    h=$(health_of "$(cname "$s")")
    if [ "$h" = healthy ]; then echo "✅ $s: healthy"; else echo "❌ $s: $h"; rc=1; fi
  done
  [ $rc = 0 ] && echo "All services healthy" || echo "Some services are not healthy"
  return $rc
}

cmd_status() {
  local s
  echo "Environment: production"
  echo "Version: $(current_version)"
  for s in $SERVICES; do printf '  %-10s %-28s %s\n' "$s" "$(cname "$s")" "$(health_of "$(cname "$s")")"; done
}

cmd_logs() {
  local s
  if [ -n "${1:-}" ]; then
    case " $SERVICES " in *" $1 "*) ;; *) echo "❌ Unknown service: '$1' (one of: $SERVICES)" >&2; return 2 ;; esac
    docker logs --tail 100 "$(cname "$1")" 2>&1
  else
    for s in $SERVICES; do docker logs --tail 100 "$(cname "$s")" 2>&1 | sed "s/^/$s | /"; done
  fi
}

cmd_rollback() {
  local f=${1:-} version
  [ -n "$f" ] || { echo "❌ Usage: deploy.sh rollback /path/to/backup.sql.gz" >&2; return 2; }
  [ -f "$f" ] || { echo "❌ No such backup: $f" >&2; return 2; }
  gzip -t "$f" 2>/dev/null || { echo "❌ Not a complete gzip file: $f" >&2; return 2; }
  version=$(cat "$f.version" 2>/dev/null || true)
  log "⚠️  Rolling back to backup $f${version:+ (version $version)}"
  log "Restoring the database..."
  { echo "DROP SCHEMA IF EXISTS selfology CASCADE;"; gunzip -c "$f"; } | psql_ -1 >/dev/null \
    || { log "❌ Database restore failed: nothing was changed"; return 1; }
  log "  ✅ Database restored from $(basename "$f")"
  if [ -n "$version" ] && [ "$version" != none ] && [ "$version" != "$(current_version)" ]; then
    start_all "$version" || true
    if ! wait_healthy; then log "❌ $version is not healthy after the rollback"; return 1; fi
    echo "$version" > "$VERSION_FILE.tmp" && mv "$VERSION_FILE.tmp" "$VERSION_FILE"
  fi
  log "✅ Rollback completed: version $(current_version)"
}

# Typed rollbacks (TraceHub's rollback.sh -t TYPE):
#   deployment  the version the last successful deploy replaced, started again (the database as it is)
#   database    the database restored from the newest backup of any kind (the version as it is): the one the console's
#               confirmation names (RolloutRules.DatabaseLoss), with the rows written since its time
cmd_rollback_type() {
  local prev now f
  case "${1:-}" in
    deployment)
      prev=$(cat "$PREVIOUS_FILE" 2>/dev/null || true); now=$(current_version)
      [ -n "$prev" ] && [ "$prev" != "$now" ] || { echo "❌ No previous version to go back to (now: $now)" >&2; return 1; }
      log "⚠️  Rolling the deployment back: $now -> $prev"
      start_all "$prev" || true
      if ! wait_healthy; then log "❌ $prev is not healthy"; return 1; fi
      echo "$prev" > "$VERSION_FILE.tmp" && mv "$VERSION_FILE.tmp" "$VERSION_FILE"
      echo "$now" > "$PREVIOUS_FILE.tmp" && mv "$PREVIOUS_FILE.tmp" "$PREVIOUS_FILE"
      log "✅ Deployment rolled back: version $prev"
      ;;
    database)
      # the newest by the time in its name (YYYYMMDD_HHMMSS.sql.gz: the last 22 characters), whatever its kind
      f=$(for x in "$BACKUP_DIR"/lifeos_*_????????_??????.sql.gz; do [ -f "$x" ] && echo "${x: -22:15} $x"; done | sort | tail -n 1 | cut -d' ' -f2-)
      [ -n "$f" ] || { echo "❌ No backup in $BACKUP_DIR" >&2; return 1; }
      gzip -t "$f" 2>/dev/null || { echo "❌ Not a complete gzip file: $f" >&2; return 1; }
      log "⚠️  Rolling the database back to $f"
      { echo "DROP SCHEMA IF EXISTS selfology CASCADE;"; gunzip -c "$f"; } | psql_ -1 >/dev/null \
        || { log "❌ Database restore failed: nothing was changed"; return 1; }
      log "✅ Database rolled back to $(basename "$f") (version $(current_version) unchanged)"
      ;;
    *) echo "❌ Unknown rollback type: '${1:-}' (deployment or database)" >&2; return 2 ;;
  esac
}

case "${1:-}" in
  deploy) shift; cmd_deploy "$@" ;;
  rollback-type) shift; cmd_rollback_type "$@" ;;
  health-check) cmd_health_check ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  rollback) shift; cmd_rollback "$@" ;;
  backup) backup manual ;;
  *) echo "Usage: $0 deploy production VERSION|health-check|status|logs [service]|rollback FILE|rollback-type deployment|database|backup" >&2; exit 2 ;;
esac
