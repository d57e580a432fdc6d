"""``FaceRunner``: mmengine's ``Runner`` with this project's checkpoint policy and CPU DDP.

The ``runner_type`` of this project's configs (``configs/_base_/default_runtime.py``);
``tools/train.py`` and ``tools/test.py`` build it from there (``RUNNERS.build``). A stock config
keeps mmengine's ``Runner`` and all of its behaviour, plugin imported or not.
"""

import torch
from mmengine.dist import is_distributed
from mmengine.runner import Runner
from mmseg.registry import RUNNERS

from ...utils.upstream_compat import checkpoint_policy, init_cpu_distributed, resume_with_policy


@RUNNERS.register_module()
class FaceRunner(Runner):
    """mmengine's ``Runner`` with the workarounds of ``rednet_mmseg/utils/upstream_compat.py``.

    - Checkpoints (torch >= 2.6, #2): everything the runner loads (``load_from``, ``resume``,
      ``init_cfg`` pretrained weights) goes through the trust policy of
      ``rednet_mmseg.utils.checkpoint``: weights from elsewhere never execute code; resuming
      unpickles fully only the run's own checkpoint (inside ``work_dir``) or a trusted one, and
      a truncated last checkpoint falls back to the previous one with a warning.
    - Distributed training without CUDA (#3): gloo without ``torch.cuda.set_device``, DDP
      with ``device_ids=None``, SyncBN converted to BN.
    """

    def setup_env(self, env_cfg: dict) -> None:
        """As mmengine's; without CUDA the process group is gloo and no device is set."""
        if self.distributed and not is_distributed() and not torch.cuda.is_available():
            backend = env_cfg.get('dist_cfg', {}).get('backend', 'gloo')
            init_cpu_distributed(backend)
        super().setup_env(env_cfg)

    def wrap_model(self, model_wrapper_cfg, model):
        """As mmengine's; without CUDA: DDP on CPU (no device ids), SyncBN -> BN."""
        if self.distributed and not torch.cuda.is_available():
            from mmengine.model import revert_sync_batchnorm

            model = revert_sync_batchnorm(model)  # SyncBN has no CPU implementation
            model_wrapper_cfg = dict(
                model_wrapper_cfg
                or dict(
                    type='MMDistributedDataParallel',
                    broadcast_buffers=False,
                    find_unused_parameters=self.cfg.get('find_unused_parameters', False),
                ),
                device_ids=None,
            )
        return super().wrap_model(model_wrapper_cfg, model)

    def load_checkpoint(self, filename: str, *args, **kwargs):
        """As mmengine's, loaded by the trust policy (weights only for files from elsewhere)."""
        with checkpoint_policy():
            return super().load_checkpoint(filename, *args, **kwargs)

    def resume(self, filename: str, *args, **kwargs) -> None:
        """As mmengine's, with the resume policy and the fallback past a truncated file."""
        return resume_with_policy(self, super().resume, filename, *args, **kwargs)

    def train(self):
        """As mmengine's; pretrained ``init_cfg`` weights load by the trust policy."""
        with checkpoint_policy():
            return super().train()

    def val(self):
        """As mmengine's, under the trust policy."""
        with checkpoint_policy():
            return super().val()

    def test(self):
        """As mmengine's, under the trust policy."""
        with checkpoint_policy():
            return super().test()
