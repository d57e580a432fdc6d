"""Test-time mirroring: left/right classes swapped back before the average."""

import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from rednet_mmseg.datasets.transforms.face_augment import mirror_order
from rednet_mmseg.models.segmentors import FaceSegTTAModel
from rednet_mmseg.models.segmentors.face_tta_model import mirror_batch

PAIRS = [(2, 3), (4, 5)]


def test_mirror_order():
    assert mirror_order(PAIRS, 7) == [0, 1, 3, 2, 5, 4, 6]
    assert mirror_order([], 3) == [0, 1, 2]


def _side_model(img):
    """A "face parser" that labels the image's left half class 2, its right half class 3.

    What a parser does for a left and a right eye: the mirror image's left half is the
    original's right half, so only swapping the classes back makes the two views agree.
    """
    k, w = 6, img.shape[-1]
    logits = torch.zeros(k, img.shape[-2], w)
    logits[2, :, : w // 2] = 4.0
    logits[3, :, w // 2 :] = 4.0
    return logits


class _Segmentor(torch.nn.Module):
    """BaseTTAModel only checks that the module it wraps can test."""

    def test_step(self, data):
        raise NotImplementedError


def _sample(logits, flipped):
    sample = SegDataSample(metainfo=dict(flip=flipped, flip_direction='horizontal'))
    sample.seg_logits = PixelData(data=logits)
    return sample


def test_merge_swaps_left_and_right_back():
    img = torch.rand(3, 4, 8)
    plain = _sample(_side_model(img), False)
    # postprocess_result flips a mirrored prediction's scores back (mmseg), not its classes
    mirrored = _sample(_side_model(img.flip(-1)).flip(-1), True)
    tta = FaceSegTTAModel(_Segmentor(), flip_pairs=PAIRS)
    (merged,) = tta.merge_preds([[plain, mirrored]])
    assert merged is plain and merged.pred_sem_seg.data.shape == (1, 4, 8)
    expected = torch.tensor([2] * 4 + [3] * 4).expand(1, 4, 8)
    assert torch.equal(merged.pred_sem_seg.data, expected)
    # without the swap the two views contradict each other on every pixel: a tie
    (unswapped,) = FaceSegTTAModel(tta.module).merge_preds(
        [[_sample(_side_model(img), False), _sample(_side_model(img.flip(-1)).flip(-1), True)]]
    )
    assert not torch.equal(unswapped.pred_sem_seg.data, expected)
    probs = merged.seg_logits.data.exp()
    torch.testing.assert_close(probs.sum(0), torch.ones(4, 8))


def test_mirror_batch_flips_inputs_and_refuses_a_prior():
    x = torch.arange(2 * 3 * 5, dtype=torch.uint8).reshape(2, 3, 5)
    sample = SegDataSample(metainfo=dict(img_shape=(3, 5)))
    out = mirror_batch(dict(inputs=[x], data_samples=[sample]))
    assert torch.equal(out['inputs'][0], x.flip(-1))
    meta = out['data_samples'][0].metainfo
    assert meta['flip'] and meta['flip_direction'] == 'horizontal' and meta['img_shape'] == (3, 5)
    assert 'flip' not in sample.metainfo  # the original batch is left as it was
    # a packed prior is the original face's: the mirror face's own comes from its points
    sample.face_prior = PixelData(data=torch.rand(6, 3, 5))
    with pytest.raises(ValueError, match='mirror the face before LoadFacePrior'):
        mirror_batch(dict(inputs=[x], data_samples=[sample]))


def test_face_tta_pipeline_gives_the_mirror_face_its_own_prior(helen_converted, repo_root):
    """``tools/test.py --tta``'s pipeline: the sample as is and mirrored, ground truth as is."""
    import os.path as osp

    from mmengine.config import Config
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope
    from mmseg.registry import DATASETS

    from rednet_mmseg.datasets.transforms.face_augment import mirror_face
    from rednet_mmseg.models.segmentors.face_tta_model import config_flip_pairs, face_tta_pipeline

    init_default_scope('mmseg')
    cfg = Config.fromfile(
        osp.join(
            repo_root, 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-prior-1k_synthhelen-128x128.py'
        )
    )
    assert config_flip_pairs(cfg) == PAIRS
    dataset = cfg.test_dataloader.dataset
    dataset.data_root = helen_converted
    for t in dataset.pipeline:
        if t['type'] == 'LoadFacePrior':
            t['bank_file'] = osp.join(helen_converted, 'prior_bank.npz')
    plain_set = DATASETS.build(dataset)
    plain = plain_set[0]
    steps = dataset.pipeline
    dataset.pipeline = face_tta_pipeline(steps, PAIRS)
    types = [t['type'] for t in dataset.pipeline]
    # mirrored before the prior is made: the mirror face gets its own prior
    assert types == [t['type'] for t in steps[:3]] + ['TestTimeAug']
    assert types[:3] == ['LoadImageFromFile', 'LoadFaceLandmarks', 'Resize']
    both = DATASETS.build(dataset)[0]
    (x, mx), (s, ms) = both['inputs'], both['data_samples']
    assert torch.equal(x, plain['inputs']) and torch.equal(mx, x.flip(-1))
    assert not s.metainfo['flip'] and ms.metainfo['flip']
    torch.testing.assert_close(s.face_prior.data, plain['data_samples'].face_prior.data)

    # the mirror face's prior: the test pipeline run on the mirror image and mirrored points
    loaded = Compose(steps[:3])(plain_set.get_data_info(0))
    img, points = mirror_face(loaded['img'], loaded['gt_keypoints'][0, :, :2])
    rest = Compose([t for t in steps[3:] if t['type'] != 'LoadAnnotations'])
    own = rest(dict(img=img, gt_keypoints=points[None], img_shape=img.shape[:2]))
    own = own['data_samples'].face_prior.data
    torch.testing.assert_close(ms.face_prior.data, own)
    # which is not the original's prior flipped: the bank's neighbours of the mirror face differ
    flipped = s.face_prior.data.flip(-1)[mirror_order(PAIRS, own.shape[0])]
    assert (ms.face_prior.data - flipped).abs().max() > 0.05
    # both views are scored against the ground truth as it is
    assert torch.equal(ms.gt_sem_seg.data, s.gt_sem_seg.data)
    assert torch.equal(s.gt_sem_seg.data, plain['data_samples'].gt_sem_seg.data)


def test_class_names_give_the_configs_pairs(repo_root):
    """Every data set's left/right class names pair up exactly as its configs' flips swap."""
    import os.path as osp

    from mmengine.config import Config

    from rednet_mmseg.datasets import (
        CelebAMaskHQDataset,
        HelenDataset,
        LaPaDataset,
        LFWPartLabelsDataset,
    )
    from rednet_mmseg.models.segmentors.face_tta_model import config_flip_pairs, pairs_from_names

    for dataset, base in [
        (HelenDataset, 'helen.py'),
        (LaPaDataset, 'lapa.py'),
        (CelebAMaskHQDataset, 'celebamask_hq.py'),
        (LFWPartLabelsDataset, 'lfw.py'),
    ]:
        cfg = Config.fromfile(osp.join(repo_root, 'configs/_base_/datasets', base))
        named = pairs_from_names(dataset.METAINFO['classes'])
        assert config_flip_pairs(cfg) == named, base
        assert config_flip_pairs(Config(), classes=dataset.METAINFO['classes']) == named


def test_face_tta_config_wraps_the_model_and_mirrors_the_test_pipeline(repo_root):
    """What tools/test.py --tta runs: FaceSegTTAModel around the model, the Helen pairs."""
    from mmengine.config import Config

    from rednet_mmseg.models.segmentors.face_tta_model import face_tta_config

    cfg = Config.fromfile(
        f'{repo_root}/configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py'
    )
    model = cfg.model
    out = face_tta_config(cfg)
    assert out.model.type == 'FaceSegTTAModel' and out.model.module == model
    assert [tuple(p) for p in out.model.flip_pairs] == [(2, 3), (4, 5)]
    assert any(t['type'] == 'TestTimeAug' for t in out.test_dataloader.dataset.pipeline)
