"""tools/analysis_tools/eval_prior.py: the prior alone, scored like a network."""

import os.path as osp

CONFIG = 'configs/cpu/rednet_re5-tiny-rd5a_1xb8-prior-bayes-wce-1k_helen-128x128.py'
NO_PRIOR = 'configs/cpu/rednet_re5-tiny-rd5a_1xb8-1k_helen-128x128.py'


def _run(tool_main, config, root):
    args = [config, '--cfg-options', f'test_dataloader.dataset.data_root={root}']
    if 'prior' in osp.basename(config):  # the step by its type, not its position
        args += ['--prior-bank', f'{root}/prior_bank.npz']
    return tool_main('analysis_tools/eval_prior.py', *args)


def test_prior_alone_is_scored(helen_converted, tool_main):
    res = _run(tool_main, CONFIG, helen_converted)
    assert res.returncode == 0, res.stderr[-2000:]
    scores = dict(line.split(': ') for line in res.stdout.splitlines() if ': ' in line)
    # the synthetic faces' prior finds every part (measured 89.1; misaligned it drops far)
    assert 75 < float(scores['F1.overall']) <= 100 and 50 < float(scores['aAcc']) <= 100


def test_config_without_prior_is_a_clear_error(helen_converted, tool_main):
    res = _run(tool_main, NO_PRIOR, helen_converted)
    assert res.returncode != 0 and 'no face_prior' in res.stderr
    # a bank for a config without the prior: refused, naming the config
    res = tool_main('analysis_tools/eval_prior.py', NO_PRIOR, '--prior-bank', 'x.npz')
    assert res.returncode == 1 and 'no LoadFacePrior step' in res.stderr
