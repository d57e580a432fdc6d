"""ONNX export of RED-Net (index-based max-unpooling included), checked with onnxruntime."""

import os
import re

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from rednet_mmseg.deployment import FaceParsingExportModel, compare_with_onnxruntime, export_onnx

pytest.importorskip('onnxruntime')
PRIOR = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-prior-1k_synthhelen-128x128.py'
SHAPE = ('--shape', '64', '64')  # the CLI tests' export size


def _randomised_model(repo_root, seed=0, logit_adjust=0.0):
    """Tiny RED-Net whose scores are O(1) and whose BN statistics are not the identity.

    The N(0, 0.01) init gives ~1e-30 logits, which would make any comparison pass.
    """
    torch.manual_seed(seed)
    cfg = Config.fromfile(os.path.join(repo_root, PRIOR)).model
    if logit_adjust:
        cfg.logit_adjust = logit_adjust
        cfg.decode_head.loss_decode.class_weight = [float(i + 1) for i in range(11)]
    model = MODELS.build(cfg)
    for m in model.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
            torch.nn.init.kaiming_normal_(m.weight, nonlinearity='relu')
        elif isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
    model.eval()
    with torch.no_grad():  # logits of a trained model's size (|logit| <= 10)
        x = torch.rand(1, 3, 96, 112) * 2 - 1
        scale = 10 / model.decode_head(model.extract_feat(x)).abs().max()
        model.decode_head.conv_seg.weight.mul_(scale)
        model.decode_head.conv_seg.bias.mul_(scale)
    return model


def _errors_against_fp64(wrapper, path, inputs):
    """Max |scores - exact scores| of PyTorch fp32 and of onnxruntime (exact: fp64)."""
    import copy

    import onnxruntime as ort

    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    ort_scores = sess.run(None, {k: v.numpy() for k, v in inputs.items()})[0]
    with torch.no_grad():
        scores = wrapper(*inputs.values())[0].double()
        exact = copy.deepcopy(wrapper).double()(*(v.double() for v in inputs.values()))[0]
    return (
        float((scores - exact).abs().max()),
        float((torch.from_numpy(ort_scores).double() - exact).abs().max()),
    )


@pytest.mark.parametrize('exporter', ['dynamo', 'torchscript'])
@pytest.mark.parametrize('with_prior', [False, True])
def test_onnxruntime_matches_pytorch(repo_root, tmp_path, exporter, with_prior):
    wrapper = FaceParsingExportModel(_randomised_model(repo_root), with_prior=with_prior)
    path = str(tmp_path / 'rednet.onnx')
    inputs = export_onnx(wrapper, path, (2, 3, 96, 112), 11, exporter=exporter)
    assert list(inputs) == (['image', 'prior'] if with_prior else ['image'])
    res = compare_with_onnxruntime(wrapper, path, inputs)
    assert 1.0 < res['max_abs_score']  # a meaningful comparison
    assert res['max_prob_diff'] < 1e-4, res  # the tool's default --prob-tol
    # both are fp32 evaluations of one graph: onnxruntime may be no further from the exact
    # (fp64) result than PyTorch's own fp32 rounding makes it, within a small factor
    torch_err, ort_err = _errors_against_fp64(wrapper, path, inputs)
    assert ort_err <= 8 * torch_err, (ort_err, torch_err, res)
    assert res['label_agreement'] > 0.999, res
    import onnx

    ops = {n.op_type for n in onnx.load(path).graph.node}
    assert 'MaxPool' in ops and ops & {'ScatterElements', 'ScatterND'}  # unpooling by index


@pytest.mark.parametrize('logit_adjust', [0.0, 0.5])
def test_export_graph_equals_the_segmentor(repo_root, logit_adjust):
    """The exported module predicts what mmseg predicts.

    Normalisation, prior and logit adjustment are inside it.
    """
    model = _randomised_model(repo_root, logit_adjust=logit_adjust)
    img = torch.randint(0, 256, (3, 128, 128), dtype=torch.uint8)
    prior = torch.rand(11, 128, 128)
    prior /= prior.sum(0, keepdim=True)
    sample = SegDataSample(metainfo=dict(img_shape=(128, 128), ori_shape=(128, 128)))
    sample.face_prior = PixelData(data=prior)
    with torch.no_grad():
        pred = model.test_step(dict(inputs=[img], data_samples=[sample]))[0]
        scores, labels = FaceParsingExportModel(model, with_prior=True)(
            img[None].float(), prior[None]
        )
    assert torch.allclose(scores[0], pred.seg_logits.data, atol=1e-4)
    assert torch.equal(labels[0], pred.pred_sem_seg.data[0])


