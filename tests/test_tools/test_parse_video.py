"""tools/parse_video.py: an overlay video from a clip; clear errors, no half-written video."""

import os

import cv2
import numpy as np
import pytest

PRIOR = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-prior-1k_synthhelen-128x128.py'
pytest.importorskip('dlib')


def _run(*args, repo_root):
    """The tool in this process (``run_tool``: seconds of imports saved per call)."""
    from rednet_mmseg.testing.tool_runner import run_tool

    return run_tool(repo_root, 'parse_video.py', *args, '--no-progress')


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
    assert sorted(os.listdir(frames)) == [f'{i:06d}.png' for i in range(6)] + ['parse_video.json']
    assert cv2.imread(str(frames / '000000.png'), 0).shape == (300, 256)
    cap = cv2.VideoCapture(str(out))
    n = 0
    while cap.read()[0]:
        n += 1
    # the video and the folder's list of what this tool wrote (so a rerun may replace it)
    assert n == 6 and sorted(os.listdir(tmp_path / 'out')) == ['.parse_video.json', 'parsed.mp4']
    # frames parsed one at a time (the default parses one per torch thread at once, tracking
    # in order): the same label maps
    one = tmp_path / 'one'
    res = _run(
        PRIOR, tiny_checkpoint, clip, '--out', str(tmp_path / 'one.mp4'), '--frames-dir',
        str(one), '--prior-bank', bank, '--detect-every', '3', '--workers', '1',
        repo_root=repo_root,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    for i in range(6):
        name = f'{i:06d}.png'
        assert (one / name).read_bytes() == (frames / name).read_bytes(), name


def test_accurate_model_tracks_the_68_points(tmp_path, repo_root):
    """``--model accurate`` (the dense prior): the tracker carries each face's 68 points."""
    from matplotlib.cbook import get_sample_data

    from rednet_mmseg.testing import make_steady_clip

    photo = cv2.imread(get_sample_data('grace_hopper.jpg', asfileobj=False))
    clip = str(tmp_path / 'clip.mp4')
    make_steady_clip(cv2.resize(photo, (256, 300)), clip, frames=4, max_shift=2)
    frames = tmp_path / 'frames'
    res = _run(clip, '--model', 'accurate', '--out', str(tmp_path / 'parsed.mp4'), '--frames-dir',
               str(frames), '--detect-every', '3', repo_root=repo_root)  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    for i in (0, 1, 3):  # a detection frame, a tracked one, the next detection
        labels = cv2.imread(str(frames / f'{i:06d}.png'), cv2.IMREAD_UNCHANGED)
        found = set(np.unique(labels).tolist())
        assert {1, 10} <= found and found & {4, 5} and found & {7, 8, 9}, (i, found)


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


def test_video_outputs_follow_the_photo_tools_rules(helen_converted, tiny_checkpoint, tmp_path,
                                                   tool_main):  # fmt: skip
    """Checked before work, only the tool's own outputs replaced, the container the name says."""
    from rednet_mmseg.testing import make_steady_clip

    clip = str(tmp_path / 'clip.mp4')
    make_steady_clip(np.full((64, 64, 3), 120, np.uint8), clip, frames=2)
    bank = os.path.join(helen_converted, 'prior_bank.npz')
    out = tmp_path / 'out'
    out.mkdir()

    def run(*args):  # in this process: most of these stop before the model loads
        return tool_main(
            'parse_video.py', PRIOR, tiny_checkpoint, clip, '--prior-bank', bank, *args,
            '--no-progress',
        )  # fmt: skip

    mine = out / 'holiday.mp4'
    mine.write_bytes(b'my own video')
    res = run('--out', str(mine))
    assert res.returncode != 0 and 'exists and was not written by this tool' in res.stderr
    assert mine.read_bytes() == b'my own video'
    (out / 'folder.mp4').mkdir()
    res = run('--out', str(out / 'folder.mp4'))
    assert res.returncode != 0 and 'is a folder; give a file name' in res.stderr
    assert 'Traceback' not in res.stderr
    res = run('--out', clip)  # the input itself
    assert res.returncode != 0 and 'is the input video' in res.stderr
    res = run('--out', str(out / 'x.gif'))
    assert res.returncode != 0 and '.gif is not one of them' in res.stderr
    frames = tmp_path / 'frames'
    frames.mkdir()
    (frames / 'other_video_000000.png').write_bytes(b'x')
    res = run('--out', str(out / 'x.avi'), '--frames-dir', str(frames))
    assert res.returncode != 0 and '--frames-dir' in res.stderr and 'did not write' in res.stderr
    assert not (out / 'x.avi').exists()
    os.remove(frames / 'other_video_000000.png')
    stale = out / '.partial-999999999-killed.avi'  # a killed run's staging file (no such pid)
    stale.write_bytes(b'half')
    res = run('--out', str(out / 'x.avi'), '--frames-dir', str(frames))
    assert res.returncode == 0, res.stderr[-3000:]
    assert (out / 'x.avi').read_bytes()[:4] == b'RIFF'  # an AVI container, as the name says
    umask = os.umask(0)
    os.umask(umask)
    assert (os.stat(out / 'x.avi').st_mode & 0o777) == 0o666 & ~umask
    assert not stale.exists()
    assert sorted(os.listdir(frames)) == ['000000.png', '000001.png', 'parse_video.json']
    res = run('--out', str(out / 'x.avi'), '--frames-dir', str(frames), '--max-frames', '1')
    assert res.returncode == 0, res.stderr[-3000:]  # its own outputs: replaced, none left over
    assert sorted(os.listdir(frames)) == ['000000.png', 'parse_video.json']
    assert mine.read_bytes() == b'my own video'
