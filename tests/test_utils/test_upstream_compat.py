"""The upstream workarounds: one global stand-in, the rest through the registries.

Importing the plugin changes no stock object; a stock config trains the same losses with and
without it.
"""

import sys

import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader

from rednet_mmseg.utils import checkpoint, upstream_compat


def test_mmseg_models_import_and_missing_ops_raise_only_when_called():
    import mmseg.models  # noqa: F401  (fails with "No module named 'mmcv._ext'" unpatched)

    ext = sys.modules['mmcv._ext']
    if getattr(ext, 'REDNET_STANDIN', False):
        assert ext.__spec__ is not None
        with pytest.raises(NotImplementedError, match='sigmoid_focal_loss_forward'):
            ext.sigmoid_focal_loss_forward()


def test_apply_is_idempotent():
    active = upstream_compat.active_patches()
    upstream_compat.apply()
    assert upstream_compat.active_patches() == active


def test_checkpoint_policy_acts_only_inside_its_block():
    before = CheckpointLoader._schemes.get('')
    with upstream_compat.checkpoint_policy():
        if tuple(int(v) for v in torch.__version__.split('.')[:2]) >= (2, 6):
            assert CheckpointLoader._schemes[''] is checkpoint.safe_load
    assert CheckpointLoader._schemes.get('') is before


IDENTITY = """
import mmengine.dist.utils as du
from mmengine.model import MMDistributedDataParallel
from mmengine.runner import Runner
from mmengine.runner.checkpoint import CheckpointLoader
from mmseg.models.losses import cross_entropy_loss

def objects():
    return [Runner.resume, Runner.wrap_model, Runner.load_checkpoint, du._init_dist_pytorch,
            MMDistributedDataParallel.__init__, CheckpointLoader._schemes.get(''),
            cross_entropy_loss.cross_entropy, cross_entropy_loss.CrossEntropyLoss.forward]

before = objects()
import rednet_mmseg  # registers the plugin
after = objects()
changed = [str(a) for a, b in zip(before, after) if a is not b]
assert not changed, changed
print('same')
"""


def test_importing_the_plugin_changes_no_stock_object(tmp_path):
    """The resume, loader and DDP set-up of mmengine and mmseg's cross-entropy stay upstream's.

    (mmcv._ext is not among them: mmseg.models cannot be imported without it on mmcv-lite.)
    """
    import subprocess

    script = tmp_path / 'identity.py'
    script.write_text('import sys, types\n' + _STANDIN + IDENTITY)
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert res.returncode == 0 and 'same' in res.stdout, res.stderr[-2000:]


#: The mmcv._ext stand-in on its own, so that mmseg.models imports without the plugin.
_STANDIN = """
import importlib.machinery, importlib.util
if importlib.util.find_spec('mmcv._ext') is None and 'mmcv._ext' not in sys.modules:
    ext = types.ModuleType('mmcv._ext')
    ext.__spec__ = importlib.machinery.ModuleSpec('mmcv._ext', loader=None)
    def _op(*args, **kwargs):
        raise NotImplementedError('compiled mmcv op')
    def _getattr(name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _op
    ext.__getattr__ = _getattr
    sys.modules['mmcv._ext'] = ext
"""

STOCK_FCN = """
import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmengine.structures import PixelData
if sys.argv[1] == 'plugin':
    import rednet_mmseg  # noqa: F401
init_default_scope('mmseg')
import os.path as osp, mmseg
base = osp.join(osp.dirname(mmseg.__file__), '.mim', 'configs', '_base_')
cfg = Config.fromfile(osp.join(base, 'models', 'fcn_r50-d8.py'))
cfg.model.backbone.depth = 18
cfg.model.pretrained = None  # no download
cfg.model.backbone.norm_cfg = cfg.model.decode_head.norm_cfg = dict(type='BN')
cfg.model.auxiliary_head = None
cfg.model.decode_head.update(in_channels=512, channels=16, num_classes=3,
    loss_decode=dict(type='CrossEntropyLoss', class_weight=[0.5, 1.0, 2.0]))
cfg.model.data_preprocessor.size = (32, 32)
torch.manual_seed(0)
model = MODELS.build(cfg.model)
model.init_weights()
wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
imgs = [torch.randint(0, 255, (3, 32, 32)).float() for _ in range(2)]
samples = []
for _ in range(2):
    s = SegDataSample()
    s.gt_sem_seg = PixelData(data=torch.randint(0, 3, (1, 32, 32)))
    s.set_metainfo(dict(img_shape=(32, 32), ori_shape=(32, 32), pad_shape=(32, 32)))
    samples.append(s)
for _ in range(3):
    log = model.train_step(dict(inputs=imgs, data_samples=samples), wrapper)
    print('LOSS', repr(float(log['decode.loss_ce'])))
"""


