#!/bin/bash
# Reference-host copy of the Selfology runbook's deployment/blue-green-deploy.sh.
# Verbs: status | deploy VERSION | switch | rollback | cleanup
# Really starts/stops the slot containers and switches nginx between the slots.
set -u
export PATH=$PATH:/usr/sbin:/sbin
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
. "$HERE/../refhost.env"   # SERVICES, PORT_BLUE_*, PORT_GREEN_*, dirs

STATE_DIR="$SRV/selfology/state"
ACTIVE_FILE="$STATE_DIR/active_slot"
IMAGE_REPO=selfology/service

active_slot() { cat "$ACTIVE_FILE" 2>/dev/null || echo blue; }
other() { [ "$1" = blue ] && echo green || echo blue; }
port_of() { # service slot
  local i=0 s
  for s in $SERVICES; do
    if [ "$s" = "$1" ]; then
      if [ "$2" = blue ]; then echo $((PORT_BLUE_BASE + i)); else echo $((PORT_GREEN_BASE + i)); fi
      return
    fi
    i=$((i + 1))
  done
}
cname() { echo "selfology-$1-$2"; }
health_of() { # container -> healthy|unhealthy|starting|not running
  local st
  st=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1" 2>/dev/null) || { echo "not running"; return; }
  case "$st" in
    running\ *) echo "${st#running }" ;;
    *) echo "not running (${st%% *})" ;;
  esac
}

