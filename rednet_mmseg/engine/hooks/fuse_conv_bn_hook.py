"""Fold BatchNorm into the convolutions before testing (``tools/test.py --fuse``)."""

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS

from ...deployment.fuse_conv_bn import fuse_conv_bn


@HOOKS.register_module()
class FuseConvBNHook(Hook):
    """Fold every conv -> BN pair of the model before the test loop.

    The checkpoint is loaded by then; transposed convolutions are folded too
    (``rednet_mmseg.deployment.fuse_conv_bn``). Test only: the folded model cannot be trained
    further.
    """

    priority = 'LOW'  # after ChannelsLastHook, which may rebuild the model wrapper

    def before_test(self, runner) -> None:
        """Fold BN into the convolutions of the loaded model."""
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        model.eval()
        _, count = fuse_conv_bn(model)
        print_log(f'FuseConvBNHook: folded {count} BatchNorm layers', logger='current')
