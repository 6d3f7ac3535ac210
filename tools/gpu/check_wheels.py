"""Check that a folder of carried packages is complete and consistent for the lent GPU machine.

Usage::

    python tools/gpu/check_wheels.py .whl [--limit-mib 60] [--python-version 3.12]

The lent machine (Python 3.12, x86-64, no package registry) already holds PyTorch, numpy 2
and the scientific stack; ``.whl/`` carries the rest: wheels installed there with
``pip install --no-index --no-deps --target``, and the mmcv sdist built there. Checks:

1. every file is a wheel or the mmcv sdist, one version per project, nothing that the
   image already provides except the packages carried on purpose (``CARRIED_OVER_IMAGE``);
2. the files add up to at most ``--limit-mib``;
3. pip's resolver, with ``--dry-run --no-index --only-binary=:all:`` for CPython 3.12 on
   manylinux x86-64, resolves every carried project from the carried wheels plus stand-in
   wheels of the image's packages (``IMAGE_PACKAGES``) and of mmcv (with the requirements
   read from its sdist), and the resolution uses every carried wheel.

Exits 1 naming each problem.
"""

import argparse
import base64
import hashlib
import json
import os
import os.path as osp
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from typing import Dict, List, Optional, Sequence, Tuple

# What the lent machine's image holds, as the device tool's notes list it: the
# versions of torch, torchvision and numpy are those read there; the others stand for "a
# current release" (the resolver only checks that one is present and recent enough).
# gpu_check.sh prints the real versions there first.
IMAGE_PACKAGES = {
    'torch': '2.11.0',
    'torchvision': '0.26.0',
    'numpy': '2.5.2',
    'opencv-python-headless': '4.12.0.88',
    # mmengine, mmcv, mmocr and imgaug ask for opencv-python; the image's headless build
    # provides the same cv2 module (installs are --no-deps, so pip never sees the name).
    'opencv-python': '4.12.0.88',
    'scipy': '1.16.0',
    'scikit-image': '0.25.0',
    'matplotlib': '3.10.0',
    'pillow': '11.0.0',
    'pyyaml': '6.0.2',
    'rich': '14.0.0',
    'six': '1.17.0',
    'packaging': '25.0',
    'imageio': '2.37.0',
}
# Carried although the image has one: setuptools 81 removed pkg_resources, which mmcv's
# setup.py and mmengine (to resolve ``mmocr::`` configs) import.
CARRIED_OVER_IMAGE = {'setuptools'}
SDISTS = {'mmcv'}
PLATFORMS = [
    'manylinux_2_28_x86_64',
    'manylinux_2_27_x86_64',
    'manylinux_2_26_x86_64',
    'manylinux_2_24_x86_64',
    'manylinux_2_17_x86_64',
    'manylinux2014_x86_64',
    'manylinux1_x86_64',
]


def normalize(name: str) -> str:
    return re.sub(r'[-_.]+', '-', name).lower()


def parse_file_name(file_name: str) -> Optional[Tuple[str, str, str]]:
    """(normalized project name, version, 'wheel' or 'sdist'), or None if neither."""
    if file_name.endswith('.whl'):
        parts = file_name[:-4].split('-')
        if len(parts) in (5, 6):
            return normalize(parts[0]), parts[1], 'wheel'
        return None
    match = re.match(r'^(.+)-([0-9][^-]*)\.tar\.gz$', file_name)
    if match:
        return normalize(match.group(1)), match.group(2), 'sdist'
    return None


def make_stub_wheel(dest: str, name: str, version: str, requires: Sequence[str] = ()) -> str:
    """Write an empty py3-none-any wheel NAME==VERSION with these Requires-Dist lines."""
    dist = re.sub(r'[-.]+', '_', name)
    info = f'{dist}-{version}.dist-info'
    files = {
        f'{info}/METADATA': ''.join(
            ['Metadata-Version: 2.1\n', f'Name: {name}\n', f'Version: {version}\n']
            + [f'Requires-Dist: {r}\n' for r in requires]
        ),
        f'{info}/WHEEL': (
            'Wheel-Version: 1.0\nGenerator: check_wheels\n'
            'Root-Is-Purelib: true\nTag: py3-none-any\n'
        ),
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest())
        record.append(f'{path},sha256={digest.decode().rstrip("=")},{len(text.encode())}')
    files[f'{info}/RECORD'] = '\n'.join(record + [f'{info}/RECORD,,']) + '\n'
    path = osp.join(dest, f'{dist}-{version}-py3-none-any.whl')
    with zipfile.ZipFile(path, 'w') as zf:
        for member, text in files.items():
            zf.writestr(member, text)
    return path