write_upstreams() { # slot
  local s tmp="$NGINX_DIR/upstreams.conf.tmp"
  : > "$tmp"
  for s in $SERVICES; do
    printf 'upstream %s { server 127.0.0.1:%s; }\n' "$s" "$(port_of "$s" "$1")" >> "$tmp"
  done
  printf 'map $host $live_upstream { default "%s"; }\n' "$1" >> "$tmp"
  mv "$tmp" "$NGINX_DIR/upstreams.conf"
  # check the new configuration, then tell the master to reload it
  nginx -t -q -e "$NGINX_DIR/error.log" -c "$NGINX_DIR/nginx.conf" 2>>"$NGINX_DIR/reload.log" \
    && kill -HUP "$(cat "$NGINX_DIR/nginx.pid")"
  # a reload is done when the new worker serves the slot and the old worker has exited
  # (until then the old one may still answer with the previous slot)
  local i master; master=$(cat "$NGINX_DIR/nginx.pid")
  for ((i = 0; i < 100; i++)); do
    if [ "$(curl -fsS -m 2 "http://127.0.0.1:$NGINX_PORT/live-upstream" 2>/dev/null)" = "$1" ] \
      && [ "$(pgrep -P "$master" | wc -l)" -le 1 ]; then
      return 0
    fi
    sleep 0.05
  done
  echo "nginx did not pick up the $1 upstreams" >&2; return 1
}

write_targets() { # Prometheus file_sd: every container that exists
  local s slot tmp="$PROM_TARGETS.tmp" first=1
  printf '[' > "$tmp"
  for slot in blue green; do
    for s in $SERVICES; do
      docker inspect "$(cname "$s" "$slot")" >/dev/null 2>&1 || continue
      [ $first = 1 ] || printf ',' >> "$tmp"; first=0
      printf '{"targets":["127.0.0.1:%s"],"labels":{"service":"%s","slot":"%s"}}' \
        "$(port_of "$s" "$slot")" "$s" "$slot" >> "$tmp"
    done
  done
  printf ']\n' >> "$tmp"
  mv "$tmp" "$PROM_TARGETS"
}

slot_health() { # slot -> "SERVICE HEALTH" per service, HEALTH as health_of says it, from one docker call
  local s n a b names=()
  local -A st=()
  for s in $SERVICES; do names+=("$(cname "$s" "$1")"); done
  while read -r n a b; do
    [ -n "$n" ] && st[${n#/}]="$a $b"
  done < <(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' \
             "${names[@]}" 2>/dev/null)
  for s in $SERVICES; do
    n=$(cname "$s" "$1")
    case "${st[$n]:-}" in
      "") echo "$s not running" ;;
      running\ *) echo "$s ${st[$n]#running }" ;;
      *) echo "$s not running (${st[$n]%% *})" ;;
    esac
  done
}

slot_healthy() { # slot -> 0 when every service is healthy
  local s ok=0
  for s in $SERVICES; do
    [ "$(health_of "$(cname "$s" "$1")")" = healthy ] || ok=1
  done
  return $ok
}

start_container() { # service slot version
  local name; name=$(cname "$1" "$2")
  local port; port=$(port_of "$1" "$2")
  local extra=()
  mkdir -p "$SRV/ctl/$name"
  [ "$1" = outbox-relay ] && extra=(-v "$SRV/ctl/shared:/shared:ro")
  docker rm -f "$name" >/dev/null 2>&1
  docker run -d --name "$name" --network host \
    --label dutydesk.refhost=1 --label "com.selfology.service=$1" --label "com.selfology.slot=$2" \
    --label "com.selfology.version=$3" \
    -e "SERVICE=$1" -e "SLOT=$2" -e "PORT=$port" -e "VERSION=$3" \
    -v "$SRV/ctl/$name:/ctl:ro" "${extra[@]}" \
    --health-cmd "wget -q -O /dev/null http://127.0.0.1:$port/health || exit 1" \
    --health-interval 2s --health-timeout 2s --health-retries 2 --health-start-period 1s \
    "$IMAGE_REPO:$3" /serve >/dev/null
}

cmd_status() {
  local a i slot s; a=$(active_slot); i=$(other "$a")
  echo "Active Slot:   $a"
  echo "Inactive Slot: $i"
  for slot in blue green; do
    echo
    echo "$(echo "$slot" | tr a-z A-Z) SLOT SERVICES:"
    for s in $SERVICES; do
      printf '  %-30s %s\n' "$s-$slot:" "$(health_of "$(cname "$s" "$slot")")"
    done
  done
}

cmd_deploy() {
  local version=${1:-}
  if ! [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]]; then
    echo "❌ Invalid version: '$version' (expected e.g. v1.2.0)" >&2; return 2
  fi
  local a t s; a=$(active_slot); t=$(other "$a")
  echo "🚀 Starting Blue-Green deployment..."
  echo "Version: $version"
  echo "Active slot: $a"
  echo "Target slot: $t"
  echo
  # no registry here: the 'pull' is a local tag of the imported busybox image
  docker image inspect "$IMAGE_REPO:$version" >/dev/null 2>&1 || docker tag "$BASE_IMAGE" "$IMAGE_REPO:$version"
  echo "Starting services in $t slot..."
  # side by side (docker run takes ~0.4 s each on the build machine), each said as before
  local pids=() i=0
  for s in $SERVICES; do
    echo "  Starting $s-$t..."
    start_container "$s" "$t" "$version" & pids+=($!)
  done
  local rc=0   # every start waited for before a failure is reported, each failure named
  for s in $SERVICES; do
    wait "${pids[$i]}" || { echo "❌ could not start $s-$t" >&2; rc=1; }
    i=$((i + 1))
  done
  [ $rc = 0 ] || return 1
  write_targets
  echo
  echo "Waiting for all services to become healthy..."
  local deadline=$((SECONDS + ${DEPLOY_HEALTH_TIMEOUT:-60})) pending dead h
  while :; do
    pending=""; dead=""
    while read -r s h; do
      [ "$h" = healthy ] && continue
      pending="$pending $s"
      case "$h" in "not running"*) dead="$dead $s" ;; esac
    done < <(slot_health "$t")
    [ -z "$pending" ] && break
    if [ -n "$dead" ] || [ $SECONDS -ge $deadline ]; then
      for s in $pending; do echo "  ❌ $s-$t is $(health_of "$(cname "$s" "$t")")"; done
      echo "❌ Deployment to $t slot failed: services not healthy" >&2
      return 1
    fi
    # the slot turns healthy at its containers' first check, 2 s after their start: seen within 0.2 s (one docker call)
    sleep 0.2
  done
  for s in $SERVICES; do echo "  ✅ $s-$t is healthy"; done
  echo
  echo "Running smoke tests on $t slot..."
  curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$(port_of "${SERVICES%% *}" "$t")/health" \
    && echo "  ✅ Service response check passed" || { echo "  ❌ Service response check failed"; return 1; }
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && echo "  ✅ Database connectivity passed" \
    || { echo "  ❌ Database connectivity failed"; return 1; }
  REDISCLI_AUTH=$(cat "$SRV/secrets/redis_password") redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG \
    && echo "  ✅ Redis connectivity passed" || { echo "  ❌ Redis connectivity failed"; return 1; }
  REDISCLI_AUTH=$(cat "$SRV/secrets/redis_password") redis-cli -p "$REDIS_PORT" exists selfology:events 2>/dev/null | grep -q 1 \
    && echo "  ✅ Event bus check passed" || { echo "  ❌ Event bus check failed"; return 1; }
  echo
  echo "✅ Deployment to $t slot completed successfully"
  echo "Run './deployment/blue-green-deploy.sh switch' to switch traffic"
}

