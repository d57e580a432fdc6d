"""Bad input catalogue, tool side: a clear error naming the file, nothing half-written."""

import os
import subprocess
import sys

import pytest
import torch

from rednet_mmseg.datasets.converters import ConversionError, convert_helen
from rednet_mmseg.testing.tool_runner import run_tool
from rednet_mmseg.utils.output_dir import OutputDirError, check_output_dir

CONFIG = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py'


def _opts(root):
    opts = []
    for split in ('train', 'val', 'test'):
        opts += [
            f'{split}_dataloader.dataset.data_root={root}',
            f'{split}_dataloader.num_workers=0',
            f'{split}_dataloader.persistent_workers=False',
        ]
    return opts + ['train_dataloader.batch_size=2']


def _run(tool, *args, repo_root):
    return run_tool(repo_root, f'{tool}.py', CONFIG, *args)


def test_num_classes_disagrees_with_dataset(helen_converted, tmp_path, repo_root):
    work = tmp_path / 'work'
    res = _run(
        'train',
        '--work-dir',
        str(work),
        '--cfg-options',
        *_opts(helen_converted),
        'model.decode_head.num_classes=19',
        'train_cfg.max_iters=2',
        repo_root=repo_root,
    )
    assert res.returncode != 0
    assert (
        'model.decode_head.num_classes=19 but the training data set HelenDataset '
        f"(data_root='{helen_converted}') has 11 classes"
    ) in res.stderr
    assert not list(work.glob('*.pth'))


@pytest.mark.parametrize('tool', ['train', 'test'])
def test_unwritable_work_dir(helen_converted, tmp_path, repo_root, tool):
    blocker = tmp_path / 'a_file'
    blocker.write_text('not a directory')
    bad = blocker / 'work'
    args = ['--work-dir', str(bad), '--cfg-options', *_opts(helen_converted)]
    if tool == 'test':
        args.insert(0, str(tmp_path / 'unused.pth'))
    res = _run(tool, *args, repo_root=repo_root)
    assert res.returncode != 0
    assert f'error: work_dir {bad}: cannot be written (Not a directory)' in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ['a_file']


def test_unwritable_prediction_dir(helen_converted, tmp_path, repo_root):
    blocker = tmp_path / 'preds'
    blocker.write_text('a file where the predictions should go')
    res = _run(
        'test',
        str(tmp_path / 'unused.pth'),
        '--work-dir',
        str(tmp_path / 'w'),
        '--out',
        str(blocker),
        '--cfg-options',
        *_opts(helen_converted),
        repo_root=repo_root,
    )
    assert res.returncode != 0
    assert f'error: --out {blocker}: exists and is not a directory' in res.stderr


def test_truncated_checkpoint(helen_converted, tmp_path, repo_root):
    ckpt = tmp_path / 'cut.pth'
    torch.save(dict(state_dict={'w': torch.zeros(1000)}, meta={}), ckpt)
    ckpt.write_bytes(ckpt.read_bytes()[:300])
    res = _run(
        'test',
        str(ckpt),
        '--work-dir',
        str(tmp_path / 'w'),
        '--out',
        str(tmp_path / 'preds'),
        '--cfg-options',
        *_opts(helen_converted),
        repo_root=repo_root,
    )
    assert res.returncode != 0
    assert f'{ckpt}: not a readable checkpoint (truncated or corrupt?)' in res.stderr
    assert not (tmp_path / 'preds').exists()  # checked before any output is created


def test_converter_output_under_a_file(helen_release, tmp_path):
    blocker = tmp_path / 'a_file'
    blocker.write_text('x')
    with pytest.raises(ConversionError, match=f'{blocker / "helen"}: cannot write the output'):
        convert_helen(helen_release[0], str(blocker / 'helen'), progress=False)


def test_check_output_dir(tmp_path):
    assert check_output_dir(str(tmp_path / 'new' / 'dir')) == str(tmp_path / 'new' / 'dir')
    (tmp_path / 'f').write_text('x')
    with pytest.raises(OutputDirError, match=f'output directory {tmp_path / "f"}: exists'):
        check_output_dir(str(tmp_path / 'f'))