def sdist_requirements(path: str) -> List[str]:
    """Base (unconditional and marker-only) requirements of an sdist's egg-info."""
    with tarfile.open(path) as tar:
        member = next(
            (m for m in tar.getmembers() if m.name.endswith('.egg-info/requires.txt')), None
        )
        if member is None:
            return []
        text = tar.extractfile(member).read().decode()
    requires, marker = [], ''
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith('['):
            section = line[1:-1]
            marker = section[1:] if section.startswith(':') else None
            continue
        if marker is None:  # an extra
            continue
        requires.append(f'{line}; {marker}' if marker else line)
    return requires


def check(wheel_dir: str, limit_mib: float, python_version: str) -> List[str]:
    problems = []
    if not osp.isdir(wheel_dir):
        return [f'{wheel_dir}: no such folder (run tools/gpu/fetch_wheels.sh first)']
    carried: Dict[str, Tuple[str, str]] = {}
    total = 0
    for file_name in sorted(os.listdir(wheel_dir)):
        path = osp.join(wheel_dir, file_name)
        total += osp.getsize(path)
        parsed = parse_file_name(file_name)
        if parsed is None:
            problems.append(f'{path}: neither a wheel nor an sdist')
            continue
        name, version, kind = parsed
        if kind == 'sdist' and name not in SDISTS:
            problems.append(f'{path}: only {sorted(SDISTS)} travel as sdists')
        if name in carried:
            problems.append(f'{path}: a second version of {name} (also {carried[name][1]})')
            continue
        if name in IMAGE_PACKAGES and name not in CARRIED_OVER_IMAGE:
            problems.append(
                f'{path}: the image already provides {name}; carrying it would '
                'shadow the build the image was tested with'
            )
        carried[name] = (version, file_name)
    if total > limit_mib * 2**20:
        problems.append(f'{wheel_dir}: {total / 2**20:.1f} MiB, over the {limit_mib} MiB limit')
    if not carried:
        return problems + [f'{wheel_dir}: empty']

    with tempfile.TemporaryDirectory() as tmp:
        stubs = osp.join(tmp, 'stubs')
        os.makedirs(stubs)
        for name, version in IMAGE_PACKAGES.items():
            if name not in carried:
                make_stub_wheel(stubs, name, version)
        for name in SDISTS & set(carried):
            version, file_name = carried[name]
            make_stub_wheel(
                stubs, name, version, sdist_requirements(osp.join(wheel_dir, file_name))
            )
        wheels_only = osp.join(tmp, 'wheels')
        os.makedirs(wheels_only)
        for name, (version, file_name) in carried.items():
            if name not in SDISTS:
                os.symlink(
                    osp.abspath(osp.join(wheel_dir, file_name)), osp.join(wheels_only, file_name)
                )
        report = osp.join(tmp, 'report.json')
        cmd = [
            sys.executable,
            '-m',
            'pip',
            'install',
            '--dry-run',
            '--ignore-installed',
            '--no-index',
            '--find-links',
            wheels_only,
            '--find-links',
            stubs,
            '--only-binary=:all:',
            '--python-version',
            python_version,
            '--implementation',
            'cp',
            '--abi',
            'cp' + python_version.replace('.', ''),
            '--target',
            osp.join(tmp, 'target'),
            '--report',
            report,
            '--quiet',
        ]
        for platform in PLATFORMS:
            cmd += ['--platform', platform]
        cmd += [f'{name}=={version}' for name, (version, _) in sorted(carried.items())]
        env = dict(
            os.environ,
            PIP_CONFIG_FILE=os.devnull,
            PIP_CONSTRAINT='',
            PIP_DISABLE_PIP_VERSION_CHECK='1',
        )
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            return problems + [
                'pip could not resolve the set for CPython '
                f'{python_version} manylinux x86-64:\n' + proc.stderr.strip()
            ]
        with open(report) as f:
            installed = json.load(f)['install']
    resolved = {
        normalize(item['metadata']['name']): item['metadata']['version'] for item in installed
    }
    for name, (version, file_name) in carried.items():
        if resolved.get(name) != version:
            problems.append(
                f'{file_name}: not part of the resolution (resolved '
                f'{resolved.get(name)}): incompatible with CPython '
                f'{python_version} manylinux x86-64, or not needed'
            )
    for name in resolved:
        if name not in carried and name not in IMAGE_PACKAGES:
            problems.append(f'{name}: resolved from nowhere known')  # cannot happen offline
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('wheel_dir')
    parser.add_argument('--limit-mib', type=float, default=60.0)
    parser.add_argument('--python-version', default='3.12')
    args = parser.parse_args(argv)
    problems = check(args.wheel_dir, args.limit_mib, args.python_version)
    for problem in problems:
        print(f'[check_wheels] {problem}', file=sys.stderr)
    if not problems:
        files = sorted(os.listdir(args.wheel_dir))
        size = sum(osp.getsize(osp.join(args.wheel_dir, f)) for f in files)
        print(
            f'[check_wheels] {len(files)} files, {size / 2**20:.1f} MiB: complete and '
            f'consistent for CPython {args.python_version} manylinux x86-64'
        )
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
