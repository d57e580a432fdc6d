"""Every config in configs/ builds, loads data and runs a training and a test step.

Every config name agrees with the config's contents (STYLE.md naming).
"""

import glob
import math
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.model import revert_sync_batchnorm
from mmseg.registry import DATASETS, MODELS

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
NAMED = sorted(glob.glob(osp.join(REPO, 'configs', '*', '*.py')))
# configs/pretrain/ holds mmpretrain configs (identity pretraining): named the same way, with
# an epoch schedule; checked below, trained end to end in test_identity_pretraining.py
PRETRAIN = [c for c in NAMED if '/pretrain/' in c]
NAMED = [c for c in NAMED if '/_base_/' not in c and '/pretrain/' not in c]
ALIASES = sorted(glob.glob(osp.join(REPO, 'configs', '*.py')))
NAME_RE = re.compile(
    r'^(?P<algo>[a-z0-9-]+)_(?P<components>[a-z0-9.-]+)_(?P<gpus>\d+)xb'
    r'(?P<batch>\d+)(?P<tricks>(-[a-z0-9]+)*?)-(?P<schedule>\d+k|\d+it|\d+e)_'
    r'(?P<dataset>[a-z0-9]+)-(?P<h>\d+)x(?P<w>\d+)\.py$'
)
BACKBONES = {
    're5': ('RedNetEncoder', dict(num_units=5)),
    'r18': ('ResNetV1c', dict(depth=18)),
    'r50': ('ResNetV1c', dict(depth=50)),
    'mv2': ('MobileNetV2', {}),
    'vgg16': ('VGGEncoder', dict(depth=16)),
    's5': ('UNet', dict(num_stages=5)),
}
HEADS = dict(
    rednet='RDHead',
    deconvnet='DeconvHead',
    resdeconv='DeconvHead',
    fcn='FCNHead',
    upernet='UPerHead',
    deeplabv3plus='DepthwiseSeparableASPPHead',
    unet='FCNHead',
)
DATASET_TYPES = dict(
    helen='HelenDataset',
    synthhelen='HelenDataset',
    lfw='LFWPartLabelsDataset',
    lapa='LaPaDataset',
    celebamaskhq='CelebAMaskHQDataset',
)


def _id(path):
    return osp.relpath(path, osp.join(REPO, 'configs'))


def test_configs_exist():
    assert NAMED and ALIASES and PRETRAIN


@pytest.mark.parametrize('path', PRETRAIN, ids=_id)
def test_pretrain_name_agrees_with_contents(path):
    m = NAME_RE.match(osp.basename(path))
    assert m, f'{_id(path)} does not follow the naming convention'
    cfg = Config.fromfile(path)
    assert m['algo'] == 'rednet-identity' and cfg.model.type == 'ImageClassifier'
    assert m['components'] == f're{cfg.model.backbone.num_units}'
    assert cfg.model.backbone.type.endswith('RedNetEncoder')
    assert cfg.train_dataloader.batch_size == int(m['batch'])
    assert m['schedule'] == f'{cfg.train_cfg.max_epochs}e' and cfg.train_cfg.by_epoch
    assert m['dataset'] in cfg.train_dataloader.dataset.data_root.replace('-', '')
    crop = next(t for t in cfg.train_pipeline if t['type'] == 'RandomCrop')['crop_size']
    assert (crop, crop) == (int(m['h']), int(m['w']))


