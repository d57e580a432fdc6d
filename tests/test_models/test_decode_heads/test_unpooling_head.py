"""UnpoolingHead: the levels' channels and the paper's defaults shared by RDHead/DeconvHead."""

import torch.nn as nn

from rednet_mmseg.models import DeconvHead, RDHead
from rednet_mmseg.models.decode_heads.unpooling_head import UnpoolingHead
from rednet_mmseg.models.utils import DeconvAsConv2d


def test_level_channels_and_defaults():
    for cls in (RDHead, DeconvHead):
        head = cls(
            in_channels=32,
            channels=4,
            unit_channels=(32, 16, 8, 4),
            num_classes=3,
            **(dict(center_channels=0) if cls is DeconvHead else {}),
        )
        assert isinstance(head, UnpoolingHead)
        assert head.level_channels == [(32, 32), (32, 16), (16, 8), (8, 4), (4, 4)]
        assert head.conv_cfg == dict(type='DeconvAsConv2d') and head.norm_cfg['type'] == 'BN'
        deconvs = [m for m in head.modules() if isinstance(m, nn.ConvTranspose2d)]
        assert deconvs and all(isinstance(m, DeconvAsConv2d) for m in deconvs)
        assert dict(type='Normal', std=0.01, layer=['Conv2d', 'ConvTranspose2d']) in head.init_cfg
