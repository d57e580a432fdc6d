#!/usr/bin/env bash
# Quick start on a CPU: set up, generate a SYNTHETIC face data set in the original Helen
# release format, convert it with the real converter, train a CPU-sized RED-Net, print the
# Helen score table and write a picture of predictions next to ground truth.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
PY=.venv/bin/python
CONFIG=configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py
WORK=work_dirs/quickstart
echo "== NOTE: the quick start uses SYNTHETIC cartoon faces, not Helen; its scores say nothing about real faces =="
$PY tools/misc/make_synthetic_helen.py data/synthetic_helen_release
$PY tools/dataset_converters/helen.py data/synthetic_helen_release -o data/helen_synthetic
$PY tools/train.py "$CONFIG" --work-dir "$WORK"
CKPT=$(cat "$WORK/last_checkpoint")
rm -rf "$WORK/show"
$PY tools/test.py "$CONFIG" "$CKPT" --work-dir "$WORK/test" --show-dir "$WORK/show"
$PY tools/analysis_tools/montage.py "$WORK/show" -o "$WORK/predictions.png"
echo "== Done (SYNTHETIC data). Scores above; ground truth | prediction pictures: $WORK/predictions.png =="
