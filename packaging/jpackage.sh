#!/usr/bin/env bash
# Builds a self-contained Dutydesk (JDK runtime trimmed by jlink, with its CDS base archive — jlink needs its bin/java
# for that, so native commands are kept — + JavaFX + Dutydesk + its AppCDS archive) with jpackage:
#   packaging/jpackage.sh [app-image|deb]     -> target/package/
# The fat jar already holds the Linux OpenJFX natives; jlink keeps jdk.crypto.ec for SSH and jdk.net for its socket
# (TCP_QUICKACK: adapters.ssh.QuickAckSockets).
#
# deb (Debian 12 / amd64; needs dpkg-dev for dpkg-shlibdeps, and fakeroot):
# - Depends: jpackage derives the libraries of the jlink runtime itself (ldd + dpkg -S); the natives
#   JavaFX, SQLite and JNA unpack from the jar at run time are invisible to it, so dpkg-shlibdeps
#   derives theirs (GTK 3, GL, X, Pango, ...) from their ELF NEEDED entries -> --linux-package-deps.
# - Recommends (libsecret-tools, libnotify-bin) and the desktop entry's name via packaging/deb/
#   (--resource-dir; see packaging/deb/README.md).
# - /usr/bin/dutydesk -> /opt/dutydesk/bin/dutydesk is a symlink shipped in the package, so dpkg
#   owns it and removes it (jpackage has no option for it: the .deb is unpacked, the link added and
#   the .deb rebuilt with dpkg-deb).
# Overridable: DUTYDESK_DEB_MAINTAINER (e-mail), DUTYDESK_VENDOR.
set -euo pipefail
cd "$(dirname "$0")/.."
type=${1:-app-image}
case "$type" in app-image|deb) ;; *) echo "usage: packaging/jpackage.sh [app-image|deb]" >&2; exit 2 ;; esac

# The project's version: the pom's first <version> (the project has no parent).
version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
[ -n "$version" ] || { echo "jpackage.sh: no <version> in pom.xml" >&2; exit 1; }
# Rebuild the jar when it is missing or older than what it is built from.
if [ ! -f target/dutydesk.jar ] || [ -n "$(find pom.xml src/main styles icons -newer target/dutydesk.jar -print -quit)" ]; then
  mvn -B -q -DskipTests package
fi
jar_version=$(unzip -p target/dutydesk.jar io/dutydesk/version.properties | sed -n 's/^version=//p')
[ "$jar_version" = "$version" ] || { echo "jpackage.sh: target/dutydesk.jar is $jar_version, pom.xml says $version" >&2; exit 1; }

vendor=${DUTYDESK_VENDOR:-Dutydesk maintainers}
maintainer=${DUTYDESK_DEB_MAINTAINER:-maintainers@users.noreply.b-seed-e0c310d6.example}

rm -rf target/package target/jpackage-input target/jpackage-natives target/deb-root
mkdir -p target/jpackage-input
cp target/dutydesk.jar target/jpackage-input/

args=(--type "$type" --name dutydesk --app-version "$version"
  --input target/jpackage-input --main-jar dutydesk.jar --main-class io.dutydesk.app.Main
  --icon icons/dutydesk-256.png --dest target/package
  # java.scripting: FXMLLoader needs javax.script (the panes' layouts); FirstFrameTest runs the window with only these
  --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.sql,java.xml,jdk.crypto.ec,jdk.unsupported,jdk.jfr,jdk.zipfs,jdk.net
  --jlink-options '--strip-debug --no-man-pages --no-header-files --generate-cds-archive'
  --description "Operations console for blue-green microservices behind nginx"
  --vendor "$vendor" --copyright "Copyright (C) $vendor")

# the launcher's JVM options: heap cap, the CDS archive (packaging/java-options, one per line)
while IFS= read -r o; do
  case "$o" in ''|'#'*) ;; *) args+=(--java-options "$o") ;; esac
done < packaging/java-options

