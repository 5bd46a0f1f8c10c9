#!/usr/bin/env bash
# Install the Debian packages Briefing needs: `app` (what Qt needs to open a window) or
# `test` (the app's plus the tools tests use to check output; the default).
# Idempotent: does nothing when every package is already present. Needs root (or sudo).
set -euo pipefail

packages=(
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libnss3
)
if [ "${1:-test}" = "test" ]; then
  packages+=(
    poppler-utils            # pdftotext, pdftoppm, pdfinfo: tests read exported PDFs back
    libreoffice-writer-nogui # converts exported .docx to PDF in tests and the benchmark baseline
    fonts-crosextra-carlito fonts-crosextra-caladea  # Calibri's and Cambria's metrics, for it
    xvfb xauth               # a real X screen for screenshots
    postgresql               # initdb and pg_ctl (with unaccent, pg_trgm): tests start a cluster
  )
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
