#!/usr/bin/env bash
# Quick start on a CPU: set up, parse a real photograph (matplotlib's sample grace_hopper.jpg)
# with the model that ships with the package, then generate a SYNTHETIC face data set in the original Helen
# release format, convert it with the real converter, build the adaptive-prior bank, train a
# CPU-sized RED-Net with the adaptive prior, print the Helen score table with and without the
# prior, and write a picture of predictions next to ground truth.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
PY=.venv/bin/python
CONFIG=configs/rednet/rednet_re5-tiny-rd5a_1xb8-prior-1k_synthhelen-128x128.py
WORK=work_dirs/quickstart
echo "== Parse a real photo with the shipped model (no training, landmarks detected) =="
PHOTO=$($PY -c "from matplotlib.cbook import get_sample_data; print(get_sample_data('grace_hopper.jpg', asfileobj=False))")
$PY tools/parse_faces.py "$PHOTO" --out-dir "$WORK/photo" --no-progress
echo "== NOTE: the quick start uses SYNTHETIC cartoon faces, not Helen; its scores say nothing about real faces =="
$PY tools/misc/make_synthetic_helen.py data/synthetic_helen_release
# --overwrite: the quick start's own folder, which also holds the prior bank of a previous run
$PY tools/dataset_converters/helen.py data/synthetic_helen_release -o data/helen_synthetic --overwrite
$PY tools/misc/build_prior_bank.py data/helen_synthetic
$PY tools/train.py "$CONFIG" --work-dir "$WORK"
CKPT=$(cat "$WORK/last_checkpoint")
rm -rf "$WORK/show"
echo "== Test WITHOUT the adaptive prior (network output P_net only) =="
$PY tools/test.py "$CONFIG" "$CKPT" --work-dir "$WORK/test_noprior" \
    --cfg-options model.prior_in_test=False > "$WORK/test_noprior.log" 2>&1
grep -A 4 "F1 per group" "$WORK/test_noprior.log" || { tail -20 "$WORK/test_noprior.log"; exit 1; }
echo "== Test WITH the adaptive prior (Eq. 5-8) =="
$PY tools/test.py "$CONFIG" "$CKPT" --work-dir "$WORK/test" --show-dir "$WORK/show"
$PY tools/analysis_tools/montage.py "$WORK/show" -o "$WORK/predictions.png"
echo "== Parse a folder with tools/parse_faces.py (landmarks from a table, as for your own photos) =="
for f in data/helen_synthetic/landmarks/test/*.txt; do
    echo "$(basename "$f" .txt) $(tr '\n' ' ' < "$f")"
done > "$WORK/test_landmarks.txt"
$PY tools/parse_faces.py "$CONFIG" "$CKPT" data/helen_synthetic/images/test --out-dir "$WORK/parsed" \
    --landmarks "$WORK/test_landmarks.txt" --no-progress > "$WORK/parse.log" 2>&1 \
    || { tail -20 "$WORK/parse.log"; exit 1; }
tail -1 "$WORK/parse.log"
echo "== Done (SYNTHETIC data). Scores above; ground truth | prediction pictures: $WORK/predictions.png =="
