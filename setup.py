"""Packaging for seqclr-mmocr, an MMOCR 1.x plug-in for SeqCLR (arXiv 2012.10873)."""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def read_requirements() -> list:
    lines = (HERE / 'requirements.txt').read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith('#')]


def read_version() -> str:
    scope: dict = {}
    exec((HERE / 'seqclr_mmocr' / 'version.py').read_text(), scope)
    return scope['__version__']


setup(
    name='seqclr-mmocr',
    version=read_version(),
    description='Sequence-to-Sequence Contrastive Learning (SeqCLR) for text '
    'recognition, as an MMOCR 1.x plug-in',
    long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    python_requires='>=3.8',
    packages=find_packages(include=['seqclr_mmocr', 'seqclr_mmocr.*']),
    package_data={'seqclr_mmocr': ['dicts/*.txt']},
    install_requires=read_requirements(),
    extras_require={'tests': ['pytest', 'pytest-timeout', 'pytest-xdist']},
    license='Apache-2.0',
    zip_safe=False,
)
