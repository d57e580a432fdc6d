"""FaceParsingInferencer is called like MMSegInferencer; label maps are named after images."""

import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmseg.registry import MODELS
from PIL import Image

from rednet_mmseg.apis import FaceParsingInferencer
from rednet_mmseg.datasets import HelenDataset

PRIOR = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-prior-1k_synthhelen-128x128.py'


def test_prior_config_in_python(helen_converted, tmp_path, repo_root):
    cfg = Config.fromfile(os.path.join(repo_root, PRIOR))
    model = MODELS.build(cfg.model)
    ckpt = tmp_path / 'tiny.pth'
    torch.save(
        dict(state_dict=model.state_dict(), meta=dict(dataset_meta=dict(HelenDataset.METAINFO))),
        ckpt,
    )
    img_dir = os.path.join(helen_converted, 'images', 'val')
    names = sorted(os.listdir(img_dir))
    table = tmp_path / 'lm.txt'
    table.write_text(
        ''.join(
            n
            + ' '
            + ' '.join(
                open(os.path.join(helen_converted, 'landmarks', 'val', n[:-4] + '.txt'))
                .read()
                .split()
            )
            + '\n'
            for n in names
        )
    )
    inferencer = FaceParsingInferencer(
        cfg,
        str(ckpt),
        landmarks_file=str(table),
        device='cpu',
        prior_bank=os.path.join(helen_converted, 'prior_bank.npz'),
    )
    assert inferencer.uses_prior and inferencer.model.dataset_meta['classes'][10] == 'hair'
    paths = [os.path.join(img_dir, n) for n in names]
    out = inferencer(paths, out_dir=str(tmp_path / 'out'), return_vis=True)
    assert len(out['predictions']) == len(names) and len(out['visualization']) == len(names)
    for n, pred in zip(names, out['predictions']):
        saved = np.array(Image.open(tmp_path / 'out' / 'pred' / (n[:-4] + '.png')))
        assert np.array_equal(saved, pred.astype(np.uint8))
    assert sorted(os.listdir(tmp_path / 'out' / 'vis')) == names


def test_landmarks_detected_when_not_given(helen_converted, tmp_path, repo_root):
    """No landmarks_file: the 5 points of each image are detected (a real photograph)."""
    import pytest

    pytest.importorskip('dlib')
    from matplotlib.cbook import get_sample_data

    cfg = Config.fromfile(os.path.join(repo_root, PRIOR))
    ckpt = tmp_path / 'tiny.pth'
    torch.save(
        dict(
            state_dict=MODELS.build(cfg.model).state_dict(),
            meta=dict(dataset_meta=dict(HelenDataset.METAINFO)),
        ),
        ckpt,
    )
    inferencer = FaceParsingInferencer(
        cfg, str(ckpt), device='cpu', prior_bank=os.path.join(helen_converted, 'prior_bank.npz')
    )
    assert inferencer.needs_landmarks and inferencer.landmarks_file is None
    photo = get_sample_data('grace_hopper.jpg', asfileobj=False)
    out = inferencer([photo], out_dir=str(tmp_path / 'out'))
    assert out['predictions'].shape == (600, 512)
    assert os.listdir(tmp_path / 'out' / 'pred') == ['grace_hopper.png']
    assert inferencer.landmarks_file is None  # the temporary table is gone again


def test_flip_is_mirror_equivariant():
    """Parsing the mirror photo with ``flip`` gives the mirrored label map, left and right swapped.

    Both photos are parsed from the same two views (the photo and its mirror image, each with
    its own prior), so the merged maps must agree exactly when left/right classes are swapped
    back, and disagree on every left/right pixel when they are not.
    """
    import cv2
    from matplotlib.cbook import get_sample_data

    from rednet_mmseg.apis.multi_face import Face
    from rednet_mmseg.datasets.transforms.face_augment import mirror_landmarks

    photo = cv2.imread(get_sample_data('grace_hopper.jpg', asfileobj=False), cv2.IMREAD_COLOR)
    img = np.ascontiguousarray(cv2.resize(photo[130:350, 156:376], (110, 110)))
    # the detector's 5 points on the photo (FaceLandmarkDetector), in the half-size crop
    points = np.array([[225, 191], [305, 188], [268, 253], [235, 281], [299, 277]], np.float32)
    face = Face((points - [156, 130]) / 2)
    inferencer = FaceParsingInferencer(device='cpu', flip=True)
    mirror = np.ascontiguousarray(img[:, ::-1])
    mirror_face = Face(mirror_landmarks(face.points, img.shape[1]))
    labels, _, (f,) = inferencer.parse_faces('a.png', [face], img, context=4.0)
    mirrored, _, (g,) = inferencer.parse_faces('b.png', [mirror_face], mirror, context=4.0)
    assert f.crop == g.crop == (0, 0, 110, 110)  # the whole photo: the two crops mirror exactly
    swap = np.array([0, 1, 3, 2, 5, 4, 6, 7, 8, 9, 10], np.uint8)
    sided = np.isin(labels, [2, 3, 4, 5])
    assert sided.sum() > 20  # brows and eyes found: the check below can fail
    # the same two views in another order: equal up to float rounding (a near-tie may go
    # either way); without the swap back 3.7 % of the pixels differ
    assert (mirrored != swap[labels][:, ::-1]).mean() < 0.002
    assert (mirrored != labels[:, ::-1]).mean() > 0.01  # the classes really are swapped
    plain, _, _ = inferencer.parse_faces('a.png', [face], img, context=4.0, flip=False)
    assert plain.shape == labels.shape and not np.array_equal(plain, labels)  # flip is applied


