"""Make an installed imgaug 0.4.0 import and run on numpy 2, by editing two of its files.

Usage::

    python tools/gpu/patch_imgaug.py SITE_DIR/imgaug

imgaug 0.4.0, the last release, reads ``np.sctypes`` at import (removed in numpy 2.0) and
``np.complex`` in two stochastic parameters (removed in numpy 1.24). ``np.bool``, which
``SomeOf`` uses and numpy 1.24 to 1.26 lack, is back in numpy 2 as the name of ``np.bool_``.
The forks on PyPI (imgaug-denk 0.4.6, imgaug3 0.4.1) still read ``np.sctypes``, and a
carried numpy 1.26 would replace the numpy that the lent machine's torch, OpenCV, SciPy and
scikit-image were built against, and still lack ``np.bool``. So the lent machine keeps its
numpy and imgaug 0.4.0, edited here: each ``np.sctypes[kind]`` becomes the list numpy 1.x
gave on Linux x86-64, and ``np.complex`` becomes ``np.complex128``, which it aliased.
Idempotent; exits 1, naming the file, when an expected line is not found.
"""

import os.path as osp
import sys

EDITS = {
    'imgaug.py': [
        ('set(np.sctypes["float"])', '{np.float16, np.float32, np.float64, np.longdouble}'),
        ('set(np.sctypes["int"])', '{np.int8, np.int16, np.int32, np.int64}'),
        ('set(np.sctypes["uint"])', '{np.uint8, np.uint16, np.uint32, np.uint64}'),
    ],
    'parameters.py': [
        ('samples.astype(np.complex)', 'samples.astype(np.complex128)'),
        ('dtype=np.complex)', 'dtype=np.complex128)'),
    ],
}


def patch(package_dir: str) -> int:
    """Apply the edits; return how many were made (0 when already patched)."""
    made = 0
    for file_name, edits in EDITS.items():
        path = osp.join(package_dir, file_name)
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path}: not found; is {package_dir} imgaug 0.4.0?')
        with open(path) as f:
            text = f.read()
        for old, new in edits:
            if old in text:
                text = text.replace(old, new)
                made += 1
            elif new not in text:
                raise ValueError(
                    f'{path}: neither {old!r} nor {new!r} found; is this imgaug 0.4.0?'
                )
        with open(path, 'w') as f:
            f.write(text)
    return made


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        made = patch(argv[0])
    except (OSError, ValueError) as error:
        print(f'[patch_imgaug] {error}', file=sys.stderr)
        return 1
    print(f'[patch_imgaug] {argv[0]}: {made} edits made')
    return 0


if __name__ == '__main__':
    sys.exit(main())
