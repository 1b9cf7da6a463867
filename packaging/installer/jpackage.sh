#!/usr/bin/env bash
# Builds the jpackage application image and the .deb from the runnable jar.
# Called by `mvn -Pinstaller package` (packaging/pom.xml); usage: jpackage.sh JAR OUTDIR VERSION
set -euo pipefail
jar="$1"; out="$2"; version="$3"
here="$(cd "$(dirname "$0")" && pwd)"
command -v jpackage >/dev/null || { echo "jpackage not found: it ships with a full JDK 17+" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/input" "$out/image" "$out/deb"
cp "$jar" "$out/input/allium.jar"

common=(--name allium --app-version "$version" --input "$out/input" --main-jar allium.jar
        --main-class org.allium.packaging.Launcher
        --java-options -Xmx256m
        --java-options '--add-exports=java.desktop/sun.awt=ALL-UNNAMED'
        --java-options '--add-exports=java.desktop/sun.awt.X11=ALL-UNNAMED'
        --description "Anonymous peer-to-peer messenger over Tor onion services"
        --vendor "Allium" --copyright "Allium contributors"
        --icon "$here/allium.png")

# The application image: a directory with bin/allium and its own Java runtime.
jpackage --type app-image "${common[@]}" --dest "$out/image"
echo "app image: $out/image/allium" >&2

# The .deb: needs dpkg-deb and fakeroot. Declares tor, adds a desktop entry with the icon.
if command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null; then
  jpackage --type deb "${common[@]}" --dest "$out/deb" \
    --linux-package-name allium --linux-deb-maintainer "allium@localhost" \
    --linux-package-deps tor --linux-menu-group "Network;InstantMessaging" \
    --linux-app-category net --linux-shortcut --resource-dir "$here/deb"
  deb="$(ls "$out"/deb/*.deb)"
  # Our maintainer scripts (a missing desktop menu must not fail the install) must be the ones packaged.
  dpkg-deb -e "$deb" "$out/deb/DEBIAN"
  for script in postinst prerm; do
    cmp -s "$here/deb/$script" "$out/deb/DEBIAN/$script" || { echo "the .deb's $script is not installer/deb/$script" >&2; exit 1; }
  done
  rm -rf "$out/deb/DEBIAN"
  echo "deb: $deb" >&2
else
  echo "skipping the .deb: install dpkg-dev and fakeroot (apt-get install fakeroot)" >&2
  exit 1
fi
