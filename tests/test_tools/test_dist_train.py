"""tools/dist_train.sh with 2 processes on CPU (gloo): the upstream_compat patches at work."""
import os
import os.path as osp
import subprocess
import sys

CONFIG = 'configs/rednet/rednet_re5-tiny-rd5a_1xb8-1k_synthhelen-128x128.py'


def test_two_process_cpu_training(helen_converted, tmp_path, repo_root):
    env = dict(os.environ, PATH=osp.dirname(sys.executable) + os.pathsep + os.environ['PATH'],
               PORT='29517', OMP_NUM_THREADS='1')
    work = tmp_path / 'work'
    opts = [f'train_dataloader.dataset.data_root={helen_converted}',
            f'val_dataloader.dataset.data_root={helen_converted}',
            'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False', 'val_dataloader.num_workers=0',
            'val_dataloader.persistent_workers=False', 'train_cfg.max_iters=2',
            'train_cfg.val_interval=2', 'default_hooks.checkpoint.interval=2']
    res = subprocess.run(['bash', 'tools/dist_train.sh', CONFIG, '2', '--work-dir', str(work),
                          '--cfg-options', *opts], cwd=repo_root, env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert (work / 'iter_2.pth').is_file()
    log = res.stdout + res.stderr
    assert 'Distributed training: True' in log and 'GPU number: 2' in log  # 2 ranks
