"""Keep ``gpu_check.json`` up to date while tools/gpu/gpu_check.sh runs.

Each call loads the file, adds one thing and writes it back atomically, so a check stopped
at any point leaves a valid file with everything measured until then::

    python tools/gpu/gpu_check_json.py FILE init --mode real --budget 450
    python tools/gpu/gpu_check_json.py FILE env                 # prints device, torch, CUDA
    python tools/gpu/gpu_check_json.py FILE step NAME STATUS RC SECONDS [NOTE]
    python tools/gpu/gpu_check_json.py FILE merge KEY RESULT.json
    python tools/gpu/gpu_check_json.py FILE train KEY WORK_DIR  # a tools/train.py run
"""

import argparse
import glob
import importlib.metadata
import json
import os
import os.path as osp
import platform
import re
import subprocess
import sys
import sysconfig
import time
from typing import Any, Dict

PACKAGES = [
    'torch',
    'torchvision',
    'numpy',
    'opencv-python-headless',
    'opencv-python',
    'scipy',
    'scikit-image',
    'matplotlib',
    'pillow',
    'setuptools',
    'ninja',
    'mmcv',
    'mmengine',
    'mmdet',
    'mmocr',
    'imgaug',
    'shapely',
    'pycocotools',
]


def load(path: str) -> Dict[str, Any]:
    if osp.isfile(path):
        with open(path) as f:
            return json.load(f)
    return {}


def save(path: str, data: Dict[str, Any]) -> None:
    tmp = f'{path}.tmp'
    with open(tmp, 'w') as f:
        json.dump(data, f, indent=1, sort_keys=False)
    os.replace(tmp, path)


def environment() -> Dict[str, Any]:
    """Device, torch and CUDA first; then what matters for building and running mmcv."""
    import torch

    env: Dict[str, Any] = {}
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        env['device'] = torch.cuda.get_device_name(0)
        env['device_memory_gib'] = round(props.total_memory / 2**30, 1)
        env['device_capability'] = '.'.join(map(str, torch.cuda.get_device_capability(0)))
    else:
        env['device'] = 'cpu (no GPU visible to torch)'
    env['torch'] = torch.__version__
    env['cuda'] = torch.version.cuda
    env['cudnn'] = torch.backends.cudnn.version() if torch.cuda.is_available() else None
    env['nccl'] = (
        '.'.join(map(str, torch.cuda.nccl.version())) if torch.cuda.is_available() else None
    )
    try:
        env['driver'] = (
            subprocess.run(
                ['nvidia-smi', '--query-gpu=driver_version', '--format=csv,noheader'],
                capture_output=True,
                text=True,
                timeout=20,
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.TimeoutExpired):
        env['driver'] = None
    env['python'] = sys.version.split()[0]
    env['python_executable'] = sys.executable
    env['python_h'] = osp.isfile(osp.join(sysconfig.get_paths()['include'], 'Python.h'))
    try:
        env['gxx'] = subprocess.run(
            ['g++', '--version'], capture_output=True, text=True, timeout=20
        ).stdout.splitlines()[0]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        env['gxx'] = None
    env['cpu_threads'] = os.cpu_count()
    env['machine'] = platform.machine()
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    env['packages'] = versions
    return env


def train_summary(work_dir: str) -> Dict[str, Any]:
    """Iterations, seconds per iteration, memory and backend of a tools/train.py run."""
    scalars = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.log')))
    summary: Dict[str, Any] = dict(work_dir=work_dir)
    if scalars:
        with open(scalars[-1]) as f:
            rows = [json.loads(line) for line in f if line.strip()]
        rows = [r for r in rows if 'loss' in r]
        if rows:
            summary['last_logged_iter'] = rows[-1].get('iter', rows[-1].get('step'))
            summary['first_loss'] = rows[0]['loss']
            summary['last_loss'] = rows[-1]['loss']
            # The first logged window holds the start-up iterations (cuDNN autotuning,
            # dataloader workers starting): the later ones are the steady state.
            steady = rows[1:] or rows
            summary['seconds_per_iteration'] = sum(r['time'] for r in steady) / len(steady)
            summary['data_seconds_per_iteration'] = sum(
                r.get('data_time', 0.0) for r in steady
            ) / len(steady)
            if any('memory' in r for r in rows):
                summary['max_memory_mib'] = max(r.get('memory', 0) for r in rows)
    if logs:
        with open(logs[-1], errors='replace') as f:
            text = f.read()
        backend = re.search(r"backend='(\w+)'", text)
        summary['dist_backend'] = backend.group(1) if backend else None
        summary['distributed'] = 'Distributed training: True' in text
        summary['amp'] = "type='AmpOptimWrapper'" in text
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description='Update gpu_check.json')
    parser.add_argument('file')
    sub = parser.add_subparsers(dest='command', required=True)
    init = sub.add_parser('init')
    init.add_argument('--mode', required=True)
    init.add_argument('--budget', type=int, required=True)
    sub.add_parser('env')
    step = sub.add_parser('step')
    step.add_argument('name')
    step.add_argument('status')
    step.add_argument('rc', type=int)
    step.add_argument('seconds', type=float)
    step.add_argument('note', nargs='?', default='')
    merge = sub.add_parser('merge')
    merge.add_argument('key')
    merge.add_argument('result')
    train = sub.add_parser('train')
    train.add_argument('key')
    train.add_argument('work_dir')
    args = parser.parse_args(argv)

    data = load(args.file)
    if args.command == 'init':
        data = dict(
            mode=args.mode,
            budget_s=args.budget,
            started=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
            steps={},
        )
    elif args.command == 'env':
        env = data['env'] = environment()
        print(f'device: {env["device"]}\ntorch: {env["torch"]}\nCUDA: {env["cuda"]}', flush=True)
        print(json.dumps(env, indent=1))
    elif args.command == 'step':
        data.setdefault('steps', {})[args.name] = dict(
            status=args.status,
            rc=args.rc,
            seconds=round(args.seconds, 1),
            **({'note': args.note} if args.note else {}),
        )
    elif args.command == 'merge':
        if not osp.isfile(args.result):
            print(f'[gpu_check_json] {args.result}: not written', file=sys.stderr)
            return 1
        with open(args.result) as f:
            data[args.key] = json.load(f)
    elif args.command == 'train':
        data[args.key] = train_summary(args.work_dir)
    save(args.file, data)
    return 0


if __name__ == '__main__':
    sys.exit(main())
