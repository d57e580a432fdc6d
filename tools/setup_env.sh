#!/usr/bin/env bash
# Create ./.venv (once) and install rednet-mmseg with the pinned OpenMMLab stack.
# Used by tools/quickstart.sh and tools/run_tests.sh; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# torch/torchvision are pinned in requirements/constraints.txt: an unpinned torch would make
# pip download a multi-GB build. mmcv-lite (extra "lite") replaces a compiled mmcv on CPUs;
# "landmarks" is the 5-point detector for photos without landmarks.
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
    -c requirements/constraints.txt -e ".[lite,landmarks,tests]"
.venv/bin/python -c "import rednet_mmseg, mmseg, torch; print('rednet_mmseg', rednet_mmseg.__version__, '| mmseg', mmseg.__version__, '| torch', torch.__version__)"
