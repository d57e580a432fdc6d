import torch
import torch.nn as nn

from rednet_mmseg.engine import ChannelsLastHook
from rednet_mmseg.models import RDHead, RedNetEncoder


class _Runner:
    def __init__(self, model):
        self.model = model


def test_weights_become_channels_last_and_outputs_unchanged():
    model = nn.Sequential(RedNetEncoder(arch='tiny'),
                          RDHead(in_channels=128, channels=16, unit_channels=(128, 64, 32, 16),
                                 num_classes=3)).eval()
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        before = model(x)
        ChannelsLastHook().before_test(_Runner(model))
        after = model(x)
    conv = model[0].stem.conv
    assert conv.weight.is_contiguous(memory_format=torch.channels_last)
    assert torch.allclose(before, after, atol=1e-5)  # index-based unpooling included
