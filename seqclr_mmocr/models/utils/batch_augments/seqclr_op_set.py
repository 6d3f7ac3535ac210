"""The SeqCLR augmentation's op set and the paper's ranges (App. B).

One source for the imgaug path (:class:`SeqCLRAugment`) and the batched path
(:class:`BatchSeqCLRAugment`): both take the same arguments with the same defaults and
accept the same ``ops``, so that switching paths never changes what is augmented.
"""

from typing import Dict, List, Optional, Sequence, Tuple

Range = Optional[Tuple[float, float]]

OP_NAMES = (
    'linear_contrast',
    'gaussian_blur',
    'sharpen',
    'vertical_crop',
    'horizontal_crop',
    'piecewise_affine',
    'perspective',
)

# Paper App. B; ``sharpen`` takes two ranges (alpha and lightness), the crops are fractions
# per side (top and bottom, or left and right).
PAPER_RANGES: Dict[str, Tuple[float, float]] = dict(
    linear_contrast=(0.5, 1.0),
    gaussian_blur=(0.5, 1.0),
    sharpen_alpha=(0.0, 0.5),
    sharpen_lightness=(0.0, 0.5),
    vertical_crop=(0.0, 0.4),
    horizontal_crop=(0.0, 0.02),
    piecewise_affine=(0.02, 0.03),
    perspective=(0.01, 0.02),
)


def enabled_ops(ranges: Dict[str, Range]) -> List[str]:
    """The ops, in :data:`OP_NAMES` order, whose ranges are all set (not None)."""

    def is_set(name: str) -> bool:
        if name == 'sharpen':
            return (
                ranges.get('sharpen_alpha') is not None
                and ranges.get('sharpen_lightness') is not None
            )
        return ranges.get(name) is not None

    return [name for name in OP_NAMES if is_set(name)]


def select_ops(
    ranges: Dict[str, Range], ops: Optional[Sequence[str]], owner: str
) -> Tuple[str, ...]:
    """The ops to apply: all enabled ones, or ``ops`` (without repeats) after checking it.

    Raises:
        ValueError: naming ``owner``, if ``ops`` names an unknown op or one whose range is
            None, or if no op is left.
    """
    available = enabled_ops(ranges)
    if ops is None:
        names = available
    else:
        unknown = [name for name in ops if name not in OP_NAMES]
        if unknown:
            raise ValueError(f'Unknown {owner} ops {unknown}; valid ops are {list(OP_NAMES)}.')
        disabled = [name for name in ops if name not in available]
        if disabled:
            raise ValueError(f'{owner} ops {disabled} are listed in `ops` but their range is None.')
        names = list(dict.fromkeys(ops))
    if not names:
        raise ValueError(f'{owner} has no op left: every range is None or `ops` is empty.')
    return tuple(names)
