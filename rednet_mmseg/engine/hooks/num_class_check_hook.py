"""Refuse to run when the model's number of classes disagrees with the data set's."""

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS
from torch import nn


@HOOKS.register_module()
class NumClassCheckHook(Hook):
    """Check ``num_classes`` of every decode / auxiliary head against the data set's classes.

    mmseg builds a head with, say, 19 classes on an 11-class data set without complaint; the
    run then trains a wrong output layer or fails deep inside the loss. This hook (the segmentation
    counterpart of mmdet's ``NumClassCheckHook``) stops before the first iteration with a message
    naming the config value and the data set. On in every config of this project.
    """

    priority = 'VERY_HIGH'

    @staticmethod
    def _check(runner, dataloader, mode: str) -> None:
        dataset = getattr(dataloader, 'dataset', None)
        classes = getattr(dataset, 'metainfo', {}).get('classes')
        if classes is None:
            return
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        for name in ('decode_head', 'auxiliary_head'):
            heads = getattr(model, name, None)
            if heads is None:
                continue
            many = isinstance(heads, nn.ModuleList)  # cascade heads
            for i, head in enumerate(heads if many else [heads]):
                n = getattr(head, 'num_classes', None)
                if n is not None and n != len(classes):
                    where = f'model.{name}' + (f'[{i}]' if many else '')
                    raise ValueError(
                        f'{where}.num_classes={n} but the {mode} data set '
                        f'{type(dataset).__name__} '
                        f'(data_root={getattr(dataset, "data_root", "")!r}) has '
                        f'{len(classes)} classes {tuple(classes)}; set '
                        f'{where}.num_classes={len(classes)} in the config'
                    )

    def before_train(self, runner) -> None:
        """Check the heads against the training data set."""
        self._check(runner, runner.train_loop.dataloader, 'training')

    def before_val(self, runner) -> None:
        """Check the heads against the validation data set."""
        self._check(runner, runner.val_loop.dataloader, 'validation')

    def before_test(self, runner) -> None:
        """Check the heads against the test data set."""
        self._check(runner, runner.test_loop.dataloader, 'test')
