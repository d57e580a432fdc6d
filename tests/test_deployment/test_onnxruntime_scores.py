"""The onnxruntime backend of the parsing hot path: its export cache and its scores."""

import os

import pytest
import torch

from rednet_mmseg.deployment import FaceParsingExportModel
from rednet_mmseg.deployment import onnxruntime_scores as ors

pytest.importorskip('onnxruntime')


class _Tiny(torch.nn.Module):
    """A segmentor's inference surface at its smallest: 3 -> K channels, same size."""

    def __init__(self, num_classes=3):
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(3, num_classes, 3, padding=1)
        self.data_preprocessor = None

    def encode_decode(self, x, metas):
        return self.conv(x / 255)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv('REDNET_MMSEG_CACHE', str(tmp_path / 'cache'))
    return tmp_path / 'cache' / 'onnx'


def test_export_once_then_reuse(cache, monkeypatch):
    model = FaceParsingExportModel(_Tiny())
    path = ors.cached_onnx(model, 3)
    assert os.path.dirname(path) == str(cache) and os.listdir(cache) == [os.path.basename(path)]
    stamp = os.stat(path).st_mtime_ns

    def refuse(*args, **kwargs):
        raise AssertionError('exported again')

    monkeypatch.setattr(ors, 'export_onnx', refuse)
    assert ors.cached_onnx(model, 3) == path and os.stat(path).st_mtime_ns == stamp
    # other weights: another file
    other = FaceParsingExportModel(_Tiny())
    with torch.no_grad():
        other.segmentor.conv.bias.add_(1)
    assert ors.model_digest(other) != ors.model_digest(model)


def test_unreadable_cache_file_is_exported_again(cache):
    model = FaceParsingExportModel(_Tiny())
    path = ors.cached_onnx(model, 3)
    with open(path, 'wb') as f:
        f.write(b'not a graph')  # a cut write, a full disk
    assert ors.cached_onnx(model, 3) == path
    net = ors.OnnxRuntimeScores(path)
    image = torch.rand(2, 3, 37, 53) * 255  # another size than the export's example
    with torch.no_grad():
        want = model.scores(image)
    got = net.scores(image)
    assert got.shape == (2, 3, 37, 53)
    assert torch.allclose(got, want, atol=1e-4 * float(want.abs().max()))
    assert sorted(os.listdir(cache)) == [os.path.basename(path)]  # no partial file left


def test_failed_export_leaves_nothing(cache, monkeypatch):
    def fail(model, path, *args, **kwargs):
        with open(path, 'wb') as f:
            f.write(b'half')
        raise RuntimeError('export failed')

    monkeypatch.setattr(ors, 'export_onnx', fail)
    with pytest.raises(RuntimeError, match='export failed'):
        ors.cached_onnx(FaceParsingExportModel(_Tiny()), 3)
    assert os.listdir(cache) == []


def test_prior_input_is_required(cache):
    class _WithPrior(_Tiny):
        def refine_scores(self, logits, prior):
            return logits.log_softmax(1) + prior

    model = FaceParsingExportModel(_WithPrior(), with_prior=True)
    net = ors.OnnxRuntimeScores.from_model(model, 3)
    assert net.with_prior
    with pytest.raises(ValueError, match='takes a prior'):
        net.scores(torch.rand(1, 3, 40, 40))