@pytest.fixture(scope='module')
def tiny_checkpoints(tmp_path_factory, repo_root):
    """Name -> checkpoint path: the tiny model's own weights, a 5-class head, keys of nothing."""
    import os

    from mmengine.config import Config
    from mmseg.registry import MODELS

    from rednet_mmseg.datasets import HelenDataset

    root = tmp_path_factory.mktemp('fit')
    cfg = Config.fromfile(os.path.join(repo_root, CONFIG))
    meta = dict(dataset_meta=dict(HelenDataset.METAINFO))
    own = MODELS.build(cfg.model).state_dict()
    cfg.model.decode_head.num_classes = 5
    paths = dict(
        own=dict(state_dict=own, meta=meta),
        five=dict(state_dict=MODELS.build(cfg.model).state_dict(), meta=meta),
        nothing=dict(state_dict={f'net.{k}': v for k, v in own.items()}, meta=meta),
    )
    for name, ckpt in paths.items():
        torch.save(ckpt, root / f'{name}.pth')
        paths[name] = root / f'{name}.pth'
    return paths


@pytest.mark.parametrize(
    'name, message',
    [
        ('five', r'0 of \d+ model weights missing, 2 of another shape, 0 unexpected'),
        (
            'nothing',
            r'[1-9]\d* of \d+ model weights missing, 0 of another shape, [1-9]\d* unexpected',
        ),
    ],
)
def test_checkpoint_that_does_not_fit_is_refused(
    helen_converted, tmp_path, repo_root, tiny_checkpoints, name, message
):
    import re

    ckpt, work = tiny_checkpoints[name], tmp_path / 'w'
    args = [str(ckpt), '--work-dir', str(work), '--cfg-options', *_opts(helen_converted)]
    res = _run('test', *args, repo_root=repo_root)
    assert res.returncode != 0 and 'Traceback' not in res.stderr
    assert f'error: {ckpt}: the checkpoint does not fit the model' in res.stderr
    assert re.search(message, res.stderr) and '--allow-partial' in res.stderr
    assert not work.exists()
    res = _run('test', *args, '--allow-partial', repo_root=repo_root)  # asked for: it runs
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'PARTIAL WEIGHTS' in res.stdout + res.stderr and 'F1.overall' in res.stdout


@pytest.mark.parametrize(
    'option, shown',
    [
        ('model.decode_head.type=RDHeadd', 'RDHeadd is not in the mmseg::model registry'),
        ('test_dataloader.dataset.type=HelenDatasett', 'HelenDatasett is not in the'),
        ('test_evaluator.type=FaceParsingMetricc', 'FaceParsingMetricc is not in the'),
    ],
)
def test_misspelt_type_is_one_line_and_leaves_no_work_dir(
    helen_converted, tmp_path, repo_root, tiny_checkpoints, option, shown
):
    work = tmp_path / 'w'
    res = _run(
        'test',
        str(tiny_checkpoints['own']),
        '--work-dir',
        str(work),
        '--cfg-options',
        *_opts(helen_converted),
        option,
        repo_root=repo_root,
    )
    assert res.returncode != 0 and 'Traceback' not in res.stderr, res.stderr[-2000:]
    assert f'error: {CONFIG}: {shown}' in res.stderr
    assert not work.exists()


def test_missing_checkpoint_is_one_line_and_leaves_no_work_dir(
    helen_converted, tmp_path, repo_root
):
    work = tmp_path / 'w'
    args = [str(tmp_path / 'gone.pth'), '--work-dir', str(work)]
    res = _run('test', *args, '--cfg-options', *_opts(helen_converted), repo_root=repo_root)
    assert res.returncode != 0 and 'Traceback' not in res.stderr
    assert f'error: {tmp_path / "gone.pth"} can not be found' in res.stderr
    assert not work.exists()


