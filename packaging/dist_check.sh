#!/usr/bin/env bash
# make dist-check: the smoke test of what make dist built, as a trainee's machine would run it.
#  1. The .deb installed into a temporary root (dpkg --root, its own database): the command, menu entry
#     and icon are where a desktop looks for them.
#  2. The installed app started under Xvfb, with no network (unshare -n) and a fresh home:
#     frontline --self-test (simulator/gui/app.py) checks the window, the library and a played
#     scenario's debrief, writes a PDF and exits 0; no traceback anywhere; the data is in the data
#     folder and nothing is written next to the executable. Once with FRONTLINE_HOME, once with the
#     platform's own per-user folders.
#  3. The installed command line lints the bundled library (errors only: warnings are make test's business).
#  4. The package removed again: nothing of it is left.
#  5. The .run archive: integrity, a per-user install into a temporary prefix, its uninstaller.
#
#   packaging/dist_check.sh VERSION OUT_DIR
set -euo pipefail
VERSION=$1 OUT=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
DEB=$OUT/frontline_${VERSION}_${ARCH}.deb
RUN=$OUT/Frontline-${VERSION}-linux-$(uname -m).run
for f in "$DEB" "$RUN"; do [ -f "$f" ] || { echo "dist-check: $f is missing; run make dist first" >&2; exit 1; }; done
DEB=$(realpath "$DEB") RUN=$(realpath "$RUN")
T=$(mktemp -d "${TMPDIR:-/tmp}/frontline-dist-check.XXXXXX")
trap 'rm -rf "$T"' EXIT
started=$SECONDS
failures=0
ok() { echo "ok: $*"; }
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

echo "== 1. install $DEB into a temporary root"
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
touch "$R/var/lib/dpkg/status"
# Its dependencies are the host's (OpenGL, Wayland, xcb, glibc), not in this empty root: --force-depends.
DPKG=(dpkg --root="$R" --admindir="$R/var/lib/dpkg" --force-not-root --force-depends --force-script-chrootless
      --no-triggers --log=/dev/null)
"${DPKG[@]}" -i "$DEB" >"$T/dpkg-install.log" 2>&1 || { cat "$T/dpkg-install.log"; exit 1; }
check "the package installs (dpkg -i)" grep -q "^Status: install ok installed" "$R/var/lib/dpkg/status"
check "/opt/frontline/frontline is the app" test -x "$R/opt/frontline/frontline"
check "frontline is on the PATH (/usr/bin/frontline -> /opt/frontline/frontline)" \
    test "$(readlink -f "$R/usr/bin/frontline")" = "$(readlink -f "$R/opt/frontline/frontline")"
desktop=$R/usr/share/applications/frontline.desktop
check "a menu entry (/usr/share/applications/frontline.desktop)" grep -qx "Exec=frontline" "$desktop"
if command -v desktop-file-validate >/dev/null; then check "the menu entry is valid" desktop-file-validate "$desktop"; fi
check "the app icon (hicolor, scalable and 256 px)" test -s "$R/usr/share/icons/hicolor/scalable/apps/frontline.svg" \
    -a -s "$R/usr/share/icons/hicolor/256x256/apps/frontline.png"
check "the menu entry names the icon" grep -qx "Icon=frontline" "$desktop"

echo "== 2. start the installed app under Xvfb, no network, fresh home"
NET=()
if unshare -n true 2>/dev/null; then NET=(unshare -n)
elif unshare -rn true 2>/dev/null; then NET=(unshare -rn)
else echo "note: unshare -n is not available here, so the app runs with the network (nothing in it uses one)"; fi
touch "$T/before-run"
sleep 1  # file times have a resolution; anything written next to the executable is newer than this
self_test() {  # self_test NAME HOME [env...] -- [args...]: run the installed app's self-test
    local name=$1 home=$2; shift 2
    local env=() ; while [ "$1" != -- ]; do env+=("$1"); shift; done; shift
    mkdir -p "$home"
    local begun=$SECONDS rc=0
    timeout 300 "${NET[@]}" env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 "${env[@]}" \
        xvfb-run -a -s "-screen 0 1280x800x24" "$R/usr/bin/frontline" --self-test "$@" \
        >"$T/$name.out" 2>"$T/$name.err" || rc=$?
    sed 's/^/    /' "$T/$name.out"
    echo "    ($name: exit code $rc, $((SECONDS - begun)) s)"
    check "$name: the app exits 0" test "$rc" = 0
    check "$name: the self-test passed" grep -qx "self-test: passed" "$T/$name.out"
    check "$name: the window titled Frontline appeared" grep -q "ok: the window is titled Frontline" "$T/$name.out"
    check "$name: the library lists every bundled scenario" grep -q "ok: the bundled library lists every scenario" "$T/$name.out"
    check "$name: a scenario played to its debrief" grep -q "ok: the debrief matches" "$T/$name.out"
    check "$name: no traceback" bash -c "! grep -rqs Traceback '$T/$name.out' '$T/$name.err' '$home'"
    if [ -s "$T/$name.err" ]; then echo "    its standard error:"; sed 's/^/    | /' "$T/$name.err"; fi
}
FH=$T/frontline-home
self_test "with FRONTLINE_HOME" "$T/home1" FRONTLINE_HOME="$FH" --
check "the records are in FRONTLINE_HOME/data" test -s "$FH/data/attempts.sqlite3"
check "the PDF export is in FRONTLINE_HOME/data" test -s "$FH/data/self-test-debrief.pdf"
check "the log is in FRONTLINE_HOME/logs" test -e "$FH/logs/frontline.log"
H=$T/home2
self_test "per-user folders" "$H" -- "$T/exported/debrief.pdf"
check "the records are in ~/.local/share/Frontline" test -s "$H/.local/share/Frontline/attempts.sqlite3"
check "the PDF export is where it was asked for" test -s "$T/exported/debrief.pdf"
written=$(find "$R" -newer "$T/before-run" ! -type d | grep -v "^$R/var/lib/dpkg" || true)
check "nothing was written next to the executable${written:+: $written}" test -z "$written"

echo "== 3. the installed command line"
check "frontline lint finds no errors in the bundled library" \
    bash -c "'$R/usr/bin/frontline' lint '$R/opt/frontline/_internal/simulator/bundled/scenarios' >/dev/null"

echo "== 4. remove the package"
"${DPKG[@]}" --purge frontline >"$T/dpkg-remove.log" 2>&1 || { cat "$T/dpkg-remove.log"; fail "dpkg --purge"; }
left=$(find "$R" -mindepth 1 -path "$R/var" -prune -o -print)
check "it uninstalls cleanly${left:+ (left: $left)}" test -z "$left"

echo "== 5. the self-extracting archive $RUN"
check "its checksums hold (--check)" bash -c "sh '$RUN' --check >/dev/null 2>&1"
P=$T/prefix
HOME=$T/home3 sh "$RUN" --quiet --nox11 -- --prefix "$P" >"$T/run-install.log" 2>&1 || { cat "$T/run-install.log"; fail "the .run installs"; }
check "it installs the command, the menu entry and the icon" test -x "$P/bin/frontline" \
    -a -s "$P/share/applications/frontline.desktop" -a -s "$P/share/icons/hicolor/scalable/apps/frontline.svg"
check "the installed command runs" bash -c "'$P/bin/frontline' codes >/dev/null"
check "its uninstaller leaves nothing behind" bash -c "sh '$P/opt/frontline/uninstall.sh' >/dev/null && test -z \"\$(find '$P' ! -type d)\""

echo "dist-check: $failures failure(s) in $((SECONDS - started)) s"
[ "$failures" = 0 ]
