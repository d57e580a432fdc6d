"""Fold BatchNorm into the convolutions before testing (``tools/test.py --fuse``)."""

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS

from ...deployment.fuse_conv_bn import fuse_conv_bn


@HOOKS.register_module()
class FuseConvBNHook(Hook):
    """Before the test loop (the checkpoint is loaded by then) fold every conv -> BN pair of
    the model, transposed convolutions included (``rednet_mmseg.deployment.fuse_conv_bn``).
    Test only: the folded model cannot be trained further."""

    priority = 'LOW'  # after ChannelsLastHook, which may rebuild the model wrapper

    def before_test(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        model.eval()
        _, count = fuse_conv_bn(model)
        print_log(f'FuseConvBNHook: folded {count} BatchNorm layers', logger='current')