@pytest.mark.parametrize('path', NAMED, ids=_id)
def test_name_agrees_with_contents(path):
    m = NAME_RE.match(osp.basename(path))
    assert m, (
        f'{_id(path)} does not follow {{algo}}_{{components}}_{{N}}xb{{B}}-'
        '{schedule}_{dataset}-{H}x{W}.py'
    )
    cfg = Config.fromfile(path)
    assert cfg.train_dataloader.batch_size == int(m['batch'])
    sched = m['schedule']
    iters = int(sched[:-1]) * 1000 if sched.endswith('k') else int(sched[:-2])
    assert cfg.train_cfg.max_iters == iters
    assert tuple(cfg.model.data_preprocessor.size) == (int(m['h']), int(m['w']))
    crops = [t for t in cfg.train_dataloader.dataset.pipeline if t['type'] == 'RandomCrop']
    if crops:
        assert tuple(crops[0]['crop_size']) == (int(m['h']), int(m['w']))
    else:  # trained on whole images (LFW-PL): the input size is the crop
        assert m['dataset'] == 'lfw'
    assert cfg.train_dataloader.dataset.type == DATASET_TYPES[m['dataset']]
    if m['dataset'].startswith('synth'):
        assert 'synthetic' in cfg.train_dataloader.dataset.data_root
    # components name the backbone and the decoder; tricks name the extras
    tricks = [t for t in m['tricks'].split('-') if t]
    bb, head = cfg.model.backbone, cfg.model.decode_head
    adaptive = 'prior' in tricks or 'denseprior' in tricks
    assert adaptive == (cfg.model.type == 'PriorEncoderDecoder')
    assert ('implicitprior' in tricks) == (
        cfg.model.data_preprocessor.get('type') == 'PriorConcatPreProcessor'
    )
    if adaptive or 'implicitprior' in tricks:
        assert any(t['type'] == 'LoadFacePrior' for t in cfg.train_dataloader.dataset.pipeline)
    # "-denseprior": this project's 68-point prior, in training and at test
    for loader in ('train_dataloader', 'test_dataloader'):
        priors = [t for t in cfg[loader].dataset.pipeline if t['type'] == 'LoadFacePrior']
        assert all(t.get('dense', False) == ('denseprior' in tricks) for t in priors), loader
        # "-n<k>": the prior's N (Eq. 5) is k; without it the paper's N = 5
        counts = [t[1:] for t in tricks if re.fullmatch(r'n\d+', t)]
        n = int(counts[0]) if counts else 5
        assert all(t.get('num_neighbors', 5) == n for t in priors), (loader, n)
    # this project's improvements carry their own names, never a paper row's
    assert ('bayes' in tricks) == (cfg.model.get('combine', 'sum') == 'product')
    assert ('wce' in tricks) == _class_weighted(cfg)
    if cfg.model.get('logit_adjust', 0):
        assert 'wce' in tricks  # the adjustment takes back part of the class weights
    assert ('dice' in tricks) == _has_loss(cfg, 'FaceDiceLoss')  # the soft-F1 term
    hooks = [h['type'] for h in cfg.get('custom_hooks', [])]
    assert ('ema' in tricks) == ('EMAHook' in hooks)  # an average of the weights
    if 'adamw' in tricks:
        assert cfg.optim_wrapper.optimizer.type == 'AdamW'
    steps = cfg.train_dataloader.dataset.pipeline
    rolls = [t.get('max_rotate_degree', 0) for t in steps if t['type'] == 'FaceCropResize']
    assert ('roll' in tricks) == any(rolls)  # face-aware in-plane rotation
    assert ('color' in tricks) == any(t['type'] == 'PhotoMetricDistortion' for t in steps)
    assert ('softlabels' in tricks) == any(t['type'] == 'SoftFaceLabels' for t in steps)
    assert ('cutout' in tricks) == any(t['type'] == 'RandomCutOut' for t in steps)  # occluders
    if 'canvas' in tricks:  # crops anywhere in a canvas where the face is small
        face = next(
            t for t in cfg.train_dataloader.dataset.pipeline if t['type'] == 'FaceCropResize'
        )
        assert max(face['face_ratios']) <= 0.225 and crops[0]['cat_max_ratio'] < 1
    # "-ft": Table 2's; "-finetune": this project's, from a model it shipped (model zoo)
    assert ('ft' in tricks or 'finetune' in tricks) == bool(cfg.get('load_from'))
    if 'finetune' in tricks:
        assert 'realhelen' in osp.basename(cfg.load_from), cfg.load_from
    if 'sliced' in tricks:  # a shipped model cut to narrower widths (slice_channels.py)
        assert 'sliced' in osp.basename(cfg.load_from) and bb.get('base_channels'), cfg.load_from
    if 'ft' in tricks:  # Table 2 "-ft": initialised from the var-a model of the same setting
        assert (
            re.sub(r'rd5[bcd]', 'rd5a', osp.basename(path)).replace('-ft', '')[:-3] in cfg.load_from
        )
    algo = m['algo'].split('-')[0]
    assert head.type == HEADS[algo], (algo, head.type)
    tokens = m['components'].split('-') + m['algo'].split('-')[1:]
    for tok in tokens:
        if tok in BACKBONES:
            typ, attrs = BACKBONES[tok]
            assert bb.type == typ and all(bb.get(k) == v for k, v in attrs.items()), tok
        elif tok == 'tiny':
            assert bb.arch == 'tiny'
        elif tok == 'deep':  # the paper's blocks per unit (RedNetEncoder.arch_settings['paper'])
            assert tuple(bb.num_blocks) == (2, 2, 2, 2, 1)
        elif re.fullmatch(r'w\d+', tok):  # width of the first block
            assert bb.base_channels == int(tok[1:])
        elif re.fullmatch(r'rd\d[abcd]', tok):
            assert head.type == 'RDHead' and len(head.unit_channels) + 1 == int(tok[2])
            assert head.get('variant', 'a') == tok[3]
        elif re.fullmatch(r'deconv\d', tok):
            assert head.type == 'DeconvHead' and len(head.convs_per_unit) == int(tok[6])
        elif re.fullmatch(r'd\d+', tok):  # output stride
            stride = (
                4 * math.prod(bb.strides)
                if bb.type == 'ResNetV1c'
                else 2 ** sum(bool(d) for d in bb.downsamples)
            )  # UNet
            assert stride == int(tok[1:]), (tok, stride)
        elif re.fullmatch(r's\d', tok):
            assert bb.num_stages == int(tok[1])
        elif tok != 'fcn':
            raise AssertionError(f'unknown component {tok!r} in {osp.basename(path)}')


