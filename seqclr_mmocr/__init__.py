"""seqclr_mmocr: SeqCLR (arXiv 2012.10873) for MMOCR 1.x.

Importing the package registers every module in MMOCR's registries (``mmocr.registry``) and
installs safe checkpoint loading (see :mod:`seqclr_mmocr.utils.checkpoint_safety`), so a config
only needs::

    custom_imports = dict(imports=['seqclr_mmocr'], allow_failed_imports=False)
    default_scope = 'mmocr'
"""

from . import utils  # noqa: F401,I001  (installs safe checkpoint loading first)
from . import datasets, engine, evaluation, models  # noqa: F401
from .version import __version__

__all__ = ['__version__']
