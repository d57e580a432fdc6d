"""Plot training and validation curves of one or more runs into one PNG.

After mmseg's ``analyze_logs.py``, reading MMEngine's ``vis_data/scalars.json``.

Usage:
    python tools/analysis_tools/plot_curves.py WORK_DIR [WORK_DIR ...] -o curves.png
        [--keys loss F1.overall aAcc] [--labels A B ...] [--title TEXT]
        [--hline KEY=VALUE:LABEL ...]

One panel per key against iterations, one line per run (the newest run inside each work
dir; a ``scalars.json`` file may be given directly). Training scalars (``loss``, ``lr``, ...)
are logged every ``logger.interval`` iterations, validation scores at each validation.
``--hline`` draws a constant reference (e.g. the prior alone, from
``tools/analysis_tools/eval_prior.py --split val``) into the panel of its key.
"""

import argparse
import glob
import json
import os.path as osp
import sys


def find_scalars(path: str) -> str:
    """``scalars.json`` of the newest run in a work dir (or ``path`` itself)."""
    if osp.isfile(path):
        return path
    found = sorted(glob.glob(osp.join(path, '*', 'vis_data', 'scalars.json')))
    if not found:
        raise FileNotFoundError(f'{path}: no */vis_data/scalars.json (not an MMEngine work dir?)')
    return found[-1]


def read_series(path: str, keys):
    """``key -> ([iteration], [value])`` from one ``scalars.json``."""
    series = {k: ([], []) for k in keys}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f'{path}:{lineno}: not a JSON line ({err})') from None
            step = record.get('step', record.get('iter'))
            for k in keys:
                if k in record and step is not None:
                    series[k][0].append(step)
                    series[k][1].append(record[k])
    return series


def parse_hline(text: str):
    """``'KEY=VALUE:LABEL'`` -> ``(key, value, label)``."""
    try:
        key, rest = text.split('=', 1)
        value, label = rest.split(':', 1) if ':' in rest else (rest, key)
        return key, float(value), label
    except ValueError:
        raise ValueError(f'--hline {text!r}: expected KEY=VALUE:LABEL, e.g. F1.overall=60.8:prior')


def plot(runs, keys, out, labels=None, title=None, hlines=()):
    try:
        import matplotlib
    except ImportError:
        raise SystemExit(
            'error: plotting needs matplotlib: pip install -c requirements/constraints.txt '
            '-e ".[plot]"'
        ) from None

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    labels = labels or [osp.basename(osp.normpath(r)) for r in runs]
    data = [read_series(find_scalars(r), keys) for r in runs]
    for k in keys:
        if not any(d[k][0] for d in data):
            raise KeyError(f'no run logged {k!r}')
    fig, axes = plt.subplots(1, len(keys), figsize=(4.5 * len(keys), 3.6), squeeze=False)
    for ax, k in zip(axes[0], keys):
        for d, label in zip(data, labels):
            xs, ys = d[k]
            if xs:
                ax.plot(xs, ys, marker='o' if len(xs) < 30 else None, ms=3, label=label)
        for key, value, label in hlines:
            if key == k:
                ax.axhline(value, color='k', ls='--', lw=1, label=label)
        ax.set_xlabel('iteration')
        ax.set_title(k)
        ax.grid(alpha=0.3)
    for ax in axes[0]:
        ax.legend(fontsize=7)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('runs', nargs='+', help='work dirs (or scalars.json files)')
    parser.add_argument('-o', '--out', required=True, help='PNG file to write')
    parser.add_argument('--keys', nargs='+', default=['loss', 'F1.overall'])
    parser.add_argument('--labels', nargs='+', help='legend entries, one per run')
    parser.add_argument('--title')
    parser.add_argument('--hline', nargs='+', default=[], help='KEY=VALUE:LABEL references')
    args = parser.parse_args(argv)
    if args.labels and len(args.labels) != len(args.runs):
        raise SystemExit('error: give one --labels entry per run')
    try:
        hlines = [parse_hline(h) for h in args.hline]
        plot(args.runs, args.keys, args.out, args.labels, args.title, hlines)
    except (FileNotFoundError, KeyError, ValueError) as err:
        raise SystemExit(f'error: {err}')
    print(f'wrote {args.out}')


if __name__ == '__main__':
    sys.exit(main())