def test_flip_in_mmseg_inference_path(tmp_path, repo_root):
    """A config without landmarks: ``__call__`` mirrors through ``forward`` (mirror_batch).

    The photo and its mirror image are predicted from the same two views, so the maps must be
    mirror images of each other with left and right swapped.
    """
    config = osp.join(
        repo_root, 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py'
    )
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(config).model)
    model.init_weights()
    for m in model.modules():  # BN statistics of real activations: features that do not vanish
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = None
    with torch.no_grad():
        model.train()
        model.decode_head(model.extract_feat(torch.rand(2, 3, 144, 144) * 255))
    torch.nn.init.normal_(model.decode_head.conv_seg.weight, std=1.0)  # all classes appear
    checkpoint = str(tmp_path / 'random.pth')
    torch.save(
        dict(state_dict=model.state_dict(), meta=dict(dataset_meta=HelenDataset.METAINFO)),
        checkpoint,
    )
    inferencer = FaceParsingInferencer(config, checkpoint, device='cpu', flip=True)
    assert inferencer._tta.flip_pairs == [(2, 3), (4, 5)]  # from the config's training flip
    img = np.random.default_rng(0).integers(0, 256, (144, 144, 3), dtype=np.uint8)

    def predict(image):
        sample = inferencer(image, return_datasamples=True)
        top2 = sample.seg_logits.data.exp().topk(2, dim=0).values  # merged probabilities
        return sample.pred_sem_seg.data[0].numpy(), (top2[0] - top2[1]).numpy()

    (plain, margin), (mirrored, mirrored_margin) = predict(img), predict(img[:, ::-1].copy())
    swap = np.array([0, 1, 3, 2, 5, 4, 6, 7, 8, 9, 10])
    assert np.isin(plain, [2, 3, 4, 5]).sum() > 20  # left/right classes present
    # the same two views in another order: equal up to float rounding, so pixels whose two best
    # classes are closer than 1e-4 (rounding is ~1e-7) may go either way
    clear = margin > 1e-4
    assert clear.mean() > 0.99
    np.testing.assert_array_equal(mirrored[clear[:, ::-1]], swap[plain][:, ::-1][clear[:, ::-1]])
    # a batch of two: each image merged with its own mirror image, not with its neighbour's
    batch = inferencer(
        [img, np.ascontiguousarray(img[:, ::-1])], batch_size=2, return_datasamples=True
    )
    for sample, single, gap in zip(batch, (plain, mirrored), (margin, mirrored_margin)):
        labels = sample.pred_sem_seg.data[0].numpy()
        np.testing.assert_array_equal(labels[gap > 1e-4], single[gap > 1e-4])


@pytest.mark.parametrize('fast_path', [True, False])
def test_a_face_larger_than_the_crop_limit_is_parsed_scaled_down(monkeypatch, fast_path):
    """A face of a large phone photo: the network never sees a tensor of the photo's size.

    With the limit set to 96 px, the 512x600 grace_hopper face crop enters the hot path (or the
    pipeline) at most 96 px wide, and its labels come back at the crop's full size.
    """
    pytest.importorskip('dlib')
    import cv2
    from matplotlib.cbook import get_sample_data

    from rednet_mmseg.apis import FaceParsingInferencer, multi_face

    monkeypatch.setattr(multi_face, 'MAX_CROP_SIDE', 96)
    path = get_sample_data('grace_hopper.jpg', asfileobj=False)
    inferencer = FaceParsingInferencer(device='cpu', flip=False, fast_path=fast_path)
    seen = []
    parser = inferencer.crop_parser
    if fast_path:
        scores = parser._network_scores  # what every label map of the hot path comes from
        parser._network_scores = lambda crop, *a: seen.append(crop.shape) or scores(crop, *a)
    else:
        pipeline = parser.pipeline
        parser.pipeline = lambda item: seen.append(item['img'].shape) or pipeline(item)
    labels, _, (face,) = inferencer.parse_image(path)
    x0, y0, x1, y1 = face.crop
    assert max(seen[0][:2]) <= 96 and max(y1 - y0, x1 - x0) > 96
    assert labels.shape == cv2.imread(path).shape[:2]
    assert {1, 10} <= set(np.unique(labels[y0:y1, x0:x1]).tolist())  # skin and hair found
