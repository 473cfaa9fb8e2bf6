#!/usr/bin/env bash
# Builds a self-contained application image (JDK + JavaFX + Dutydesk) with jpackage:
#   packaging/jpackage.sh [app-image|deb]     -> target/package/
# The fat jar already holds the Linux OpenJFX natives; jlink keeps jdk.crypto.ec for SSH.
set -euo pipefail
cd "$(dirname "$0")/.."
type=${1:-app-image}
[ -f target/dutydesk.jar ] || mvn -B -q -DskipTests package
version=$(unzip -p target/dutydesk.jar io/dutydesk/version.properties | sed -n 's/^version=//p')
rm -rf target/package target/jpackage-input
mkdir -p target/jpackage-input
cp target/dutydesk.jar target/jpackage-input/
jpackage --type "$type" --name dutydesk --app-version "$version" \
  --input target/jpackage-input --main-jar dutydesk.jar --main-class io.dutydesk.app.Main \
  --icon icons/dutydesk-256.png --dest target/package \
  --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.prefs,java.sql,java.xml,jdk.crypto.ec,jdk.unsupported,jdk.jfr,jdk.zipfs \
  --java-options '-Xss1m' \
  --description "Operations console for blue-green microservices behind nginx" \
  --vendor Dutydesk
echo "target/package/"
