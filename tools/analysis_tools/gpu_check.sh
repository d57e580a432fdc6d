#!/usr/bin/env bash
# One short GPU check (under 5 minutes on one CUDA GPU), for the day a GPU is at hand:
#   bash tools/analysis_tools/gpu_check.sh [OUT_DIR]
# 1. benchmark.py for RED-Net and FCN-R18-D8 at 224x224, fp32 and AMP (medians, spread, GEMM
#    rate before/after, BN-folded inference);
# 2. a 20-iteration RED-Net + adaptive prior training with --amp on generated data;
# 3. whether compiled mmcv ops are present (mmcv-lite's stand-in) or not;
# then one table (OUT_DIR/gpu_check.md; JSON next to it).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-work_dirs/gpu_check}
PY=${PYTHON:-.venv/bin/python}
mkdir -p "$OUT"
"$PY" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 'no CUDA GPU')"
CONFIGS="configs/rednet/rednet_re5-rd5a_8xb8-8k_helen-224x224.py configs/baselines/fcn_r18-d8_8xb8-8k_helen-224x224.py"
"$PY" tools/analysis_tools/benchmark.py $CONFIGS --device cuda --batch 8 --iters 10 \
    --repeats 5 --fuse --channels-last --json "$OUT/fp32.json" | tee "$OUT/fp32.md"
"$PY" tools/analysis_tools/benchmark.py $CONFIGS --device cuda --batch 8 --iters 10 \
    --repeats 5 --fuse --channels-last --amp --json "$OUT/amp.json" | tee "$OUT/amp.md"
# 20 iterations of RED-Net + prior with AMP on generated faces (the quick start's data)
"$PY" tools/misc/make_synthetic_helen.py "$OUT/release" --num-train 16 --num-val 4 --num-test 4
"$PY" tools/dataset_converters/helen.py "$OUT/release" -o "$OUT/helen"
"$PY" tools/misc/build_prior_bank.py "$OUT/helen"
START=$(date +%s)
"$PY" tools/train.py configs/rednet/rednet_re5-rd5a_8xb8-prior-8k_helen-224x224.py --amp \
    --work-dir "$OUT/train" --prior-bank "$OUT/helen/prior_bank.npz" \
    --cfg-options "train_dataloader.dataset.data_root=$OUT/helen" \
    "val_dataloader.dataset.data_root=$OUT/helen" "test_dataloader.dataset.data_root=$OUT/helen" \
    train_cfg.max_iters=20 train_cfg.val_interval=20 default_hooks.logger.interval=5 \
    default_hooks.checkpoint.interval=20 > "$OUT/train.log" 2>&1
TRAIN_S=$(( $(date +%s) - START ))
OPS=$("$PY" -c "
import rednet_mmseg, sys
ext = sys.modules.get('mmcv._ext')
print('stand-in (mmcv-lite)' if getattr(ext, 'REDNET_STANDIN', False) else 'compiled mmcv ops')")
{
    echo "# GPU check: $("$PY" -c 'import torch; print(torch.cuda.get_device_name())')"
    echo; echo "## fp32"; grep '^|\|^RED-Net' "$OUT/fp32.md"
    echo; echo "## AMP"; grep '^|\|^RED-Net' "$OUT/amp.md"
    echo; echo "| check | result |"; echo "|---|---|"
    echo "| RED-Net + prior, 20 iterations, --amp | $TRAIN_S s in all, $(grep -c 'Iter(train)' "$OUT/train.log") log lines, final loss $(grep -o 'loss: [0-9.]*' "$OUT/train.log" | tail -1) |"
    echo "| mmcv ops | $OPS |"
} | tee "$OUT/gpu_check.md"