def test_fine_tuning_says_what_load_from_left_unloaded(
    helen_converted, tmp_path, repo_root, tiny_checkpoints
):
    res = _run(
        'train',
        '--work-dir',
        str(tmp_path / 'ft'),
        '--cfg-options',
        *_opts(helen_converted),
        f'load_from={tiny_checkpoints["five"]}',
        'train_cfg.max_iters=1',
        'train_cfg.val_interval=100',
        repo_root=repo_root,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    out = res.stdout + res.stderr
    assert f'PARTIAL WEIGHTS: {tiny_checkpoints["five"]}: the checkpoint does not fit' in out
    assert '2 of another shape' in out


@pytest.mark.parametrize('tool', ['train', 'test'])
def test_misspelt_key_in_cfg_options_is_one_line(helen_converted, tmp_path, repo_root,
                                                  tiny_checkpoints, tool):  # fmt: skip
    """``model.decode_head.num_clases=5``: one line naming the key, no work dir left."""
    work = tmp_path / 'w'
    ckpt = [str(tiny_checkpoints['own'])] if tool == 'test' else []
    res = _run(
        tool,
        *ckpt,
        '--work-dir',
        str(work),
        '--cfg-options',
        *_opts(helen_converted),
        'model.decode_head.num_clases=5',
        repo_root=repo_root,
    )
    assert res.returncode != 0 and 'Traceback' not in res.stderr, res.stderr[-2000:]
    assert f'error: {CONFIG}: ' in res.stderr
    assert "unexpected keyword argument 'num_clases'" in res.stderr
    assert not work.exists()


def test_train_with_a_missing_config_or_data_is_one_line(helen_converted, tmp_path, repo_root,
                                                         tool_main):  # fmt: skip
    res = tool_main('train.py', 'configs/no_such.py', '--work-dir', tmp_path / 'w')
    assert res.returncode != 0 and 'error: configs/no_such.py: config file not found' in res.stderr
    bad = tmp_path / 'bad.py'
    bad.write_text('model = dict(\n')
    res = tool_main('train.py', bad, '--work-dir', tmp_path / 'w')
    assert res.returncode != 0 and f'error: {bad}: cannot be read as a config' in res.stderr
    opts = [o.replace(helen_converted, str(tmp_path / 'gone')) for o in _opts(helen_converted)]
    res = _run(
        'train', '--work-dir', str(tmp_path / 'w'), '--cfg-options', *opts, repo_root=repo_root
    )
    assert res.returncode != 0 and 'Traceback' not in res.stderr, res.stderr[-2000:]
    assert f'error: {CONFIG}: ' in res.stderr and 'gone' in res.stderr
    assert not (tmp_path / 'w').exists()


def test_prior_config_without_its_bank_is_one_line(helen_converted, tmp_path, repo_root,
                                                   tiny_checkpoints):  # fmt: skip
    """Named before the DataLoader's workers start, so no worker traceback comes with it."""
    from mmengine.config import Config

    prior = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-prior-1k_synthhelen-128x128.py'
    pipeline = Config.fromfile(os.path.join(repo_root, prior)).test_dataloader.dataset.pipeline
    step = [t['type'] for t in pipeline].index('LoadFacePrior')
    gone = tmp_path / 'no_bank.npz'
    opts = [o.replace('num_workers=0', 'num_workers=1').replace('persistent_workers=False',
            'persistent_workers=True') for o in _opts(helen_converted)]  # fmt: skip
    res = subprocess.run(
        [sys.executable, 'tools/test.py', prior, str(tiny_checkpoints['own']), '--work-dir',
         str(tmp_path / 'w'), '--cfg-options', *opts,
         f'test_dataloader.dataset.pipeline.{step}.bank_file={gone}'],
        cwd=repo_root, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert res.returncode != 0 and 'Traceback' not in res.stderr, res.stderr[-2000:]
    assert f'{gone}: prior bank not found' in res.stderr
    assert 'Original Traceback' not in res.stderr and not (tmp_path / 'w').exists()