def _class_weighted(cfg):
    losses = cfg.model.decode_head.get('loss_decode', {})
    losses = losses if isinstance(losses, (list, tuple)) else [losses]
    return any(loss.get('class_weight') is not None for loss in losses)


def _has_loss(cfg, loss_type):
    losses = cfg.model.decode_head.get('loss_decode', {})
    losses = losses if isinstance(losses, (list, tuple)) else [losses]
    return any(loss.get('type') == loss_type for loss in losses)


def _paper_rows():
    """Config paths that a folder README's table maps to a row of the paper's tables."""
    rows = []
    for readme in sorted(glob.glob(osp.join(REPO, 'configs', '*', 'README.md'))):
        for line in open(readme):
            if line.startswith('|') and re.search(r'\bTable [1-3]\b', line):
                for name in re.findall(r'`([^`/]+\.py)`', line):
                    rows.append(osp.join(osp.dirname(readme), name))
    return sorted(set(rows))


PAPER_ROWS = _paper_rows()


def test_paper_rows_are_found():
    names = [osp.basename(p) for p in PAPER_ROWS]
    assert 'rednet_re5-rd5a_8xb8-prior-8k_helen-224x224.py' in names
    assert 'deconvnet_vgg16-deconv5_8xb8-prior-8k_helen-224x224.py' in names
    assert all(p in NAMED for p in PAPER_ROWS), set(PAPER_ROWS) - set(NAMED)


