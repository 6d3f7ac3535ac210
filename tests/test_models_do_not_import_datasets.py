"""Model code never imports dataset code: every module under ``seqclr_mmocr/models/`` is
parsed, and its imports, absolute and relative, are resolved to full module names."""

import ast
from pathlib import Path
from typing import List, Tuple

PACKAGE_DIR = Path(__file__).resolve().parents[1] / 'seqclr_mmocr'
FORBIDDEN = 'seqclr_mmocr.datasets'


def package_of(path: Path) -> str:
    """The package a module file belongs to, e.g. ``seqclr_mmocr.models.decoders``."""
    return '.'.join(('seqclr_mmocr',) + path.relative_to(PACKAGE_DIR).parent.parts)


def imported_names(source: str, package: str) -> List[Tuple[int, List[str]]]:
    """(line, full module names) of every import statement in ``source``, a module of
    ``package``; ``from X import y`` names both ``X`` and ``X.y`` (``y`` may be a module)."""
    statements = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            statements.append((node.lineno, [alias.name for alias in node.names]))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split('.')
                base = parts[: len(parts) - node.level + 1]
                module = '.'.join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            names = [module] + [f'{module}.{alias.name}' for alias in node.names]
            statements.append((node.lineno, names))
    return statements


def dataset_imports(source: str, package: str) -> List[Tuple[int, str]]:
    """(line, first dataset module named) of each import statement of dataset code."""
    found = []
    for line, names in imported_names(source, package):
        hits = [name for name in names if name == FORBIDDEN or name.startswith(FORBIDDEN + '.')]
        if hits:
            found.append((line, hits[0]))
    return found


def test_the_checker_resolves_absolute_and_relative_imports():
    models = 'seqclr_mmocr.models'
    utils = 'seqclr_mmocr.models.utils.batch_augments'
    assert dataset_imports('from ..datasets import bad_inputs', models) == [
        (1, 'seqclr_mmocr.datasets')
    ]
    assert dataset_imports('import os\nfrom ....datasets.transforms import x', utils) == [
        (2, 'seqclr_mmocr.datasets.transforms')
    ]
    assert dataset_imports('from ... import datasets', 'seqclr_mmocr.models.heads') == [
        (1, 'seqclr_mmocr.datasets')
    ]
    assert dataset_imports('import seqclr_mmocr.datasets.transforms', models) == [
        (1, 'seqclr_mmocr.datasets.transforms')
    ]
    assert dataset_imports('from seqclr_mmocr import datasets', models) == [
        (1, 'seqclr_mmocr.datasets')
    ]
    # Same-named modules elsewhere are not dataset code.
    assert dataset_imports('from .datasets import x', models) == []
    assert dataset_imports('from mmocr.datasets import OCRDataset', models) == []
    assert dataset_imports('import seqclr_mmocr.datasets_extra', models) == []


def test_no_module_under_models_imports_from_datasets():
    modules = sorted((PACKAGE_DIR / 'models').rglob('*.py'))
    assert len(modules) >= 30, modules  # the walk reaches the subpackages
    offenders = [
        f'{path.relative_to(PACKAGE_DIR.parent)}:{line} imports {name}'
        for path in modules
        for line, name in dataset_imports(path.read_text(encoding='utf-8'), package_of(path))
    ]
    assert offenders == [], '\n'.join(offenders)
