"""seqclr_mmocr: SeqCLR (arXiv 2012.10873) for MMOCR 1.x.

Importing the package registers every module in MMOCR's registries (``mmocr.registry``) and
installs safe checkpoint loading (see :mod:`seqclr_mmocr.utils.checkpoint_safety`), so a config
only needs::

    custom_imports = dict(imports=['seqclr_mmocr'], allow_failed_imports=False)
    default_scope = 'mmocr'
"""
from . import utils  # noqa: F401  (installs safe checkpoint loading)
from .version import __version__

__all__ = ['__version__']
