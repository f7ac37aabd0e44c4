#!/usr/bin/env bash
# make dist: the app folder (PyInstaller, frontline.spec), then a Debian package and a self-extracting
# archive around it. Nothing is downloaded: the tools come from requirements-dist.lock (.venv-dist),
# dpkg-deb and makeself from the system.
#
#   packaging/build_linux.sh PYTHON VERSION OUT_DIR
set -euo pipefail
PY=$1 VERSION=$2 OUT=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
WORK=build/dist-work
APP=$OUT/frontline
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
DEB=$OUT/frontline_${VERSION}_${ARCH}.deb
RUN=$OUT/Frontline-${VERSION}-linux-$(uname -m).run
MAX_MB=200
started=$SECONDS
step() { echo "== $* ($((SECONDS - started)) s)"; }
need() { command -v "$1" >/dev/null || { echo "make dist: '$1' is missing; $2" >&2; exit 1; }; }
need dpkg-deb "install dpkg (Debian and Ubuntu have it)"
need makeself "install it with 'apt-get install makeself'"

rm -rf "$WORK" "$APP" "$DEB" "$RUN"
mkdir -p "$WORK" "$OUT"

step "icons"
"$PY" packaging/make_icons.py build/icons >/dev/null
cp assets/icons/app.svg build/icons/frontline.svg

step "app folder (PyInstaller)"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --workpath build/pyinstaller --distpath "$OUT" frontline.spec \
    2> >(grep -v "required via ctypes not found" >&2)

step "checks of the app folder"
mb=$(du -sm "$APP" | cut -f1)
if [ "$mb" -ge "$MAX_MB" ]; then echo "make dist: $APP is $mb MB, over the $MAX_MB MB limit" >&2; exit 1; fi
if find "$APP" -iname '*webengine*' | grep -q .; then echo "make dist: WebEngine found in $APP" >&2; exit 1; fi
for must in _internal/simulator/bundled/scenarios/rubric.yaml _internal/simulator/bundled/assets/avatars/default/neutral.svg \
            _internal/PySide6/Qt/translations/qtbase_de.qm _internal/PySide6/Qt/plugins/platforms/libqxcb.so; do
    [ -e "$APP/$must" ] || { echo "make dist: $APP/$must is missing" >&2; exit 1; }
done
# Every library the bundle links against is inside it or on this machine; those outside are the
# package's dependencies (OpenGL, Wayland and xcb must come from the system that runs it).
find "$APP" -type f \( -name '*.so*' -o -name frontline \) -print0 | xargs -0 readelf -d 2>/dev/null \
    | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u > "$WORK/needed"
find "$APP" -name '*.so*' -printf '%f\n' | sort -u > "$WORK/bundled"
comm -23 "$WORK/needed" "$WORK/bundled" > "$WORK/system"
depends=()
for soname in $(cat "$WORK/system"); do
    package=$(dpkg -S "*/$soname" 2>/dev/null | head -1 | cut -d: -f1 || true)
    if [ -z "$package" ]; then
        echo "make dist: the bundle needs $soname, which is not installed here (install its package and build again)" >&2
        exit 1
    fi
    depends+=("$package")
done
glibc=$(dpkg-query -W -f='${Version}' libc6 2>/dev/null | sed 's/-.*//' || true)
deps=$(printf '%s\n' "${depends[@]}" | sort -u | sed "s/^libc6\$/libc6 (>= ${glibc:-2.28})/" | paste -sd, - | sed 's/,/, /g')
echo "system libraries: $(paste -sd' ' "$WORK/system")"
echo "Depends: $deps"

step "Debian package"
pkg=$WORK/deb
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" "$pkg/usr/share/doc/frontline"
cp -a "$APP" "$pkg/opt/frontline"
ln -s ../../opt/frontline/frontline "$pkg/usr/bin/frontline"
install -m 644 packaging/linux/frontline.desktop "$pkg/usr/share/applications/frontline.desktop"
for png in build/icons/frontline-*.png; do
    size=$(basename "$png" .png | sed 's/frontline-//')
    install -D -m 644 "$png" "$pkg/usr/share/icons/hicolor/${size}x${size}/apps/frontline.png"
done
install -D -m 644 build/icons/frontline.svg "$pkg/usr/share/icons/hicolor/scalable/apps/frontline.svg"
{
    echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    echo "Upstream-Name: Frontline"
    echo
    echo "Files: *"
    echo "License: MIT (Frontline); the avatars and icons are CC0 (assets/LICENSE.md); Qt and PySide6 are LGPLv3,"
    echo " Python is PSF; their licence files are in /opt/frontline/_internal."
} > "$pkg/usr/share/doc/frontline/copyright"
installed_kb=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: frontline
Version: $VERSION
Architecture: $ARCH
Maintainer: Frontline maintainers <frontline@localhost>
Installed-Size: $installed_kb
Depends: $deps
Section: education
Priority: optional
Description: role-play simulator for customer-service trainees
 Trainees practise hard customer conversations offline: pick a scenario,
 choose replies while the customer's mood shows on an avatar, and read a
 debrief of every choice. Self-contained: Python and Qt are inside
 /opt/frontline; attempts stay in the trainee's own data folder.
CONTROL
find "$pkg" -type d -exec chmod 755 {} +
# gzip: every dpkg reads it, and it packs the folder in seconds (xz saves a fifth, at ten times the time).
# The two archives are packed side by side (each compressor uses one core).
dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$DEB" >/dev/null &
deb_job=$!

step "self-extracting archive (makeself)"
run=$WORK/run
mkdir -p "$run/icons"
cp -a "$APP" "$run/frontline"
cp build/icons/frontline-*.png build/icons/frontline.svg "$run/icons/"
install -m 644 packaging/linux/frontline.desktop "$run/frontline.desktop"
install -m 755 packaging/linux/install.sh "$run/install.sh"
makeself --quiet --tar-quietly --gzip --sha256 "$run" "$RUN" "Frontline $VERSION" ./install.sh >/dev/null
wait "$deb_job"

step "done"
rm -rf "$pkg" "$run"
printf '%-60s %s\n' "artefact" "size"
printf '%-60s %s MB (%s files)\n' "$APP/" "$(du -sm "$APP" | cut -f1)" "$(find "$APP" -type f | wc -l)"
for f in "$DEB" "$RUN"; do printf '%-60s %s MB\n' "$f" "$(du -m "$f" | cut -f1)"; done
echo "built in $((SECONDS - started)) s"
