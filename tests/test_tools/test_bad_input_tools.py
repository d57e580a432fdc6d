"""Bad input catalogue, tool side: a clear error naming the file, nothing half-written."""

import subprocess
import sys

import pytest
import torch

from rednet_mmseg.datasets.converters import ConversionError, convert_helen
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
    return subprocess.run(
        [sys.executable, f'tools/{tool}.py', CONFIG, *args],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=600,
    )


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
    assert not any((tmp_path / 'preds').iterdir())


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
