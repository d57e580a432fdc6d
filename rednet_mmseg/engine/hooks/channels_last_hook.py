"""Channels-last memory format for the model."""

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Put the model's 4-D weights in channels-last (NHWC) memory format.

    Done before training or testing; convolutions then take the oneDNN / cuDNN NHWC paths and their
    outputs stay NHWC (on in every config of this project; measured speed-up in
    docs/en/benchmarks.md).

    Distributed runs: hooks run after the Runner has wrapped the model in
    DistributedDataParallel, and DDP (torch 2.14) reduces gradients wrongly when its parameters
    change memory layout after it was built. The hook therefore converts the wrapped module and
    wraps it again with ``Runner.wrap_model`` (the same ``model_wrapper_cfg``), so DDP is
    rebuilt on the channels-last parameters.
    """

    priority = 'VERY_HIGH'

    def _convert(self, runner) -> None:
        wrapped = is_model_wrapper(runner.model)
        model = runner.model.module if wrapped else runner.model
        if getattr(model, '_rednet_channels_last', False):
            return
        model.to(memory_format=torch.channels_last)
        model._rednet_channels_last = True
        if wrapped:
            runner.model = runner.wrap_model(runner.cfg.get('model_wrapper_cfg'), model)

    def before_train(self, runner) -> None:
        """Convert the model before training."""
        self._convert(runner)

    def before_test(self, runner) -> None:
        """Convert the model before testing."""
        self._convert(runner)

    def before_val(self, runner) -> None:
        """Convert the model before validation."""
        self._convert(runner)
