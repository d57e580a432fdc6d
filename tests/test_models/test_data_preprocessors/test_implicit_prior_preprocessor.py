import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from rednet_mmseg.models import PriorConcatPreProcessor


def _sample(h, w, k=3):
    s = SegDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w)))
    s.gt_sem_seg = PixelData(data=torch.zeros(1, h, w, dtype=torch.long))
    prior = torch.rand(k, h, w)
    s.set_field(PixelData(data=prior / prior.sum(0)), 'face_prior')
    return s


def test_prior_appended_as_channels_and_padded_like_the_image():
    pre = PriorConcatPreProcessor(mean=[0, 0, 0], std=[1, 1, 1], size=(8, 8))
    samples = [_sample(6, 8), _sample(8, 5)]
    data = dict(
        inputs=[torch.randint(0, 255, (3, 6, 8)).byte(), torch.randint(0, 255, (3, 8, 5)).byte()],
        data_samples=samples,
    )
    out = pre(data, training=True)
    assert out['inputs'].shape == (2, 6, 8, 8)
    assert torch.allclose(out['inputs'][0, 3:, :6, :], samples[0].face_prior.data)
    assert (out['inputs'][0, 3:, 6:, :] == 0).all()  # padding carries no prior
    assert torch.allclose(out['inputs'][1, 3:, :, :5], samples[1].face_prior.data)