# The AppCDS archive of a launcher: written by a training run of that launcher (packaging/cds-archive.sh) against the
# jar at the path it runs from — the JVM checks the jar's path, size and mtime — with the archive option taken out
# of its .cfg meanwhile (a SharedArchiveFile given with ArchiveClassesAtExit would be taken for the base archive).
train() { # APP_DIR (…/dutydesk, holding bin/ and lib/)
  local cfg=$1/lib/app/dutydesk.cfg
  grep -q 'SharedArchiveFile=$APPDIR/dutydesk.jsa' "$cfg" || { echo "jpackage.sh: no archive option in $cfg" >&2; return 1; }
  cp -p "$cfg" "$cfg.orig"
  grep -v 'SharedArchiveFile=' "$cfg.orig" > "$cfg"
  local rc=0
  packaging/cds-archive.sh --launcher "$1/bin/dutydesk" "$1/lib/app/dutydesk.jsa" || rc=$?
  mv -f "$cfg.orig" "$cfg"
  return $rc
}

if [ "$type" = deb ]; then
  command -v dpkg-shlibdeps >/dev/null || { echo "jpackage.sh: dpkg-shlibdeps missing (apt-get install dpkg-dev)" >&2; exit 1; }
  case "$(uname -m)" in
    x86_64) sqlite=x86_64 jna=linux-x86-64 ;;
    aarch64) sqlite=aarch64 jna=linux-aarch64 ;;
    *) echo "jpackage.sh: no .deb for $(uname -m)" >&2; exit 1 ;;
  esac
  # The natives this machine's JVM loads from the jar: JavaFX's (top level), SQLite's, JNA's.
  natives=target/jpackage-natives
  mkdir -p "$natives/debian"
  unzip -q -j -W target/dutydesk.jar 'lib*.so' "org/sqlite/native/Linux/$sqlite/libsqlitejdbc.so" \
    "com/sun/jna/$jna/libjnidispatch.so" -d "$natives"
  printf 'Source: dutydesk\n\nPackage: dutydesk\nArchitecture: any\n' > "$natives/debian/control"
  deps=$(cd "$natives" && dpkg-shlibdeps -O ./*.so 2>shlibdeps.log | sed -n 's/^shlibs:Depends=//p') \
    || { cat "$natives/shlibdeps.log" >&2; exit 1; }
  case "$deps" in *libgtk-3-0*) ;; *) echo "jpackage.sh: no GTK 3 in the derived Depends: $deps" >&2; exit 1 ;; esac
  args+=(--linux-package-deps "$deps" --linux-deb-maintainer "$maintainer"
    --linux-shortcut --linux-menu-group 'System;Network;' --linux-app-category admin
    --resource-dir packaging/deb)
fi

jpackage "${args[@]}"

if [ "$type" = deb ]; then
  deb=$(ls target/package/dutydesk_"$version"-*.deb)
  root=target/deb-root
  dpkg-deb -R "$deb" "$root"
  [ -x "$root/opt/dutydesk/bin/dutydesk" ] || { echo "jpackage.sh: no launcher at /opt/dutydesk/bin/dutydesk" >&2; exit 1; }
  mkdir -p "$root/usr/bin"
  ln -s /opt/dutydesk/bin/dutydesk "$root/usr/bin/dutydesk"
  # the archive is trained where the package installs (/opt/dutydesk): the unpacked tree is mounted there in a mount
  # namespace of this run only (a user namespace too when not root); dpkg keeps the jar's mtime, so the archive holds
  unshare_opts=(-m); [ "$(id -u)" = 0 ] || unshare_opts=(-r -m)
  chmod 0755 "$root/opt/dutydesk/lib/app"
  unshare "${unshare_opts[@]}" bash -euc 'mount -t tmpfs -o mode=0755 dutydesk-cds /opt && mkdir /opt/dutydesk &&
    mount --bind "$1" /opt/dutydesk && cd "$2" && eval "$3" && train /opt/dutydesk' _ \
    "$PWD/$root/opt/dutydesk" "$PWD" "$(declare -f train)"
  chmod 0644 "$root/opt/dutydesk/lib/app/dutydesk.jsa"
  dpkg-deb --root-owner-group -b "$root" "$deb" >/dev/null
  rm -rf "$root" "$natives"
  echo "$deb"
else
  train target/package/dutydesk
  chmod 0644 target/package/dutydesk/lib/app/dutydesk.jsa
  echo "target/package/"
fi
