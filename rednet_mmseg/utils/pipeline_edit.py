"""Set the arguments of pipeline steps by their type, never by their position.

``--cfg-options test_dataloader.dataset.pipeline.2.bank_file=...`` breaks as soon as a config
inserts a step; the tools' ``--prior-bank`` and ``--landmarks`` use :func:`set_step_args`.
"""

from typing import Iterable, List, Sequence

#: The data loaders whose pipelines the tools edit.
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def _steps(pipeline: Iterable) -> List[dict]:
    """Every step of a pipeline, those inside ``TestTimeAug`` branches included."""
    found = []
    for step in pipeline or ():
        found.append(step)
        for branch in step.get('transforms', ()) if step.get('type') == 'TestTimeAug' else ():
            found += _steps(branch)
    return found


def set_step_args(cfg, types: Sequence[str], loaders: Sequence[str] = LOADERS, **kwargs) -> int:
    """Set ``kwargs`` on every step of ``types`` in the pipelines of ``loaders`` of ``cfg``.

    Also the top-level ``train_pipeline`` / ``test_pipeline`` / ``tta_pipeline`` lists, so that
    a config dumped afterwards agrees with itself.

    Returns:
        how many steps were set (0: the config has no such step).

    Examples:
        >>> from mmengine.config import Config
        >>> cfg = Config(dict(test_dataloader=dict(dataset=dict(pipeline=[
        ...     dict(type='LoadImageFromFile'), dict(type='LoadFacePrior', bank_file='a.npz')]))))
        >>> set_step_args(cfg, ['LoadFacePrior'], bank_file='b.npz')
        1
        >>> cfg.test_dataloader.dataset.pipeline[1].bank_file
        'b.npz'
    """
    pipelines = []
    for loader in loaders:
        dataset = (cfg.get(loader) or {}).get('dataset') or {}
        pipelines.append(dataset.get('pipeline'))
    pipelines += [cfg.get(k) for k in ('train_pipeline', 'test_pipeline', 'tta_pipeline')]
    count, seen = 0, set()
    for pipeline in pipelines:
        for step in _steps(pipeline):
            if step.get('type') in types and id(step) not in seen:
                seen.add(id(step))
                step.update(kwargs)
                count += 1
    return count
