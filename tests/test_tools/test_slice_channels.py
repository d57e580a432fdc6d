"""``tools/model_converters/slice_channels.py``: a checkpoint cut to a narrower RED-Net."""

import runpy

import pytest
import torch
from mmengine.config import Config
from mmseg.registry import MODELS

TINY = 'configs/cpu/rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-6k_helen-128x128.py'
W8 = 'configs/cpu/rednet_re5-tiny-w8-rd5a_1xb8-prior-bayes-wce-6k_helen-128x128.py'


def _model(repo_root, config):
    return MODELS.build(Config.fromfile(f'{repo_root}/{config}').model).eval()


@pytest.fixture(scope='module')
def slice_state_dict(repo_root):
    tool = runpy.run_path(f'{repo_root}/tools/model_converters/slice_channels.py')
    return tool['slice_state_dict']


def test_cut_to_half_width_loads_and_keeps_the_first_channels(repo_root, slice_state_dict):
    torch.manual_seed(0)
    tiny, w8 = _model(repo_root, TINY), _model(repo_root, W8)
    cut = slice_state_dict(tiny.state_dict(), w8.state_dict())
    w8.load_state_dict(cut, strict=True)  # every tensor, every shape
    stem = tiny.state_dict()['backbone.stem.conv.weight']
    assert stem.shape[0] == 2 * w8.state_dict()['backbone.stem.conv.weight'].shape[0]
    assert torch.equal(w8.state_dict()['backbone.stem.conv.weight'], stem[: stem.shape[0] // 2])
    seg = 'decode_head.conv_seg.weight'  # 11 classes kept, its input channels cut
    assert cut[seg].shape[0] == tiny.state_dict()[seg].shape[0] == 11
    # the same widths: the same tensors
    same = slice_state_dict(tiny.state_dict(), tiny.state_dict())
    assert all(torch.equal(same[k], v) for k, v in tiny.state_dict().items())


def test_a_wider_target_is_an_error_naming_the_tensor(repo_root, slice_state_dict):
    tiny, w8 = _model(repo_root, TINY), _model(repo_root, W8)
    with pytest.raises(ValueError, match=r'backbone\.stem\.conv\.weight: source shape'):
        slice_state_dict(w8.state_dict(), tiny.state_dict())
    with pytest.raises(ValueError, match='not in the source checkpoint'):
        slice_state_dict({}, w8.state_dict())
    extra = dict(tiny.state_dict(), **{'backbone.units.9.weight': torch.zeros(1)})
    with pytest.raises(ValueError, match=r'backbone\.units\.9\.weight: not in the narrower'):
        slice_state_dict(extra, w8.state_dict())


def test_cli_writes_a_checkpoint_the_narrow_config_loads(tmp_path, repo_root, tool_main):
    src, out = tmp_path / 'tiny.pth', tmp_path / 'w8.pth'
    torch.save(dict(state_dict=_model(repo_root, TINY).state_dict(), meta={}), src)
    res = tool_main('model_converters/slice_channels.py', src, W8, out)
    assert res.returncode == 0, res.stderr[-2000:]
    assert 'cut to narrower shapes' in res.stdout
    state = torch.load(out, map_location='cpu', weights_only=True)['state_dict']
    _model(repo_root, W8).load_state_dict(state, strict=True)
    assert not (tmp_path / 'w8.pth.partial').exists()
    bad = tool_main('model_converters/slice_channels.py', out, TINY, tmp_path / 'x.pth')
    assert bad.returncode != 0 and 'cannot be cut' in bad.stdout + bad.stderr
    assert not (tmp_path / 'x.pth').exists()
    before = src.read_bytes()  # an existing output (here the source itself) is never replaced
    again = tool_main('model_converters/slice_channels.py', src, W8, src)
    assert again.returncode != 0 and 'exists' in again.stdout + again.stderr
    assert src.read_bytes() == before
