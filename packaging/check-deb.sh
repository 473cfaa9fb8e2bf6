#!/usr/bin/env bash
# Builds the .deb (packaging/jpackage.sh deb), checks its control data and contents with dpkg-deb,
# installs it with apt, runs the CLI from the PATH without a display and the window under Xvfb from
# the desktop entry's Exec line, then removes the package. As root, on Debian 12; takes minutes
# (not part of mvn verify):   packaging/check-deb.sh [FILE.deb: check that one, build none]
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "check-deb: run as root (it installs the package with apt-get)" >&2; exit 2; }
! dpkg -s dutydesk >/dev/null 2>&1 || { echo "check-deb: dpkg knows dutydesk already; apt-get purge dutydesk first" >&2; exit 2; }

deb=${1:-$(packaging/jpackage.sh deb | tail -n 1)}
[ -f "$deb" ] || fail "jpackage.sh deb gave no .deb ($deb)"
version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
echo "check-deb: $deb, $(stat -c %s "$deb") bytes ($(( $(stat -c %s "$deb") / 1048576 )) MiB), installed $(dpkg-deb -f "$deb" Installed-Size) KiB"

# control data
[ "$(dpkg-deb -f "$deb" Package)" = dutydesk ] || fail "Package: $(dpkg-deb -f "$deb" Package)"
[ "$(dpkg-deb -f "$deb" Version)" = "$version-1" ] || fail "Version $(dpkg-deb -f "$deb" Version), pom.xml says $version"
maintainer=$(dpkg-deb -f "$deb" Maintainer)
[[ "$maintainer" =~ ^[A-Za-z][^\<]*\ \<[^@\>\ ]+@[^@\>\ ]+\>$ ]] || fail "Maintainer is not 'Name <e-mail>': $maintainer"
[[ "$maintainer" != *Unknown* ]] || fail "Maintainer: $maintainer"
depends=$(dpkg-deb -f "$deb" Depends)
# GTK 3 (glass), GL (prism-es2), X (glass, AWT), Pango/FreeType (fonts), ALSA (javax.sound), xdg-utils (menu entry)
for p in libgtk-3-0 libgl1 libx11-6 libxtst6 libxxf86vm1 libpango-1.0-0 libpangoft2-1.0-0 libfreetype6 \
         libfontconfig1 libcairo2 libgdk-pixbuf-2.0-0 libglib2.0-0 libasound2 libc6 xdg-utils; do
  grep -Eq "(^|[ ,])$p( |,|$)" <<<"$depends" || fail "Depends lacks $p: $depends"
done
[ "$(dpkg-deb -f "$deb" Recommends)" = "libsecret-tools, libnotify-bin" ] || fail "Recommends: $(dpkg-deb -f "$deb" Recommends)"

# contents
contents=$(dpkg-deb -c "$deb")
# /usr/bin/dutydesk: the launchers' dispatcher (packaging/deb/dutydesk), the window's launcher and the action verbs'
grep -Eq '^-rwxr-xr-x root/root .* \./usr/bin/dutydesk$' <<<"$contents" || fail "no executable /usr/bin/dutydesk in the .deb"
for f in ./opt/dutydesk/bin/dutydesk ./opt/dutydesk/bin/dutydesk-cli ./opt/dutydesk/lib/app/dutydesk-cli.jsa \
         ./opt/dutydesk/lib/app/dutydesk.jar ./opt/dutydesk/lib/app/dutydesk.jsa \
         ./opt/dutydesk/lib/runtime/lib/server/classes.jsa ./opt/dutydesk/lib/dutydesk.png \
         ./opt/dutydesk/lib/dutydesk-dutydesk.desktop; do
  grep -Eq " $f$" <<<"$contents" || fail "$f missing from the .deb"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst | grep -q 'xdg-desktop-menu install /opt/dutydesk/lib/dutydesk-dutydesk.desktop' \
  || fail "postinst does not install the desktop entry"
! grep -q 'dutydesk-cli' <<<"$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst ./prerm)" \
  || fail "the maintainer scripts install a menu entry for the action verbs' launcher"
