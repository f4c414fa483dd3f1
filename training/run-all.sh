#!/bin/sh
# The whole chain in one command, from the repository root or anywhere:
#   training/run-all.sh
# set-up (apt) -> data set (apt-get download, decode, codec-coupling masks, folds) -> detector tests ->
# each track's style and the presets ->
# one model per leave-packages-out fold -> the shipped model on every package -> ONNX export and
# fixtures -> check in onnxruntime-web -> build the CLI -> evaluation of the folds through the CLI.
# Seeded: a rerun gives the same models. Needs node_modules (npm ci) for the last three steps.
set -eu
cd "$(dirname "$0")/.."
PY=/usr/bin/python3   # Debian's python3 with the apt packages (not a pyenv python on PATH)
step() { echo; echo "== $1 ($(date +%H:%M:%S))"; }
step "setup";    training/setup.sh
step "dataset";  $PY training/dataset.py
step "detector"; (cd training && $PY -m unittest test_codec_coupling)
step "styles";   $PY training/track_styles.py     # each track's own style: the training conditions
step "presets";  $PY training/presets.py          # named presets from those styles -> src/style/presets.json
step "folds";    $PY training/train.py --folds
step "train";    $PY training/train.py
step "export";   $PY training/export.py
step "verify";   node training/verify-onnx.mjs
step "build";    npm run build
step "evaluate"; $PY training/evaluate.py
step "done"
