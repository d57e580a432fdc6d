#!/usr/bin/env bash
# Set up ./.venv (if needed) and run the test suite. `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
# lint and format check first (configured in pyproject.toml): a style error fails like a test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# the docstrings' examples (doctests), then the suite; pytest exits 5 when it collects nothing,
# and set -e turns that into a failure as well.
.venv/bin/python -m pytest --doctest-modules rednet_mmseg --ignore=rednet_mmseg/model_zoo "$@"
.venv/bin/python -m pytest tests "$@"