switch_to() { # slot
  write_upstreams "$1" || { echo "❌ nginx reload failed" >&2; return 1; }
  echo "$1" > "$ACTIVE_FILE.tmp" && mv "$ACTIVE_FILE.tmp" "$ACTIVE_FILE"
}

cmd_switch() {
  local a t; a=$(active_slot); t=$(other "$a")
  echo "Switching traffic from $a to $t..."
  echo "Final health check before switching..."
  if ! slot_healthy "$t"; then
    local s
    for s in $SERVICES; do echo "  ❌ $s-$t: $(health_of "$(cname "$s" "$t")")"; done
    echo "❌ Switch aborted: $t slot is not healthy" >&2
    return 1
  fi
  echo "  ✅ All services in $t slot are healthy"
  echo
  switch_to "$t" || return 1
  echo "✅ Traffic switched to $t slot"
  echo "Old slot ($a) will remain running for 5 minutes for rollback capability"
}

cmd_rollback() {
  local a t s; a=$(active_slot); t=$(other "$a")
  echo "⚠️  Rolling back from $a to $t..."
  echo "Checking if $t slot services are still running..."
  for s in $SERVICES; do
    case "$(health_of "$(cname "$s" "$t")")" in
      healthy) ;;
      *) echo "  ❌ $s-$t: $(health_of "$(cname "$s" "$t")")"
         echo "❌ Rollback aborted: $t slot is not available" >&2
         return 1 ;;
    esac
  done
  echo "  ✅ All services in $t slot are available"
  echo
  echo "Switching traffic back to $t..."
  switch_to "$t" || return 1
  echo "✅ Rollback completed - traffic switched back to $t"
}

cmd_cleanup() {
  local a t s; a=$(active_slot); t=$(other "$a")
  echo "Cleaning up inactive slot ($t)..."
  for s in $SERVICES; do echo "  Stopping $s-$t..."; docker stop -t 2 "$(cname "$s" "$t")" >/dev/null 2>&1; done
  for s in $SERVICES; do echo "  Removing $s-$t..."; docker rm -f "$(cname "$s" "$t")" >/dev/null 2>&1; done
  write_targets
  echo "✅ Cleanup completed"
}

case "${1:-}" in
  status) cmd_status ;;
  deploy) shift; cmd_deploy "$@" ;;
  switch) cmd_switch ;;
  rollback) cmd_rollback ;;
  cleanup) cmd_cleanup ;;
  *) echo "Usage: $0 status|deploy VERSION|switch|rollback|cleanup" >&2; exit 2 ;;
esac