@pytest.mark.parametrize('path', PAPER_ROWS, ids=_id)
def test_paper_row_runs_the_paper(path):
    """A config named after a row of the paper's tables resolves to the paper's settings.

    Eq. 7-8 for the prior, plain cross-entropy, no logit adjustment, SGD (momentum 0.9, weight decay
    5e-4, lr 0.01 divided by 10 every 5000 iterations), batch 64 in total.
    """
    cfg = Config.fromfile(path)
    m = NAME_RE.match(osp.basename(path))
    if cfg.model.type == 'PriorEncoderDecoder':
        model = MODELS.build(cfg.model)  # the resolved defaults, not only the config's keys
        assert model.combine == 'sum' and model.logit_adjust == 0.0
        assert model.prior_in_train and model.prior_in_test
    assert not _class_weighted(cfg)
    losses = cfg.model.decode_head.get('loss_decode', dict(type='CrossEntropyLoss'))
    losses = losses if isinstance(losses, (list, tuple)) else [losses]
    assert [loss['type'] for loss in losses] == ['CrossEntropyLoss']
    opt = cfg.optim_wrapper.optimizer
    assert (opt.type, opt.lr, opt.momentum, opt.weight_decay) == ('SGD', 0.01, 0.9, 5e-4)
    (sched,) = cfg.param_scheduler
    assert sched.type == 'MultiStepLR' and sched.gamma == 0.1
    assert list(sched.milestones) == list(range(5000, cfg.train_cfg.max_iters, 5000))
    assert int(m['gpus']) * cfg.train_dataloader.batch_size == 64


@pytest.mark.parametrize('path', ALIASES, ids=_id)
def test_alias_points_to_one_named_config(path):
    cfg = Config.fromfile(path)
    base = cfg._cfg_dict.get('_base_', None)
    with open(path) as f:
        text = f.read()
    targets = re.findall(r"'\./([^']+\.py)'", text)
    assert len(targets) == 1 and osp.join(REPO, 'configs', targets[0]) in NAMED, base


@pytest.mark.parametrize('path', NAMED + ALIASES, ids=_id)
def test_config_builds_and_runs(path, converted_roots, request):
    cfg = Config.fromfile(path)
    root = converted_roots[cfg.train_dataloader.dataset.type]
    model = revert_sync_batchnorm(MODELS.build(cfg.model))
    model.init_weights()
    ds_cfg = cfg.train_dataloader.dataset
    bank, table = osp.join(root, 'prior_bank.npz'), None
    if any(t['type'] == 'LoadFaceLandmarks' and t.get('dense') for t in ds_cfg.pipeline):
        # the dense prior: the tree with 68 points per face and a bank that keeps them
        root, table, _ = request.getfixturevalue('helen_dense')
        bank = osp.join(root, 'prior_bank_dense.npz')
    ds_cfg.data_root = root
    for pipe in (ds_cfg.pipeline, cfg.test_dataloader.dataset.pipeline):
        for t in pipe:
            if t['type'] == 'LoadFacePrior':
                t['bank_file'] = bank
            if t['type'] == 'LoadFaceLandmarks' and t.get('dense'):
                t['dense_landmarks_file'] = table
    ds = DATASETS.build(ds_cfg)
    batch = pseudo_collate([ds[0], ds[1]])
    optim = torch.optim.SGD(model.parameters(), lr=0.01)
    model.train()
    data = model.data_preprocessor(batch, True)
    if not cfg.model.decode_head.get('center_channels'):
        data = _train_step_size(data)
    losses = model.loss(**data)
    loss = sum(v for k, v in losses.items() if 'loss' in k)
    assert torch.isfinite(loss)
    loss.backward()
    optim.step()
    test_cfg = cfg.test_dataloader.dataset
    test_cfg.data_root = root
    test_ds = DATASETS.build(test_cfg)
    model.eval()
    with torch.no_grad():
        out = model.test_step(pseudo_collate([test_ds[0]]))
    gt = out[0].gt_sem_seg.data
    assert out[0].pred_sem_seg.data.shape == gt.shape  # scored at ground-truth resolution


#: side of the train step's batch in :func:`test_config_builds_and_runs`: the pipeline runs at
#: the config's size, the network's forward and backward at this one (a multiple of the 32 of
#: five poolings), which is 12x less work than 224x224 for the paper-width models. DeconvNet's
#: centre (a 7x7 conv on the stride-32 map) keeps the config's size: on a map smaller than 7x7
#: its backward was 3-5x slower than at 224x224 (oneDNN, measured at 64-128)
TRAIN_STEP_SIDE = 64