! grep -q 'dutydesk-cli\.desktop' <<<"$contents" || fail "the .deb has a menu entry for the action verbs' launcher"

# install (Recommends left out: they are tools Dutydesk runs when there, not what this check is about)
scratch=$(mktemp -d)
installed=
cleanup() {
  if [ -n "$installed" ]; then
    apt-get purge -y -q dutydesk >/dev/null || echo "check-deb: apt-get purge dutydesk FAILED" >&2
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
installed=yes
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$PWD/$deb" >"$scratch/apt.log" 2>&1 \
  || { cat "$scratch/apt.log" >&2; fail "apt-get install $deb"; }
dpkg -s dutydesk | grep -q '^Status: install ok installed$' || fail "dpkg says dutydesk is not installed"
[ "$(dpkg -S /usr/bin/dutydesk)" = "dutydesk: /usr/bin/dutydesk" ] || fail "dpkg does not own /usr/bin/dutydesk"
[ "$(PATH=/usr/local/bin:/usr/bin:/bin command -v dutydesk)" = /usr/bin/dutydesk ] || fail "dutydesk is not on the PATH"
# xdg-desktop-menu (jpackage's postinst) copies the entry into the menus where a menu folder exists
desktop=/opt/dutydesk/lib/dutydesk-dutydesk.desktop
menu_entry=/usr/share/applications/dutydesk-dutydesk.desktop
if [ -d /etc/xdg/menus ]; then
  [ -f "$menu_entry" ] || fail "no $menu_entry after install although /etc/xdg/menus exists"
else
  echo "check-deb: no /etc/xdg/menus here: installed without a menu entry"
fi
grep -qx 'Name=Dutydesk' "$desktop" && grep -qx 'Icon=/opt/dutydesk/lib/dutydesk.png' "$desktop" \
  || fail "desktop entry: $(cat "$desktop")"

# the CLI from the PATH, without a display; HOME is a scratch folder (the local store goes there)
run() { env -u DISPLAY -u WAYLAND_DISPLAY HOME="$scratch/home" PATH=/usr/bin:/bin timeout 120 "$@"; }
mkdir -m 700 "$scratch/home"
out=$(run dutydesk --version) || fail "dutydesk --version exited $?"
[ "$out" = "dutydesk $version" ] || fail "dutydesk --version printed: $out"
# the launcher's JVM options (packaging/java-options): the heap cap and the AppCDS archive, which the installed
# launcher uses (trained at /opt/dutydesk: its classes come from the archive, not the jar)
cfg=/opt/dutydesk/lib/app/dutydesk.cfg
for o in -Xmx512m -XX:TieredStopAtLevel=1 -XX:-UsePerfData '-XX:SharedArchiveFile=$APPDIR/dutydesk.jsa' -Xshare:auto -Xlog:cds=off; do
  grep -qxF "java-options=$o" "$cfg" || fail "$cfg lacks $o: $(cat "$cfg")"
done
out=$(run env JAVA_TOOL_OPTIONS=-Xlog:class+load=info dutydesk --version 2>/dev/null) || fail "dutydesk --version (class log) exited $?"
grep -q 'io.dutydesk.app.Main source: shared objects file (top)' <<<"$out" \
  || fail "the installed launcher does not use its CDS archive: $(grep 'io.dutydesk.app.Main ' <<<"$out")"
# one menu entry (the window's): the action verbs' launcher has none
[ "$(ls /opt/dutydesk/lib/*.desktop | wc -l)" = 1 ] || fail "desktop entries: $(ls /opt/dutydesk/lib/*.desktop)"
# which launcher, and so which archive, a command line starts from: an action verb the action verbs' archive
archive_of() { run env JAVA_TOOL_OPTIONS=-XX:+PrintSharedArchiveAndExit dutydesk "$@" 2>&1 | sed -n 's/^Dynamic archive name: //p'; }
[ "$(archive_of rollback --env staging --yes)" = /opt/dutydesk/lib/app/dutydesk-cli.jsa ] \
  || fail "dutydesk rollback does not start with the action verbs' archive: $(archive_of rollback --env staging --yes)"
[ "$(archive_of --env staging lock --message m)" = /opt/dutydesk/lib/app/dutydesk-cli.jsa ] || fail "dutydesk --env staging lock"
[ "$(archive_of ping --env staging)" = /opt/dutydesk/lib/app/dutydesk.jsa ] || fail "dutydesk ping: $(archive_of ping --env staging)"
cli_cfg=/opt/dutydesk/lib/app/dutydesk-cli.cfg
for o in -Xmx512m -XX:TieredStopAtLevel=1 -XX:-UsePerfData '-XX:SharedArchiveFile=$APPDIR/dutydesk-cli.jsa' -Xshare:auto -Xlog:cds=off; do
  grep -qxF "java-options=$o" "$cli_cfg" || fail "$cli_cfg lacks $o: $(cat "$cli_cfg")"
done
# port 1: nothing listens there, so every backend is down at once
printf 'environments:\n  staging:\n    ssh: { host: 127.0.0.1, port: 1, user: nobody }\n    deploy: { workdir: /srv/app }\n' \
  > "$scratch/environments.yaml"
out=$(run dutydesk envs --config "$scratch/environments.yaml") || fail "dutydesk envs exited $?: $out"
grep -Eq '^staging +nobody@127\.0\.0\.1' <<<"$out" || fail "dutydesk envs printed: $out"
set +e
out=$(run dutydesk ping --env staging --config "$scratch/environments.yaml" 2>&1); code=$?
set -e
[ "$code" = 1 ] || fail "dutydesk ping (all down) exited $code, not 1: $out"
grep -Eq '^ +ssh +DOWN .*Connection refused' <<<"$out" || fail "dutydesk ping printed: $out"
set +e
out=$(run dutydesk rollback --env staging --yes --config "$scratch/environments.yaml" 2>&1); code=$?
set -e
[ "$code" = 1 ] || fail "dutydesk rollback --yes (nothing answers) exited $code, not 1: $out"
grep -q 'Connection refused' <<<"$out" || fail "dutydesk rollback --yes printed: $out"

# the window, under Xvfb, started from the desktop entry's Exec line; the launch benchmark's mode
# prints DUTYDESK-READY once the first frame is rendered and every backend has answered, then exits
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
[ "$exec_line" = /opt/dutydesk/bin/dutydesk ] || fail "desktop Exec=$exec_line"
set +e
out=$(env -u WAYLAND_DISPLAY HOME="$scratch/home" JAVA_TOOL_OPTIONS=-Ddutydesk.benchmark=launch \
  timeout 180 xvfb-run -a $exec_line --config "$scratch/environments.yaml" --env staging 2>&1); code=$?
set -e
grep -q '^DUTYDESK-READY ' <<<"$out" || fail "the window did not come up under Xvfb (exit $code): $out"
# the packaged runtime lets the window's pulse timer pause (ui.fx.PausingPulseTimer says so on stderr where it cannot)
! grep -q 'pulse timer is kept' <<<"$out" || fail "the packaged window kept JavaFX's pulse timer: $out"
echo "check-deb: window up: $(grep '^DUTYDESK-READY ' <<<"$out")"

apt-get remove -y -q dutydesk >/dev/null || fail "apt-get remove dutydesk"
installed=
! dpkg -s dutydesk 2>/dev/null | grep -q '^Status: install ok installed$' || fail "dutydesk still installed after remove"
[ ! -e /usr/bin/dutydesk ] && [ ! -L /usr/bin/dutydesk ] || fail "/usr/bin/dutydesk left after remove"
[ ! -e "$menu_entry" ] || fail "$menu_entry left after remove"
[ ! -e /opt/dutydesk ] || fail "/opt/dutydesk left after remove"
apt-get purge -y -q dutydesk >/dev/null || fail "apt-get purge dutydesk"
! dpkg -s dutydesk >/dev/null 2>&1 || fail "dpkg still knows dutydesk after purge"
echo "check-deb: OK ($deb, $(stat -c %s "$deb") bytes)"
