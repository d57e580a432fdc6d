"""tools/parse_video.py: an overlay video from a clip; clear errors, no half-written video."""

import os
import subprocess
import sys

import cv2
import pytest

PRIOR = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-prior-1k_synthhelen-128x128.py'
pytest.importorskip('dlib')


def _run(*args, repo_root):
    return subprocess.run(
        [sys.executable, 'tools/parse_video.py', *args, '--no-progress'],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_clip_to_overlay_video(helen_converted, tiny_checkpoint, tmp_path, repo_root):
    from matplotlib.cbook import get_sample_data

    from rednet_mmseg.testing import make_steady_clip

    photo = cv2.imread(get_sample_data('grace_hopper.jpg', asfileobj=False))
    clip = str(tmp_path / 'clip.mp4')
    make_steady_clip(cv2.resize(photo, (256, 300)), clip, frames=6)
    out, frames = tmp_path / 'out' / 'parsed.mp4', tmp_path / 'frames'
    (tmp_path / 'out').mkdir()
    bank = os.path.join(helen_converted, 'prior_bank.npz')
    res = _run(
        PRIOR,
        tiny_checkpoint,
        clip,
        '--out',
        str(out),
        '--frames-dir',
        str(frames),
        '--prior-bank',
        bank,
        '--detect-every',
        '3',
        repo_root=repo_root,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert '6 frame(s) in' in res.stdout and 'fps' in res.stdout and 'flicker' in res.stdout
    assert sorted(os.listdir(frames)) == [f'{i:06d}.png' for i in range(6)]
    assert cv2.imread(str(frames / '000000.png'), 0).shape == (300, 256)
    cap = cv2.VideoCapture(str(out))
    n = 0
    while cap.read()[0]:
        n += 1
    assert n == 6 and os.listdir(tmp_path / 'out') == ['parsed.mp4']


@pytest.mark.parametrize('kind', ['missing', 'not_a_video', 'camera'])
def test_bad_input_is_named_and_leaves_nothing(tiny_checkpoint, tmp_path, repo_root, kind):
    source = dict(
        missing=str(tmp_path / 'gone.mp4'), not_a_video=str(tmp_path / 'text.mp4'), camera='7'
    )[kind]
    (tmp_path / 'text.mp4').write_text('not a video')
    out = tmp_path / 'out'
    out.mkdir()
    res = _run(PRIOR, tiny_checkpoint, source, '--out', str(out / 'o.mp4'), repo_root=repo_root)
    assert res.returncode != 0 and 'Traceback' not in res.stderr, res.stderr[-2000:]
    expected = dict(
        missing=f'{source}: no such video file',
        not_a_video=f'{source}: ',
        camera='camera 7: not found or cannot be opened',
    )[kind]
    assert f'error: {expected}' in res.stderr
    assert os.listdir(out) == []
