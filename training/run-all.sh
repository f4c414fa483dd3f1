#!/bin/sh
# The whole chain in one command, from the repository root or anywhere:
#   training/run-all.sh
# set-up (apt) -> data set (apt-get download, decode) -> training -> ONNX export and fixtures ->
# check in onnxruntime-web -> build the CLI with the new model -> evaluation on the held-out tracks.
# Needs node_modules (npm ci) for the last three steps.
set -eu
cd "$(dirname "$0")/.."
PY=/usr/bin/python3   # Debian's python3 with the apt packages (not a pyenv python on PATH)
step() { echo; echo "== $1 ($(date +%H:%M:%S))"; }
step "setup";    training/setup.sh
step "dataset";  $PY training/dataset.py
step "train";    $PY training/train.py
step "export";   $PY training/export.py
step "verify";   node training/verify-onnx.mjs
step "build";    npm run build
step "evaluate"; $PY training/evaluate.py
step "done"
