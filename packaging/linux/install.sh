#!/bin/sh
# Installs Frontline from the self-extracting archive (Frontline-*.run) for the user who runs it, or for
# everyone when run as root. makeself runs this script inside the unpacked archive.
#
#   sh Frontline-VERSION-linux-ARCH.run                          install (per user: ~/.local/opt/frontline)
#   sh Frontline-VERSION-linux-ARCH.run -- --prefix DIR          install under DIR instead (DIR/opt/frontline, ...)
#   ~/.local/opt/frontline/uninstall.sh                          remove it again
set -eu
if [ "$(id -u)" = 0 ]; then prefix=/usr/local; app_home=/opt/frontline; else prefix="$HOME/.local"; app_home=""; fi
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; app_home=""; shift 2 ;;
        *) echo "install.sh: unknown option $1 (use --prefix DIR)" >&2; exit 2 ;;
    esac
done
app_home="${app_home:-$prefix/opt/frontline}"
bin_dir="$prefix/bin"
apps_dir="$prefix/share/applications"
icons_dir="$prefix/share/icons/hicolor"

if [ -e "$app_home/uninstall.sh" ]; then
    echo "Replacing the Frontline installed in $app_home"
    sh "$app_home/uninstall.sh" --quiet
fi
mkdir -p "$app_home" "$bin_dir" "$apps_dir"
cp -R frontline/. "$app_home/"
ln -sf "$app_home/frontline" "$bin_dir/frontline"
sed "s|^Exec=frontline|Exec=\"$app_home/frontline\"|" frontline.desktop > "$apps_dir/frontline.desktop"
for png in icons/frontline-*.png; do
    size=$(basename "$png" .png | sed 's/frontline-//')
    mkdir -p "$icons_dir/${size}x${size}/apps"
    cp "$png" "$icons_dir/${size}x${size}/apps/frontline.png"
done
mkdir -p "$icons_dir/scalable/apps"
cp icons/frontline.svg "$icons_dir/scalable/apps/frontline.svg"

# The uninstaller removes exactly what was installed; the trainee's attempts stay in their data folder.
{
    echo '#!/bin/sh'
    echo '# Removes Frontline as installed by its .run archive. Attempt records, logs and settings stay.'
    echo 'set -eu'
    echo "rm -f \"$bin_dir/frontline\" \"$apps_dir/frontline.desktop\" \"$icons_dir/scalable/apps/frontline.svg\""
    for png in icons/frontline-*.png; do
        size=$(basename "$png" .png | sed 's/frontline-//')
        echo "rm -f \"$icons_dir/${size}x${size}/apps/frontline.png\""
    done
    echo "rm -rf \"$app_home\""
    echo "command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database \"$apps_dir\" 2>/dev/null || true"
    echo '[ "${1:-}" = --quiet ] || echo "Frontline is uninstalled. Your attempts and settings are still in your data folder."'
} > "$app_home/uninstall.sh"
chmod 755 "$app_home/uninstall.sh"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps_dir" 2>/dev/null || true

echo "Frontline is installed in $app_home."
echo "Start it from your applications menu, or run: $bin_dir/frontline"
case ":$PATH:" in *":$bin_dir:"*) ;; *) echo "($bin_dir is not on your PATH; the menu entry works anyway.)" ;; esac
echo "To uninstall: $app_home/uninstall.sh"
