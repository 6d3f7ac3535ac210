from .formatting import PackSeqCLRInputs
from .imgaug_transforms import ImgAugNested, SeqCLRAugment, build_imgaug_augmenter
from .loading import LoadImageSafe
from .multi_view import MultiView
from .text_checks import CheckTextInDictionary

__all__ = [
    'PackSeqCLRInputs',
    'ImgAugNested',
    'SeqCLRAugment',
    'build_imgaug_augmenter',
    'LoadImageSafe',
    'MultiView',
    'CheckTextInDictionary',
]
