"""A progress bar over the training iterations (mmengine logs lines, not a bar)."""

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmseg.registry import HOOKS


@HOOKS.register_module()
class ProgressBarHook(Hook):
    """Show training as one ``tqdm`` bar on stderr: iterations done, rate, time left, loss.

    Only the main process draws it; with ``disable=True`` (or no terminal output wanted) it
    does nothing. Validation and the logger's lines keep their own output.

    Args:
        disable (bool): draw nothing. Default: False.
    """

    priority = 'VERY_LOW'

    def __init__(self, disable: bool = False):
        self.disable = disable
        self._bar = None

    def before_train(self, runner) -> None:
        """Open the bar at the iteration training starts from (a resumed run too)."""
        from tqdm import tqdm

        if self.disable or not is_main_process():
            return
        self._bar = tqdm(
            total=runner.max_iters, initial=runner.iter, desc='train', unit='it', leave=True
        )

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        """One step, with the iteration's loss."""
        if self._bar is None:
            return
        self._bar.update(1)
        if outputs and 'loss' in outputs:
            self._bar.set_postfix(loss=f'{float(outputs["loss"].detach()):.3f}', refresh=False)

    def after_train(self, runner) -> None:
        """Close the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
