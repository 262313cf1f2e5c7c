#!/usr/bin/env bash
# Installs every Debian package that vntrace's build, tests and server need.
# Idempotent: does nothing when all are present; runs `apt-get update` only when it must install.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev clang-format
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev sqlite3 libsodium-dev libssl-dev
  iso-codes python3 curl procps
  python3-jsonschema python3-rfc3987 python3-cryptography
  libqrencode-dev libzxing-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils
  libkainjow-mustache-dev chromium
  libzip-dev libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2
  libpugixml-dev libicu-dev libturbojpeg0-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Node.js and npm run the browser tests. A machine may have them from elsewhere (NodeSource's
# nodejs package bundles npm and conflicts with Debian's npm): only the commands matter.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