def test_cli_writes_verified_model(repo_root, tmp_path, tool_main):
    ckpt = tmp_path / 'tiny.pth'
    torch.save(dict(state_dict=_randomised_model(repo_root).state_dict(), meta={}), ckpt)
    out = tmp_path / 'export' / 'rednet_prior.onnx'
    res = tool_main(
        'deployment/pytorch2onnx.py', PRIOR, ckpt, '--out', out, *SHAPE, '--prior', '--dynamic'
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'max abs difference of the scores' in res.stdout and out.is_file()
    assert os.listdir(out.parent) == ['rednet_prior.onnx']
    import onnxruntime as ort

    sess = ort.InferenceSession(str(out), providers=['CPUExecutionProvider'])
    assert [i.name for i in sess.get_inputs()] == ['image', 'prior']
    scores, labels = sess.run(
        None,
        dict(
            image=np.zeros((1, 3, 64, 64), np.float32),
            prior=np.full((1, 11, 64, 64), 1 / 11, np.float32),
        ),
    )
    assert scores.shape == (1, 11, 64, 64) and labels.shape == (1, 64, 64)
    # --dynamic: another batch and size through the same file
    feeds = dict(
        image=np.zeros((2, 3, 96, 80), np.float32),
        prior=np.full((2, 11, 96, 80), 1 / 11, np.float32),
    )
    assert sess.run(None, feeds)[0].shape == (2, 11, 96, 80)


def test_cli_fuse_exports_no_batchnorm_and_the_same_scores(repo_root, tmp_path, tool_main):
    model = _randomised_model(repo_root)
    ckpt = tmp_path / 'tiny.pth'
    torch.save(dict(state_dict=model.state_dict(), meta={}), ckpt)
    out = tmp_path / 'fused.onnx'
    opts = ['--fuse', '--exporter', 'torchscript', '--time', '2']
    res = tool_main('deployment/pytorch2onnx.py', PRIOR, ckpt, '--out', out, *SHAPE, *opts)
    assert res.returncode == 0, res.stderr[-3000:]
    assert re.search(r'median of 2 runs.*PyTorch \d+ ms, onnxruntime \d+ ms', res.stdout)
    import onnx
    import onnxruntime as ort

    assert 'BatchNormalization' not in {n.op_type for n in onnx.load(str(out)).graph.node}
    image = torch.rand(1, 3, 64, 64) * 255
    with torch.no_grad():
        expected = FaceParsingExportModel(model)(image)[0].softmax(1)  # the unfused model
    sess = ort.InferenceSession(str(out), providers=['CPUExecutionProvider'])
    got = torch.from_numpy(sess.run(None, dict(image=image.numpy()))[0]).softmax(1)
    assert float((got - expected).abs().max()) < 1e-4  # the tool's default --prob-tol


def test_dynamic_export_runs_other_sizes(repo_root, tmp_path):
    """One dynamic-size file computes what a file exported at each size and batch computes.

    The fixed-size file's parity with PyTorch is the test above. Compared run against run in
    onnxruntime, not against PyTorch: with random inputs a max-pool window now and then holds
    two values within float rounding, which two runtimes may order differently, moving a value
    in the unpooled map (an O(1) local change in the scores).
    """
    import onnxruntime as ort

    wrapper = FaceParsingExportModel(_randomised_model(repo_root), with_prior=True)
    path = str(tmp_path / 'dynamic.onnx')
    export_onnx(wrapper, path, (2, 3, 96, 112), 11, dynamic=True)
    dynamic = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    for shape in [(1, 3, 64, 80), (3, 3, 131, 97)]:  # odd sizes too
        fixed = str(tmp_path / 'fixed.onnx')
        # the fixed-size references by the TorchScript exporter (seconds, not the dynamo
        # exporter's tens of seconds); their parity with PyTorch is the test above
        inputs = export_onnx(wrapper, fixed, shape, 11, exporter='torchscript')
        feeds = {k: v.numpy() for k, v in inputs.items()}
        want = ort.InferenceSession(fixed, providers=['CPUExecutionProvider']).run(None, feeds)
        got = dynamic.run(None, feeds)
        assert got[0].shape == want[0].shape == (shape[0], 11, *shape[2:])
        torch_err, _ = _errors_against_fp64(wrapper, fixed, inputs)
        # each run may be up to 8x PyTorch's fp32 error from the exact scores (the parity test
        # above), so the two at most twice that apart: both graphs' fp32 rounding, nothing more
        # (one run of this test measured 1.9x torch_err between them)
        assert np.abs(got[0] - want[0]).max() <= 2 * 8 * torch_err, shape
    with pytest.raises(ValueError, match='dynamo'):
        export_onnx(wrapper, path, (2, 3, 96, 112), 11, exporter='torchscript', dynamic=True)
