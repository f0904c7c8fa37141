#!/usr/bin/env bash
# deps.sh [curl]: install the Debian/Ubuntu packages the build and the tests need, when any is
# missing ("curl": also the optional libcurl headers, for `make test-curl`).
# Silent and fast when everything is present. As root it runs apt-get; otherwise it uses sudo -n
# if that works without a password, and else prints the exact command and fails.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build pkg-config make git file binutils
  libmbedtls-dev libsodium-dev libtomlplusplus-dev
  # tests and fuzzing
  catch2 python3 clang libclang-rt-14-dev
  # interop tests: an independent JOSE implementation (tests/unit/jose)
  python3-jwcrypto
  # real keystores for the backend tests: pass (gpg), passage's stand-in (age), TLS test CAs
  pass gnupg age openssl
  dbus gnome-keyring libsecret-tools libkf5wallet-bin python3-dbus python3-gi
  # credential servers: network namespaces (ip), and `make bench`'s HTTP load generator and nginx
  iproute2 wrk nginx-light
)

# Optional, NOT installed by default: libcurl's headers for the alternative HTTP client
# (-DAV_WITH_CURL=ON). Only `make test-curl` asks for them, as `tools/deps.sh curl`.
optional_curl=(libcurl4-openssl-dev)
if [[ "${1:-}" == "curl" ]]; then
  packages+=("${optional_curl[@]}")
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: missing packages (${missing[*]}) and no apt-get; install them with your package manager" >&2
  exit 1
fi

cmd=(apt-get install -y -q --no-install-recommends "${missing[@]}")
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "deps: missing packages: ${missing[*]}" >&2
  echo "deps: run: sudo apt-get update && sudo ${cmd[*]}" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >/dev/null
"${sudo[@]}" "${cmd[@]}" >/dev/null
