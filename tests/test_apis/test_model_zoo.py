"""The models that ship with the package: present, checksummed, chosen by name, fit."""

import os.path as osp

import numpy as np
import pytest
import yaml

from rednet_mmseg.apis import DEFAULT_MODEL, SHIPPED_MODELS, FaceParsingInferencer, shipped_model
from rednet_mmseg.apis.model_zoo import MODEL_ZOO_DIR, sha256


@pytest.mark.parametrize('key', sorted(SHIPPED_MODELS))
def test_files_and_metafile_agree(key):
    files = shipped_model(key)
    meta = yaml.safe_load(open(osp.join(MODEL_ZOO_DIR, 'metafile.yaml')))
    (model,) = [m for m in meta['Models'] if m['Name'] == SHIPPED_MODELS[key]]
    assert sha256(files['weights']) == model['Weights sha256']
    assert sha256(files['prior_bank']) == model['Prior bank sha256']
    assert model['Weights'].endswith(osp.basename(files['weights']))
    assert osp.getsize(files['weights']) + osp.getsize(files['prior_bank']) < 10e6
    assert 'not Helen accuracy' in model['Provenance']
    # both metrics beside each other wherever a score is given
    for result in model['Results']:
        assert {'F1 overall', 'mF1'} <= set(result['Metrics']), result['Dataset']


def test_unknown_names_are_refused_with_the_choices():
    with pytest.raises(
        ValueError, match=r"'nope' is not a shipped model; choose one of \['accurate', 'fast'\]"
    ):
        shipped_model('nope')
    assert shipped_model(DEFAULT_MODEL) == shipped_model(SHIPPED_MODELS[DEFAULT_MODEL])


@pytest.mark.parametrize('key', sorted(SHIPPED_MODELS))
def test_the_bank_holds_no_data_set_names(key):
    from rednet_mmseg.datasets import PriorBank

    bank = PriorBank.load(shipped_model(key)['prior_bank'])
    assert all(n.startswith('bank_') for n in bank.names) and not bank.neighbours
    # the dense prior's bank keeps its 68-point shapes, and the model's pipeline uses them
    from mmengine.config import Config

    from rednet_mmseg.apis import config_needs_dense_points

    assert bank.has_dense == config_needs_dense_points(
        Config.fromfile(shipped_model(key)['config'])
    )


def test_default_inferencer_is_the_shipped_model_and_it_fits():
    """No arguments: the shipped config, weights (loaded strictly) and bank."""
    inferencer = FaceParsingInferencer(device='cpu')
    assert inferencer.uses_prior and inferencer.prior_bank == shipped_model()['prior_bank']
    assert inferencer.model.dataset_meta['classes'][10] == 'hair'
    # a face at the aligned template, no detector: a label map of the image's size
    from rednet_mmseg.apis.multi_face import aligned_face

    img = np.full((120, 100, 3), 128, np.uint8)
    labels, instances, faces = inferencer.parse_faces('grey.png', [aligned_face(img.shape)], img)
    assert labels.shape == instances.shape == (120, 100) and len(faces) == 1


def test_context_sets_the_crop():
    """``context``: the crop's half-size in units of the key points' extent."""
    from rednet_mmseg.apis.multi_face import CONTEXT, Face, face_geometry

    inferencer = FaceParsingInferencer(device='cpu')
    img = np.full((400, 400, 3), 128, np.uint8)
    points = np.array([[180, 180], [220, 180], [200, 205], [185, 225], [215, 225]], np.float32)
    _, size = face_geometry(points)
    for context in (CONTEXT, 2.0):
        labels, _, (face,) = inferencer.parse_faces('grey.png', [Face(points)], img, context)
        x0, y0, x1, y1 = face.crop
        assert abs((x1 - x0) - 2 * context * size) <= 2 and abs((y1 - y0) - 2 * context * size) <= 2
        assert labels.shape == (400, 400) and not labels[:y0].any() and not labels[:, x1:].any()


def test_tools_pick_a_shipped_model_by_name():
    """``--model``: a shipped model; with a config too, or an unknown name: refused."""
    import argparse

    from rednet_mmseg.apis.tool_args import add_model_argument, model_from_args

    parser = argparse.ArgumentParser()
    for opt in ('--config', '--checkpoint', '--prior-bank'):
        parser.add_argument(opt)
    add_model_argument(parser)
    files = shipped_model('fast')
    args = parser.parse_args(['--model', 'fast', '--prior-bank', 'mine.npz'])
    assert model_from_args(parser, args) == (files['config'], files['weights'], 'mine.npz')
    args = parser.parse_args([])  # neither: the default model
    assert model_from_args(parser, args) == tuple(files.values())
    for argv in (
        ['--model', 'fast', '--config', 'c.py', '--checkpoint', 'w.pth'],
        ['--model', 'x'],
    ):
        with pytest.raises(SystemExit):
            model_from_args(parser, parser.parse_args(argv))