def test_a_stock_config_trains_the_same_losses_with_the_plugin_imported(tmp_path):
    """A stock FCN (mmseg's config, class-weighted cross-entropy): identical losses."""
    import subprocess

    script = tmp_path / 'stock_fcn.py'
    script.write_text('import sys, types\n' + _STANDIN + STOCK_FCN)
    runs = {}
    for mode in ('stock', 'plugin'):
        res = subprocess.run(
            [sys.executable, str(script), mode], capture_output=True, text=True, timeout=600
        )
        assert res.returncode == 0, res.stderr[-3000:]
        runs[mode] = [line for line in res.stdout.splitlines() if line.startswith('LOSS ')]
    assert len(runs['stock']) == 3 and runs['stock'] == runs['plugin']


def test_class_weighted_cross_entropy_with_ignored_pixels():
    """FaceCrossEntropyLoss: mmseg 1.2.2's class-weighted loss, which fails on ignored pixels.

    Upstream failed on any ignored pixel (IndexError 255); ours is the weighted mean over the
    labelled pixels (PyTorch's weighted cross-entropy).
    """
    from rednet_mmseg.models.losses import FaceCrossEntropyLoss as CrossEntropyLoss

    torch.manual_seed(0)
    pred = torch.randn(2, 3, 4, 5)
    label = torch.randint(0, 3, (2, 4, 5))
    label[0, :2] = 255
    w = [0.5, 2.0, 4.0]
    loss = CrossEntropyLoss(class_weight=w, avg_non_ignore=True)(pred, label, ignore_index=255)
    expected = torch.nn.functional.cross_entropy(
        pred, label, weight=torch.tensor(w), ignore_index=255
    )
    torch.testing.assert_close(loss, expected)
    plain = CrossEntropyLoss()(pred, label, ignore_index=255)  # mmseg's default: / all pixels
    raw = torch.nn.functional.cross_entropy(pred, label, ignore_index=255, reduction='sum')
    torch.testing.assert_close(plain, raw / label.numel())


@pytest.mark.parametrize('avg_non_ignore', [False, True])
@pytest.mark.parametrize('reduction', ['mean', 'sum'])
def test_weighted_cross_entropy_equals_upstream_where_upstream_works(avg_non_ignore, reduction):
    """No ignored pixel: ours gives upstream's value with class weights."""
    from mmseg.models.losses import cross_entropy_loss

    patched = upstream_compat.cross_entropy
    upstream = cross_entropy_loss.cross_entropy
    torch.manual_seed(1)
    pred, label = torch.randn(2, 4, 6, 7), torch.randint(0, 4, (2, 6, 7))
    w = torch.tensor([0.3, 1.0, 2.5, 7.0])
    kwargs = dict(class_weight=w, reduction=reduction, ignore_index=255)
    ours = patched(pred, label, avg_non_ignore=avg_non_ignore, **kwargs)
    theirs = upstream(pred, label, avg_non_ignore=avg_non_ignore, **kwargs)
    # the same terms; only the normaliser's summation order differs: n positive fp32 terms
    bound = label.numel() * torch.finfo(torch.float32).eps
    assert torch.allclose(ours, theirs, rtol=bound, atol=0), (ours, theirs)


def test_active_patches_are_listed():
    active = upstream_compat.active_patches()
    assert all(isinstance(a, str) for a in active)
    if getattr(sys.modules.get('mmcv._ext'), 'REDNET_STANDIN', False):
        assert active == ['mmcv._ext stand-in (mmcv-lite)']
    # mmseg's own loss is untouched: the 1.2.2 symptom is still there
    assert upstream_compat._weighted_cross_entropy_is_broken()
