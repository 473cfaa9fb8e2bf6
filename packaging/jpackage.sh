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
# - Two launchers: bin/dutydesk (the window, and every verb; the window's archive) and bin/dutydesk-cli (the action
#   verbs; their own, smaller archive: target/dutydesk-cli.properties, --add-launcher).
# - /usr/bin/dutydesk is packaging/deb/dutydesk, shipped in the package, so dpkg owns it and removes it: it starts an
#   action verb from bin/dutydesk-cli, anything else from bin/dutydesk (jpackage has no option for it: the .deb is
#   unpacked, the file added and the .deb rebuilt with dpkg-deb).
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

# the launcher's JVM options: heap cap, the CDS archive (packaging/java-options, one per line); the action verbs'
# launcher has the same with its own archive (its properties' java-options replace the main launcher's), no menu entry
cli_options=()
while IFS= read -r o; do
  case "$o" in ''|'#'*) ;; *) args+=(--java-options "$o"); cli_options+=("${o/\$APPDIR\/dutydesk.jsa/\$APPDIR/dutydesk-cli.jsa}") ;; esac
done < packaging/java-options
printf 'java-options=%s\nlinux-shortcut=false\ndescription=Dutydesk action verbs\n' "${cli_options[*]}" > target/dutydesk-cli.properties
grep -qF 'SharedArchiveFile=$APPDIR/dutydesk-cli.jsa' target/dutydesk-cli.properties \
  || { echo "jpackage.sh: no archive option for the action verbs' launcher" >&2; exit 1; }
args+=(--add-launcher dutydesk-cli=target/dutydesk-cli.properties)

# The AppCDS archive of a launcher: written by a training run of that launcher (packaging/cds-archive.sh) against the
# jar at the path it runs from — the JVM checks the jar's path, size and mtime — with the archive option taken out
# of its .cfg meanwhile (a SharedArchiveFile given with ArchiveClassesAtExit would be taken for the base archive).
# Both launchers: the window's (everything), then the action verbs' (DUTYDESK_CDS_WINDOW=false: app.CdsTraining).
train() { # APP_DIR (…/dutydesk, holding bin/ and lib/)
  train_one "$1" dutydesk true && train_one "$1" dutydesk-cli false
}
train_one() { # APP_DIR LAUNCHER WINDOW
  local cfg=$1/lib/app/$2.cfg
  grep -q "SharedArchiveFile=\$APPDIR/$2.jsa" "$cfg" || { echo "jpackage.sh: no archive option in $cfg" >&2; return 1; }
  cp -p "$cfg" "$cfg.orig"
  grep -v 'SharedArchiveFile=' "$cfg.orig" > "$cfg"
  local rc=0
  DUTYDESK_CDS_WINDOW=$3 packaging/cds-archive.sh --launcher "$1/bin/$2" "$1/lib/app/$2.jsa" || rc=$?
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
  for l in dutydesk dutydesk-cli; do
    [ -x "$root/opt/dutydesk/bin/$l" ] || { echo "jpackage.sh: no launcher at /opt/dutydesk/bin/$l" >&2; exit 1; }
  done
  # the action verbs' launcher has no menu entry: JDK 17's jpackage writes one for every launcher of a package with
  # --linux-shortcut (it ignores linux-shortcut=false in an added launcher's properties); its entry, icon and the
  # maintainer scripts' lines for it are taken out
  rm -f "$root/opt/dutydesk/lib/dutydesk-dutydesk-cli.desktop" "$root/opt/dutydesk/lib/dutydesk-cli.png"
  sed -i '/dutydesk-dutydesk-cli\.desktop/d' "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"
  ! grep -rq 'dutydesk-cli\.desktop' "$root/DEBIAN" || { echo "jpackage.sh: the action launcher's menu entry is still installed" >&2; exit 1; }
  mkdir -p "$root/usr/bin"
  install -m 0755 packaging/deb/dutydesk "$root/usr/bin/dutydesk"
  # the archive is trained where the package installs (/opt/dutydesk): the unpacked tree is mounted there in a mount
  # namespace of this run only (a user namespace too when not root); dpkg keeps the jar's mtime, so the archive holds
  unshare_opts=(-m); [ "$(id -u)" = 0 ] || unshare_opts=(-r -m)
  chmod 0755 "$root/opt/dutydesk/lib/app"
  unshare "${unshare_opts[@]}" bash -euc 'mount -t tmpfs -o mode=0755 dutydesk-cds /opt && mkdir /opt/dutydesk &&
    mount --bind "$1" /opt/dutydesk && cd "$2" && eval "$3" && train /opt/dutydesk' _ \
    "$PWD/$root/opt/dutydesk" "$PWD" "$(declare -f train train_one)"
  chmod 0644 "$root/opt/dutydesk/lib/app/dutydesk.jsa" "$root/opt/dutydesk/lib/app/dutydesk-cli.jsa"
  dpkg-deb --root-owner-group -b "$root" "$deb" >/dev/null
  rm -rf "$root" "$natives"
  echo "$deb"
else
  train target/package/dutydesk
  chmod 0644 target/package/dutydesk/lib/app/dutydesk.jsa target/package/dutydesk/lib/app/dutydesk-cli.jsa
  echo "target/package/"
fi
