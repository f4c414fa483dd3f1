#!/bin/sh
# Installs the Python packages the training chain uses, from Debian's apt (PyPI is not used).
# Idempotent: does nothing when every package is already installed.
set -eu
PACKAGES="python3-torch python3-onnx python3-numpy python3-scipy python3-soundfile"
missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  echo "setup: all packages present ($PACKAGES)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "setup: installing$missing"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y $missing
