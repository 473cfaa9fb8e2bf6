#!/usr/bin/env bash
# Builds the AppCDS archive of Dutydesk (JDK 13+ dynamic archive, -XX:ArchiveClassesAtExit) from a training run:
#   packaging/cds-archive.sh JAR ARCHIVE            the jar's archive: java -XX:SharedArchiveFile=ARCHIVE -jar JAR
#   packaging/cds-archive.sh --launcher BIN ARCHIVE  a jpackage launcher's (its runtime must have its own base archive:
#                                                    jlink --generate-cds-archive; see jpackage.sh)
# The training run (Main with -Ddutydesk.cds.train=DIR, see app.CdsTraining) runs the CLI's verbs against an
# environment whose SSH port refuses, loads the classes listed in cds-classes.txt, and — under Xvfb when there is no
# display — opens the window until its first frame. It writes only under a scratch folder, connects to nothing.
# An archive is valid only for the JVM that wrote it and the jar it was written against (path, size, mtime); with any
# other the JVM ignores it (-Xshare:auto, the default) — quietly with -Xlog:cds=off -Xlog:cds+dynamic=off.
# DUTYDESK_CDS_WINDOW=false: the action verbs' archive (their verbs and cds-classes-cli.txt, no window).
set -euo pipefail
launcher=
if [ "${1:-}" = --launcher ]; then launcher=$2; shift 2; else jar=${1:?usage: cds-archive.sh JAR ARCHIVE}; shift; fi
archive=${1:?usage: cds-archive.sh JAR ARCHIVE}
archive=$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")
scratch=$(mktemp -d "${TMPDIR:-/tmp}/dutydesk-cds.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
rm -f "$archive"

# one training run; $1: the window's archive (true) or the action verbs' (false); $2: whether it opens the window (the
# window's archive without it: its classes loaded, none shown — CdsTraining opens no window without DISPLAY)
train_once() {
  local window=$1 show=$2 wrap=() unset=()
  local opts=(-XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off -Ddutydesk.cds.train="$scratch/train"
    -Duser.home="$scratch" -Ddutydesk.cds.window="$window")
  if [ "$show" = true ] && [ -z "${DISPLAY:-}" ]; then
    wrap=(xvfb-run -a -s '-screen 0 1400x900x24')
  elif [ "$show" = false ]; then
    unset=(-u DISPLAY -u WAYLAND_DISPLAY)
  fi
  local cmd
  if [ -n "$launcher" ]; then
    # a jpackage launcher takes JVM options from its .cfg; the training's come through the JVM's own variable
    cmd=(env JAVA_TOOL_OPTIONS="${opts[*]}" "$launcher")
  else
    cmd=("${JAVA:-java}" "${opts[@]}" -jar "$jar")
  fi
  rm -f "$archive"
  env -u DUTYDESK_CONFIG "${unset[@]}" HOME="$scratch" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
    XDG_STATE_HOME="$scratch/state" DUTYDESK_STORE="$scratch/window.db" DUTYDESK_AUDIT_LOG="$scratch/audit.jsonl" \
    timeout 180 "${wrap[@]}" "${cmd[@]}" >"$scratch/out.log" 2>&1 && [ -s "$archive" ]
}
window=${DUTYDESK_CDS_WINDOW:-true}
show=$window
if [ "$show" = true ] && [ -z "${DISPLAY:-}" ] && ! command -v xvfb-run >/dev/null; then
  echo "cds-archive.sh: no display and no xvfb-run: the window's archive is trained without opening it" >&2
  show=false
fi
if ! train_once "$window" "$show"; then
  if [ "$show" = true ]; then
    # the window could not be opened (no GTK, no X server): its classes loaded without it still pay
    echo "cds-archive.sh: the window's training run failed; trained again without opening it:" >&2
    tail -n 20 "$scratch/out.log" >&2
    train_once "$window" false || { echo "cds-archive.sh: the training run failed:" >&2; cat "$scratch/out.log" >&2; exit 1; }
  else
    echo "cds-archive.sh: the training run failed:" >&2; cat "$scratch/out.log" >&2; exit 1
  fi
fi
echo "$archive ($(du -k "$archive" | cut -f1) KiB)"
