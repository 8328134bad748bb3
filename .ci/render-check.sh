#!/usr/bin/env bash
# The rendered privacy notices checked with the real tools (for .ci/integrations):
#   - html-validate (npm) with .htmlvalidate.json on every *.html of DIR;
#   - .ci/markdown-check.mjs: every *.md of DIR through markdown-it (npm): only the elements and
#     link schemes seloste writes;
#   - .ci/html-check.mjs: axe-core (WCAG 2.0/2.1 A and AA) in headless Debian Chromium at 1280 px,
#     320 px and in print, no horizontal scrolling at 320 px, nothing loaded from the network.
# Usage: bash .ci/render-check.sh DIR [SHOT.png]
#   SHOT.png: full-page screenshots of DIR's first page, SHOT.png (1280 px) and SHOT-320.png.
# The npm packages are installed into a temporary directory (puppeteer-core downloads no browser);
# Chromium is installed with apt-get when /usr/bin/chromium (or $CHROMIUM) is missing. A tool that
# cannot be installed is skipped with the reason printed; a problem found fails (exit 1).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ ! -d "$1" ]; then
  echo "usage: bash .ci/render-check.sh DIR [SHOT.png] (DIR: a directory of HTML files)" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
shot=${2:-}

# Versions: the newest that support Node.js 20 (puppeteer-core 25 and html-validate 11 need 22).
puppeteer_core_version=24.43.1
axe_core_version=4.14.1
html_validate_version=10.17.0
markdown_it_version=15.0.3

shopt -s nullglob
pages=("$1"/*.html)
shopt -u nullglob
if [ ${#pages[@]} -eq 0 ]; then
  echo "render-check: no *.html file in $1" >&2
  exit 1
fi

if ! command -v npm > /dev/null || ! command -v node > /dev/null; then
  echo "skip: html-validate, html-check (npm/node not installed)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# No browser download: puppeteer-core has no install script, PUPPETEER_SKIP_DOWNLOAD=1 tells any
# puppeteer package not to download, --ignore-scripts runs no install script at all, and the
# download cache is checked to be still absent afterwards.
export PUPPETEER_SKIP_DOWNLOAD=1
export PUPPETEER_CACHE_DIR="$work/puppeteer-cache"
if ! npm install --prefix "$work/npm" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
  "puppeteer-core@$puppeteer_core_version" "axe-core@$axe_core_version" \
  "html-validate@$html_validate_version" "markdown-it@$markdown_it_version" > "$work/npm.log" 2>&1; then
  echo "skip: html-validate, markdown-check, html-check (npm could not install puppeteer-core, axe-core, html-validate, markdown-it):"
  tail -n 5 "$work/npm.log"
  exit 0
fi
if [ -e "$PUPPETEER_CACHE_DIR" ]; then
  echo "render-check: the npm install downloaded a browser into $PUPPETEER_CACHE_DIR" >&2
  exit 1
fi
modules="$work/npm/node_modules"

status=0
if "$modules/.bin/html-validate" --config "$root/.htmlvalidate.json" "${pages[@]}"; then
  echo "html-validate: ${#pages[@]} files ok"
else
  status=1
fi

# The Markdown notices of DIR (if any) through markdown-it: no markup or link from a value.
shopt -s nullglob
markdown=("$1"/*.md)
shopt -u nullglob
if [ ${#markdown[@]} -gt 0 ]; then
  if ! node "$root/.ci/markdown-check.mjs" --modules "$modules" "${markdown[@]}"; then
    status=1
  fi
fi

chromium=${CHROMIUM:-/usr/bin/chromium}
reason=
if [ ! -x "$chromium" ]; then
  if [ -n "${CHROMIUM:-}" ]; then
    reason="CHROMIUM=$chromium is not an executable"
  elif ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } \
    > "$work/apt.log" 2>&1; then
    reason="apt-get could not install chromium"
  elif [ ! -x "$chromium" ]; then
    reason="no $chromium after apt-get install chromium"
  fi
fi
if [ -n "$reason" ]; then
  echo "skip: html-check ($reason)"
  if [ -s "$work/apt.log" ]; then tail -n 5 "$work/apt.log"; fi
else
  args=(--modules "$modules")
  if [ -n "$shot" ]; then
    args+=(--screenshot "$shot" --screenshot-of "${pages[0]}")
  fi
  if ! CHROMIUM="$chromium" node "$root/.ci/html-check.mjs" "${args[@]}" "${pages[@]}"; then
    status=1
  fi
fi
exit "$status"