def _train_step_size(data, side=TRAIN_STEP_SIDE):
    """The preprocessed batch resampled to ``side x side``.

    Inputs bilinearly, every pixel field of the data samples (labels, the prior) by nearest
    neighbour; the shapes in the metainfo to match.
    """
    import torch.nn.functional as F
    from mmengine.structures import PixelData

    inputs = F.interpolate(data['inputs'].float(), (side, side), mode='bilinear')
    for sample in data['data_samples']:
        for key in list(sample.keys()):
            field = sample.get(key)
            if isinstance(field, PixelData):
                values = field.data[None].float()
                resized = F.interpolate(values, (side, side), mode='nearest')[0]
                sample.set_data({key: PixelData(data=resized.to(field.data.dtype))})
        sample.set_metainfo(dict(img_shape=(side, side), pad_shape=(side, side)))
    return dict(inputs=inputs, data_samples=data['data_samples'])


FOLDERS = sorted({osp.dirname(p) for p in NAMED + PRETRAIN})


@pytest.mark.parametrize('folder', FOLDERS, ids=_id)
def test_metafile_and_readme_list_every_config(folder):
    """Each config folder's metafile.yaml and README.md cover exactly its configs.

    Both in mmseg's format, with batch sizes that match the configs, so they cannot drift.
    """
    import yaml

    meta = yaml.safe_load(open(osp.join(folder, 'metafile.yaml')))
    readme = open(osp.join(folder, 'README.md')).read()
    configs = sorted(osp.basename(p)[:-3] for p in glob.glob(osp.join(folder, '*.py')))
    models = {m['Name']: m for m in meta['Models']}
    assert sorted(models) == configs
    collections = {c['Name'] for c in meta['Collections']}
    for name, model in models.items():
        assert model['In Collection'] in collections
        assert model['Config'] == f'configs/{_id(folder)}/{name}.py'
        cfg = Config.fromfile(osp.join(REPO, model['Config']))
        gpus = int(NAME_RE.match(name + '.py')['gpus'])
        assert model['Metadata']['Batch Size'] == gpus * cfg.train_dataloader.batch_size
        assert f'`{name}.py`' in readme or f'{name}.py' in readme, name
    for c in meta['Collections']:
        assert c['README'] == f'configs/{_id(folder)}/README.md' and c['Paper']['URL']


@pytest.mark.parametrize('scale', ['helen', 'helen_cpu', 'helen_canvas'])
def test_prior_dataset_bases_add_only_the_prior(scale):
    """Each ``<scale>_prior.py`` is its ``<scale>.py`` with the prior's two steps, nothing else.

    mmengine resolves ``{{_base_.x}}`` in the file that states it, so a pipeline is stated
    once per scale; this keeps the prior variant of each from drifting from its base.
    """
    base = Config.fromfile(osp.join(REPO, f'configs/_base_/datasets/{scale}.py'))
    prior = Config.fromfile(osp.join(REPO, f'configs/_base_/datasets/{scale}_prior.py'))
    for split in ('train', 'val', 'test'):
        steps = list(base[f'{split}_dataloader'].dataset.pipeline)
        at = [s['type'] for s in steps].index('LoadFaceLandmarks') + 1
        load_prior = dict(type='LoadFacePrior', bank_file=prior.prior_bank, num_neighbors=5)
        expected = steps[:at] + [load_prior] + steps[at:]
        assert expected[-1] == dict(type='PackSegInputs')
        expected[-1] = dict(type='PackFaceInputs')
        assert prior[f'{split}_dataloader'].dataset.pipeline == expected, split
        rest = {k: v for k, v in prior[f'{split}_dataloader'].dataset.items() if k != 'pipeline'}
        assert rest == {
            k: v for k, v in base[f'{split}_dataloader'].dataset.items() if k != 'pipeline'
        }
