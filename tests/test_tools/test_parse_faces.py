"""tools/parse_faces.py: images, folders and globs in; label maps, overlays and a legend out."""

import os
import re
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmseg.registry import MODELS

from rednet_mmseg.datasets import HelenDataset

TINY = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py'
PRIOR = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-prior-1k_synthhelen-128x128.py'


def _subprocess(*args, repo_root):
    """The tool in its own process: for printed warnings, log lines and upstream noise."""
    return subprocess.run(
        [sys.executable, 'tools/parse_faces.py', *args, '--no-progress'],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _run(*args, repo_root):
    """The tool in this process (``run_tool``: seconds of imports saved per call)."""
    from rednet_mmseg.testing.tool_runner import run_tool

    return run_tool(repo_root, 'parse_faces.py', *args, '--no-progress')


def test_folder_and_glob(helen_converted, tiny_checkpoint, tmp_path, repo_root):
    test_dir = os.path.join(helen_converted, 'images', 'test')
    out = tmp_path / 'out'
    res = _run(
        TINY,
        tiny_checkpoint,
        test_dir,
        os.path.join(helen_converted, 'images', 'val', '*.jpg'),
        '--out-dir',
        str(out),
        repo_root=repo_root,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    images = sorted(
        os.listdir(test_dir) + os.listdir(os.path.join(helen_converted, 'images', 'val'))
    )
    assert '6 image(s) parsed' in res.stdout
    assert sorted(os.listdir(out / 'vis')) == images
    assert sorted(os.listdir(out / 'pred')) == sorted(n[:-4] + '.png' for n in images)
    for name in os.listdir(test_dir):
        img = cv2.imread(os.path.join(test_dir, name))
        labels = cv2.imread(str(out / 'pred' / (name[:-4] + '.png')), cv2.IMREAD_UNCHANGED)
        assert labels.shape == img.shape[:2] and labels.max() <= 10
        assert cv2.imread(str(out / 'vis' / name)).shape == img.shape
    assert cv2.imread(str(out / 'legend.png')).shape[0] == 12 * 28 + 4  # + which left


def test_prior_config_with_landmarks_file(helen_converted, tiny_checkpoint, tmp_path, repo_root):
    """Own images (no landmarks folder): the 5 points come from --landmarks."""
    src = os.path.join(helen_converted, 'images', 'test')
    names = sorted(os.listdir(src))
    table = tmp_path / 'landmarks.txt'
    with open(table, 'w') as f:
        for n in names:
            pts = (
                open(os.path.join(helen_converted, 'landmarks', 'test', n[:-4] + '.txt'))
                .read()
                .split()
            )
            f.write(' '.join([n, *pts]) + '\n')
    out = tmp_path / 'out'
    bank = os.path.join(helen_converted, 'prior_bank.npz')
    res = _run(
        PRIOR,
        tiny_checkpoint,
        src,
        '--out-dir',
        str(out),
        '--prior-bank',
        bank,
        '--landmarks',
        str(table),
        repo_root=repo_root,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert sorted(os.listdir(out / 'pred')) == [n[:-4] + '.png' for n in names]
    # several images at once (threads, one torch thread each): the same files, byte for byte
    # (the default is one worker per torch thread; this machine may have one)
    outs = {}
    for workers in ('1', '3'):
        outs[workers] = tmp_path / f'w{workers}'
        res = _run(
            PRIOR, tiny_checkpoint, src, '--out-dir', str(outs[workers]), '--prior-bank', bank,
            '--landmarks', str(table), '--workers', workers, repo_root=repo_root,
        )  # fmt: skip
        assert res.returncode == 0, res.stderr[-3000:]
    for sub in ('pred', 'instances', 'faces'):
        for name in os.listdir(outs['1'] / sub):
            one, three = (open(outs[w] / sub / name, 'rb').read() for w in ('1', '3'))
            assert one == three, f'{sub}/{name}'


def test_bad_inputs_fail_before_writing(helen_converted, tiny_checkpoint, tmp_path, repo_root):
    bad = tmp_path / 'in'
    bad.mkdir()
    good = os.path.join(
        helen_converted,
        'images',
        'test',
        sorted(os.listdir(os.path.join(helen_converted, 'images', 'test')))[0],
    )
    (bad / 'a.jpg').write_bytes(open(good, 'rb').read())
    (bad / 'b.jpg').write_bytes(open(good, 'rb').read()[:500])
    out = tmp_path / 'out'
    res = _run(TINY, tiny_checkpoint, str(bad), '--out-dir', str(out), repo_root=repo_root)
    assert res.returncode != 0 and f'{bad / "b.jpg"}: truncated JPEG' in res.stderr
    res = _run(
        TINY,
        tiny_checkpoint,
        str(tmp_path / 'nothing*.jpg'),
        '--out-dir',
        str(out),
        repo_root=repo_root,
    )
    assert res.returncode != 0 and 'no such image, folder or matching glob' in res.stderr
    assert not out.exists()


HELEN = 'configs/rednet/rednet_re5-rd5a_8xb8-8k_helen-224x224.py'  # face crops, no prior
HELEN_PRIOR = 'configs/rednet/rednet_re5-rd5a_8xb8-prior-8k_helen-224x224.py'


@pytest.fixture(scope='module')
def paper_checkpoint(tmp_path_factory, repo_root):
    """An untrained paper-size RED-Net (the prior segmentor has the same weights)."""
    model = MODELS.build(Config.fromfile(os.path.join(repo_root, HELEN)).model)
    path = tmp_path_factory.mktemp('paper_ckpt') / 'rednet.pth'
    torch.save(
        dict(state_dict=model.state_dict(), meta=dict(dataset_meta=dict(HelenDataset.METAINFO))),
        path,
    )
    return str(path)


@pytest.mark.parametrize('config', [HELEN, HELEN_PRIOR])
def test_real_photo_without_landmarks(
    config, paper_checkpoint, helen_converted, tmp_path, repo_root
):
    """A real photograph and no landmark table: the landmarks are detected and used.

    The photograph is matplotlib's grace_hopper.jpg; the landmarks are written to OUT/landmarks.txt
    and used, with and without the prior; a named image without a face is an error naming it, and
    nothing is written.
    """
    pytest.importorskip('dlib')
    from matplotlib.cbook import get_sample_data

    photo = get_sample_data('grace_hopper.jpg', asfileobj=False)
    extra = (
        ['--prior-bank', os.path.join(helen_converted, 'prior_bank.npz')]
        if config == HELEN_PRIOR
        else []
    )
    out = tmp_path / 'parsed'
    res = _run(config, paper_checkpoint, photo, '--out-dir', str(out), *extra, repo_root=repo_root)
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'detected landmarks in' in res.stdout
    table = open(out / 'landmarks.txt').read().split()
    assert table[0] == 'grace_hopper' and len(table) == 11
    labels = cv2.imread(str(out / 'pred' / 'grace_hopper.png'), cv2.IMREAD_UNCHANGED)
    assert labels.shape == cv2.imread(photo).shape[:2]
    blank = tmp_path / 'blank.jpg'
    cv2.imwrite(str(blank), np.full((120, 100, 3), 200, np.uint8))
    res = _run(
        config,
        paper_checkpoint,
        photo,
        str(blank),
        '--out-dir',
        str(tmp_path / 'o2'),
        *extra,
        repo_root=repo_root,
    )
    assert res.returncode != 0 and f'{blank}: no face found' in res.stderr
    assert not (tmp_path / 'o2').exists()


def _table_for(helen_converted, split='val'):
    """Lines of a landmark table of the converted split's images (converter's points)."""
    img_dir = os.path.join(helen_converted, 'images', split)
    names = sorted(os.listdir(img_dir))
    lines = []
    for n in names:
        pts = open(os.path.join(helen_converted, 'landmarks', split, n[:-4] + '.txt')).read()
        lines.append(n + ' ' + ' '.join(pts.split()))
    return img_dir, names, lines


@pytest.mark.parametrize(
    'edit, message',
    [
        (lambda v: v[:-1] + ['nan'], r'{table}:2: the points of \S+ are not all finite'),
        (lambda v: v[:1] + [str(float(x) * 40) for x in v[1:]], r'lie far outside the \d+x\d+'),
        (lambda v: v[:1] + [str(float(x) - 5000) for x in v[1:]], r'point 1 is at \(-'),
    ],
)
def test_landmarks_that_are_not_points(
    helen_converted, tiny_checkpoint, tmp_path, repo_root, edit, message
):
    img_dir, names, lines = _table_for(helen_converted)
    lines[1] = ' '.join(edit(lines[1].split()))
    table = tmp_path / 'lm.txt'
    table.write_text('\n'.join(lines) + '\n')
    out = tmp_path / 'out'
    res = _run(
        TINY,
        tiny_checkpoint,
        img_dir,
        '--out-dir',
        str(out),
        '--landmarks',
        str(table),
        repo_root=repo_root,
    )
    assert res.returncode != 0 and 'Traceback' not in res.stderr, res.stderr[-2000:]
    assert re.search(message.format(table=re.escape(str(table))), res.stderr), res.stderr[-500:]
    assert not out.exists()


def test_out_dir_is_checked_first(helen_converted, tmp_path, repo_root):
    blocker = tmp_path / 'a_file'
    blocker.write_text('x')
    img_dir = os.path.join(helen_converted, 'images', 'val')
    res = _run(
        TINY,
        str(tmp_path / 'gone.pth'),
        img_dir,
        '--out-dir',
        str(blocker / 'out'),
        repo_root=repo_root,
    )
    assert res.returncode != 0 and 'Traceback' not in res.stderr
    assert f'--out-dir {blocker / "out"}: cannot be written (Not a directory)' in res.stderr


def test_reused_out_dir_keeps_no_stale_outputs(
    helen_converted, tiny_checkpoint, tmp_path, repo_root
):
    out = tmp_path / 'out'
    first = os.path.join(helen_converted, 'images', 'val')
    second = os.path.join(helen_converted, 'images', 'test')
    assert (
        _run(TINY, tiny_checkpoint, first, '--out-dir', str(out), repo_root=repo_root).returncode
        == 0
    )
    res = _run(TINY, tiny_checkpoint, second, '--out-dir', str(out), repo_root=repo_root)
    assert res.returncode == 0, res.stderr[-2000:]
    expected = sorted(n[:-4] + '.png' for n in os.listdir(second))
    assert sorted(os.listdir(out / 'pred')) == expected  # the first run's maps are gone
    assert sorted(os.listdir(out / 'vis')) == sorted(os.listdir(second))
    # a file the tool did not write: the folder is refused and the file kept
    (out / 'pred' / 'mine.png').write_bytes(b'keep me')
    res = _run(TINY, tiny_checkpoint, first, '--out-dir', str(out), repo_root=repo_root)
    assert (
        res.returncode != 0 and 'did not write in an earlier run (e.g. pred/mine.png)' in res.stderr
    )
    assert (out / 'pred' / 'mine.png').read_bytes() == b'keep me'
    assert sorted(os.listdir(out / 'pred')) == sorted(expected + ['mine.png'])


def test_checkpoint_of_another_model_is_refused(helen_converted, tmp_path, repo_root):
    cfg = Config.fromfile(os.path.join(repo_root, TINY))
    cfg.model.decode_head.num_classes = 3
    ckpt = tmp_path / 'lfw.pth'
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict()), ckpt)
    img_dir = os.path.join(helen_converted, 'images', 'val')
    out = tmp_path / 'out'
    res = _run(TINY, str(ckpt), img_dir, '--out-dir', str(out), repo_root=repo_root)
    assert res.returncode != 0 and f'error: {ckpt}: the checkpoint does not fit' in res.stderr
    assert not out.exists()
    res = _run(
        TINY, str(ckpt), img_dir, '--out-dir', str(out), '--allow-partial', repo_root=repo_root
    )
    assert res.returncode == 0 and 'PARTIAL WEIGHTS' in res.stdout + res.stderr


def test_file_name_with_spaces(paper_checkpoint, tmp_path, repo_root):
    """Detected landmarks of 'my photo.jpg' round-trip through OUT/landmarks.txt."""
    pytest.importorskip('dlib')
    import shutil

    from matplotlib.cbook import get_sample_data

    from rednet_mmseg.datasets.landmark_table import read_landmark_table

    photo = tmp_path / 'my photo.jpg'
    shutil.copy(get_sample_data('grace_hopper.jpg', asfileobj=False), photo)
    out = tmp_path / 'parsed'
    res = _run(HELEN, paper_checkpoint, str(photo), '--out-dir', str(out), repo_root=repo_root)
    assert res.returncode == 0, res.stderr[-3000:]
    assert list(read_landmark_table(str(out / 'landmarks.txt'))) == ['my photo']
    assert (out / 'pred' / 'my photo.png').is_file() and (out / 'vis' / 'my photo.jpg').is_file()
    again = tmp_path / 'again'  # the written table is a valid --landmarks input
    res = _run(
        HELEN,
        paper_checkpoint,
        str(photo),
        '--out-dir',
        str(again),
        '--landmarks',
        str(out / 'landmarks.txt'),
        repo_root=repo_root,
    )
    assert res.returncode == 0, res.stderr[-3000:]


def test_every_face_of_a_group_photo(helen_converted, tiny_checkpoint, tmp_path, repo_root):
    """Two faces: both parsed (instance map, face list), or only the central one."""
    pytest.importorskip('dlib')
    import json

    from rednet_mmseg.testing import make_group_photo

    photo = tmp_path / 'group.jpg'
    cv2.imwrite(str(photo), make_group_photo())
    bank = os.path.join(helen_converted, 'prior_bank.npz')
    out = tmp_path / 'all'
    res = _run(
        PRIOR,
        tiny_checkpoint,
        str(photo),
        '--out-dir',
        str(out),
        '--prior-bank',
        bank,
        repo_root=repo_root,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    faces = json.loads((out / 'faces' / 'group.json').read_text())['faces']
    assert len(faces) == 2 and faces[0]['box'][0] < faces[1]['box'][0]  # largest first
    assert all(len(f['points']) == 5 and f['score'] is not None for f in faces)
    instances = cv2.imread(str(out / 'instances' / 'group.png'), cv2.IMREAD_UNCHANGED)
    labels = cv2.imread(str(out / 'pred' / 'group.png'), cv2.IMREAD_UNCHANGED)
    assert instances.shape == labels.shape == (680, 1000)
    assert set(np.unique(instances)) == {0, 1, 2}
    assert ((instances > 0) == (labels > 0)).all()  # each labelled pixel belongs to a face
    x0, y0, x1, y1 = faces[1]['crop']
    assert (instances[y0:y1, x0:x1] == 2).any() and not (instances[:, x1:] > 0).any()
    out = tmp_path / 'central'
    res = _run(
        PRIOR,
        tiny_checkpoint,
        str(photo),
        '--out-dir',
        str(out),
        '--prior-bank',
        bank,
        '--select',
        'central',
        repo_root=repo_root,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'note: ' in res.stdout and '2 faces, using the central' in res.stdout
    (face,) = json.loads((out / 'faces' / 'group.json').read_text())['faces']
    assert face['box'] == faces[1]['box']
    assert set(np.unique(cv2.imread(str(out / 'instances' / 'group.png'), 0))) == {0, 1}


def test_aligned_face_crops_need_no_detector(helen_converted, tiny_checkpoint, tmp_path, repo_root):
    """--aligned: each whole image is one face at the stated template geometry."""
    import json

    from rednet_mmseg.apis.multi_face import ALIGNED_TEMPLATE

    img_dir = os.path.join(helen_converted, 'images', 'test')
    bank = os.path.join(helen_converted, 'prior_bank.npz')
    out = tmp_path / 'aligned'
    res = _run(
        PRIOR,
        tiny_checkpoint,
        img_dir,
        '--out-dir',
        str(out),
        '--prior-bank',
        bank,
        '--aligned',
        repo_root=repo_root,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'detected landmarks' not in res.stdout and not (out / 'landmarks.txt').exists()
    for name in os.listdir(img_dir):
        h, w = cv2.imread(os.path.join(img_dir, name)).shape[:2]
        (face,) = json.loads((out / 'faces' / (name[:-4] + '.json')).read_text())['faces']
        assert face['box'] is None and face['crop'] == [0, 0, w, h]
        assert np.allclose(face['points'], ALIGNED_TEMPLATE * [w, h], atol=0.01)
        assert cv2.imread(str(out / 'pred' / (name[:-4] + '.png')), 0).shape == (h, w)


def test_shipped_model_parses_a_real_photo(tmp_path, repo_root):
    """No config, no checkpoint: the model in the package parses grace_hopper.jpg.

    The face pixels are mostly skin, and hair, brows, eyes, nose and mouth are all found.
    """
    pytest.importorskip('dlib')
    from matplotlib.cbook import get_sample_data

    photo = get_sample_data('grace_hopper.jpg', asfileobj=False)
    out = tmp_path / 'parsed'
    res = _run(photo, '--out-dir', str(out), repo_root=repo_root)
    assert res.returncode == 0, res.stderr[-3000:]
    labels = cv2.imread(str(out / 'pred' / 'grace_hopper.png'), cv2.IMREAD_UNCHANGED)
    assert labels.shape == (600, 512)
    found = set(np.unique(labels).tolist())
    assert {1, 6, 10} <= found  # skin, nose, hair
    assert found & {2, 3} and found & {4, 5} and found & {7, 8, 9}  # brows, eyes, mouth
    assert (out / 'vis' / 'grace_hopper.jpg').is_file() and (
        out / 'faces' / 'grace_hopper.json'
    ).is_file()
    # each face is also parsed mirrored by default; --no-flip parses it once
    plain = tmp_path / 'plain'
    res = _run(photo, '--out-dir', str(plain), '--no-flip', repo_root=repo_root)
    assert res.returncode == 0, res.stderr[-3000:]
    once = cv2.imread(str(plain / 'pred' / 'grace_hopper.png'), cv2.IMREAD_UNCHANGED)
    assert not np.array_equal(once, labels) and (once == labels).mean() > 0.9


def test_accurate_model_needs_detected_faces(tmp_path, repo_root):
    """``--model accurate`` (the dense prior) parses detected faces with their 68 points.

    It refuses 5-point faces (``--aligned``, ``--landmarks``) before writing anything.
    """
    pytest.importorskip('dlib')
    from matplotlib.cbook import get_sample_data

    photo = get_sample_data('grace_hopper.jpg', asfileobj=False)
    out = tmp_path / 'parsed'
    res = _run(photo, '--out-dir', str(out), '--model', 'accurate', repo_root=repo_root)
    assert res.returncode == 0, res.stderr[-3000:]
    labels = cv2.imread(str(out / 'pred' / 'grace_hopper.png'), cv2.IMREAD_UNCHANGED)
    found = set(np.unique(labels).tolist())
    assert {1, 6, 10} <= found and found & {2, 3} and found & {4, 5} and found & {7, 8, 9}
    refused = tmp_path / 'refused'
    for given in (['--aligned'], ['--landmarks', str(out / 'landmarks.txt')]):
        res = _run(photo, '--out-dir', str(refused), '--model', 'accurate', *given,
                   repo_root=repo_root)  # fmt: skip
        assert res.returncode != 0
        assert f'{given[0]} gives 5 points only' in res.stderr, res.stderr[-2000:]
        assert not refused.exists() or not os.listdir(refused)


def _grace_hopper():
    from matplotlib.cbook import get_sample_data

    return get_sample_data('grace_hopper.jpg', asfileobj=False)


UPSTREAM_NOISE = (
    'Failed to search registry',
    'Failed to add',
    'build_loss',
    'pkg_resources',
    'Loads checkpoint by',
)


def test_one_path_api_photo_tool_and_video_tool_agree(tmp_path, repo_root, tool_main):
    """The same image, model and options: the same label map from all three entry points.

    The shipped model, every face, mirrored and refined as the model's config says (the photo
    tool's and the API's defaults; the video tool does the same with --flip and --refine set to
    the model's own). The video is one frame,
    stored losslessly (FFV1), so the frame is the photo's pixels. No upstream line that reads
    like an error reaches the user.
    """
    pytest.importorskip('dlib')
    from rednet_mmseg.apis import FaceParsingInferencer

    photo = _grace_hopper()
    img = cv2.imread(photo)
    clip = str(tmp_path / 'one.avi')
    writer = cv2.VideoWriter(clip, cv2.VideoWriter_fourcc(*'FFV1'), 5, img.shape[1::-1])
    writer.write(img)
    writer.release()
    res = _subprocess(photo, '--out-dir', str(tmp_path / 'p'), repo_root=repo_root)
    assert res.returncode == 0, res.stderr[-3000:]
    for noise in UPSTREAM_NOISE:
        assert noise not in res.stdout + res.stderr, noise
    inferencer = FaceParsingInferencer()
    video = tool_main(
        'parse_video.py', clip, '--out', tmp_path / 'v.mp4', '--frames-dir', tmp_path / 'f',
        '--flip', '--refine', inferencer.refine, '--no-progress',
    )  # fmt: skip
    assert video.returncode == 0, video.stderr[-3000:]
    tool = cv2.imread(str(tmp_path / 'p' / 'pred' / 'grace_hopper.png'), cv2.IMREAD_UNCHANGED)
    frame = cv2.imread(str(tmp_path / 'f' / '000000.png'), cv2.IMREAD_UNCHANGED)
    api = inferencer(photo)['predictions']
    assert api.shape == tool.shape == frame.shape == img.shape[:2]
    assert np.array_equal(api, tool) and np.array_equal(api, frame)
    assert len(np.unique(api)) >= 8  # a real parse, not an empty map


def test_an_edited_landmark_table_passed_back_is_kept(tmp_path, tool_main):
    """Edit OUT/landmarks.txt, pass it back with --landmarks into the same OUT: it stays."""
    pytest.importorskip('dlib')
    out = tmp_path / 'P'
    res = tool_main(
        'parse_faces.py', _grace_hopper(), '--out-dir', out, '--no-flip', '--no-progress'
    )
    assert res.returncode == 0, res.stderr[-3000:]
    values = (out / 'landmarks.txt').read_text().split()
    edited = ' '.join([values[0]] + [f'{float(v) + 2:.2f}' for v in values[1:]]) + '\n'
    (out / 'landmarks.txt').write_text(edited)
    res = tool_main(
        'parse_faces.py',
        _grace_hopper(),
        '--out-dir',
        out,
        '--no-flip',
        '--landmarks',
        out / 'landmarks.txt',
        '--no-progress',
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert (out / 'landmarks.txt').read_text() == edited
    import json

    (face,) = json.loads((out / 'faces' / 'grace_hopper.json').read_text())['faces']
    assert np.allclose(np.ravel(face['points']), [float(v) for v in edited.split()[1:]])


def test_aligned_crops_follow_the_exif_orientation(helen_converted, tiny_checkpoint, tmp_path,
                                                   tool_main):  # fmt: skip
    """--aligned sizes the template from the image as decoded (upright), not as stored."""
    import json

    from PIL import Image

    from rednet_mmseg.apis.multi_face import ALIGNED_TEMPLATE

    src = tmp_path / 'in'
    src.mkdir()
    pixels = np.random.default_rng(0).integers(0, 255, (90, 140, 3), np.uint8)  # stored W > H
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned by 90 degrees: 90 wide, 140 high
    Image.fromarray(pixels).save(src / 'phone.jpg', exif=exif.tobytes())
    out = tmp_path / 'aligned'
    res = tool_main(
        'parse_faces.py',
        PRIOR,
        tiny_checkpoint,
        src,
        '--out-dir',
        out,
        '--prior-bank',
        os.path.join(helen_converted, 'prior_bank.npz'),
        '--aligned',
        '--no-flip',
        '--no-progress',
    )
    assert res.returncode == 0, res.stderr[-3000:]
    (face,) = json.loads((out / 'faces' / 'phone.json').read_text())['faces']
    assert face['crop'] == [0, 0, 90, 140]
    assert np.allclose(face['points'], ALIGNED_TEMPLATE * [90, 140], atol=0.01)
    assert cv2.imread(str(out / 'pred' / 'phone.png'), 0).shape == (140, 90)


def test_tiny_and_damaged_images(tmp_path, repo_root, tool_main):
    """A 5x5 image in a folder is skipped as faceless; named, it is a one-line error.

    A JPEG with 400 zeroed bytes mid-file is parsed with a warning naming it.
    """
    pytest.importorskip('dlib')
    import shutil

    src = tmp_path / 'in'
    src.mkdir()
    shutil.copy(_grace_hopper(), src / 'good.jpg')
    cv2.imwrite(str(src / 'tiny.png'), np.full((5, 5, 3), 128, np.uint8))
    data = bytearray((src / 'good.jpg').read_bytes())
    data[len(data) // 2 : len(data) // 2 + 400] = bytes(400)
    (src / 'damaged.jpg').write_bytes(bytes(data))
    res = _subprocess(str(src), '--out-dir', str(tmp_path / 'o'), '--no-flip', repo_root=repo_root)
    assert res.returncode == 0 and 'Traceback' not in res.stderr, res.stderr[-3000:]
    assert f'{src / "tiny.png"}' in res.stderr and 'no face found in' in res.stderr
    assert f'warning: {src / "damaged.jpg"}: the decoder reports corrupt data' in res.stderr
    assert (tmp_path / 'o' / 'pred' / 'good.png').is_file()
    res = tool_main(
        'parse_faces.py', src / 'tiny.png', '--out-dir', tmp_path / 'o2', '--no-progress'
    )
    assert res.returncode != 0 and 'Traceback' not in res.stderr, res.stderr[-3000:]
    assert f'error: {src / "tiny.png"}: no face found (5x5 px is too small' in res.stderr
    assert not (tmp_path / 'o2').exists()


def test_out_dir_that_is_the_input_folder(helen_converted, tiny_checkpoint, tmp_path, tool_main):
    """The previous run's legend.png in the input folder is not read as an input."""
    import shutil

    folder = tmp_path / 'photos'
    folder.mkdir()
    name = sorted(os.listdir(os.path.join(helen_converted, 'images', 'val')))[0]
    shutil.copy(os.path.join(helen_converted, 'images', 'val', name), folder / name)
    for _ in range(2):
        res = tool_main('parse_faces.py', TINY, tiny_checkpoint, folder, '--out-dir', folder)
        assert res.returncode == 0, res.stderr[-3000:]
        assert '1 image(s) parsed' in res.stdout
    assert sorted(os.listdir(folder / 'pred')) == [name[:-4] + '.png']


def _tool_parser(repo_root, tool):
    import runpy

    return runpy.run_path(os.path.join(repo_root, 'tools', tool), run_name='tool')['parse_args']


@pytest.mark.parametrize(
    'tool, option',
    [
        ('parse_faces.py', ['--max-faces', '0']),
        ('parse_faces.py', ['--opacity', '5']),
        ('parse_faces.py', ['--min-face-size', '-1']),
        ('parse_faces.py', ['--batch-size', '0']),
        ('parse_faces.py', ['--aligned-template', *['0.5'] * 9, 'nan']),
        ('parse_video.py', ['--max-faces', '0']),
        ('parse_video.py', ['--opacity', '5']),
        ('parse_video.py', ['--detect-every', '0']),
        ('parse_video.py', ['--smooth', '1']),
        ('parse_video.py', ['--max-frames', '0']),
    ],
)
def test_numeric_options_are_checked_when_parsed(repo_root, tool, option, capsys):
    parse_args = _tool_parser(repo_root, tool)
    out = ['--out-dir', 'o'] if tool == 'parse_faces.py' else ['--out', 'o.mp4']
    with pytest.raises(SystemExit) as err:
        parse_args(['x.jpg', *out, *option])
    assert err.value.code == 2 and f'argument {option[0]}: must be' in capsys.readouterr().err


def test_a_config_positional_takes_the_next_as_its_checkpoint(repo_root, capsys):
    parse_args = _tool_parser(repo_root, 'parse_faces.py')
    args = parse_args([TINY, 'model.bin', 'a.jpg', '--out-dir', 'o'])
    assert (args.config, args.checkpoint, args.inputs) == (TINY, 'model.bin', ['a.jpg'])
    with pytest.raises(SystemExit):
        parse_args([TINY, 'model.bin', '--out-dir', 'o'])
    assert 'is a config: give CONFIG CHECKPOINT INPUT' in capsys.readouterr().err


def test_scales_reach_the_api_and_bad_scales_are_refused(tmp_path, tool_main):
    """``--scales 1 1.25``: the API's multi-scale label map; ``--scales 0``: a clear error."""
    pytest.importorskip('dlib')
    from rednet_mmseg.apis import FaceParsingInferencer

    photo = _grace_hopper()
    res = tool_main('parse_faces.py', photo, '--out-dir', tmp_path / 'm', '--scales', '1', '1.25')
    assert res.returncode == 0, res.stderr[-3000:]
    tool = cv2.imread(str(tmp_path / 'm' / 'pred' / 'grace_hopper.png'), cv2.IMREAD_UNCHANGED)
    api = FaceParsingInferencer(scales=(1, 1.25))(photo)['predictions']
    single = FaceParsingInferencer()(photo)['predictions']
    assert np.array_equal(api, tool) and not np.array_equal(api, single)
    bad = tool_main('parse_faces.py', photo, '--out-dir', tmp_path / 'b', '--scales', '0')
    assert bad.returncode != 0 and 'scales must be one or more positive numbers' in bad.stderr
    assert not (tmp_path / 'b' / 'pred').exists() or not any((tmp_path / 'b' / 'pred').iterdir())
