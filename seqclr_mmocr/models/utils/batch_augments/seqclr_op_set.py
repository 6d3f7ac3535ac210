"""The SeqCLR augmentation's op set and its ranges, with the paper's defaults (App. B).

One source for the imgaug path (:class:`SeqCLRAugment`) and the batched path
(:class:`BatchSeqCLRAugment`): both take the ranges of :class:`SeqCLRRanges` as keyword
arguments with the same defaults and accept the same ``ops``, so that switching paths never
changes what is augmented.
"""

from dataclasses import dataclass, fields
from typing import Any, Dict, List, Optional, Sequence, Tuple

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


@dataclass(frozen=True)
class SeqCLRRanges:
    """The eight ranges of the SeqCLR augmentation, each ``(low, high)``; the defaults are
    the paper's (App. B). A range of None removes its op (``sharpen`` goes if either of its
    two ranges is None).

    ``SeqCLRAugment`` and ``BatchSeqCLRAugment`` take these names as keyword arguments, e.g.
    ``dict(type='SeqCLRAugment', piecewise_affine=None, vertical_crop=(0.0, 0.2))``.

    Attributes:
        linear_contrast (tuple[float, float], optional): alpha range. Defaults to
            (0.5, 1.0).
        gaussian_blur (tuple[float, float], optional): sigma range. Defaults to (0.5, 1.0).
        sharpen_alpha (tuple[float, float], optional): Blending factor range, within
            [0, 1]. Defaults to (0.0, 0.5).
        sharpen_lightness (tuple[float, float], optional): Lightness range. Defaults to
            (0.0, 0.5).
        vertical_crop (tuple[float, float], optional): Crop fraction range for the top and
            for the bottom. Defaults to (0.0, 0.4).
        horizontal_crop (tuple[float, float], optional): Crop fraction range for the left
            and for the right. Defaults to (0.0, 0.02).
        piecewise_affine (tuple[float, float], optional): Control-point jitter scale range.
            Defaults to (0.02, 0.03).
        perspective (tuple[float, float], optional): Corner jitter scale range. Defaults
            to (0.01, 0.02).
    """

    linear_contrast: Range = (0.5, 1.0)
    gaussian_blur: Range = (0.5, 1.0)
    sharpen_alpha: Range = (0.0, 0.5)
    sharpen_lightness: Range = (0.0, 0.5)
    vertical_crop: Range = (0.0, 0.4)
    horizontal_crop: Range = (0.0, 0.02)
    piecewise_affine: Range = (0.02, 0.03)
    perspective: Range = (0.01, 0.02)

    @classmethod
    def from_kwargs(cls, kwargs: Dict[str, Any], owner: str) -> 'SeqCLRRanges':
        """The ranges given as keyword arguments of ``owner``, the others at their defaults.

        Raises:
            TypeError: naming ``owner``, if a keyword is not a range name.
        """
        names = [field.name for field in fields(cls)]
        unknown = sorted(set(kwargs) - set(names))
        if unknown:
            raise TypeError(
                f'{owner} got unexpected arguments {unknown}; its ranges are {names}, '
                'besides ops and seed'
            )
        return cls(**kwargs)

    def as_dict(self) -> Dict[str, Range]:
        """``{name: range}`` in field order."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def enabled_ops(self) -> List[str]:
        """The ops, in :data:`OP_NAMES` order, whose ranges are all set (not None)."""

        def is_set(name: str) -> bool:
            if name == 'sharpen':
                return self.sharpen_alpha is not None and self.sharpen_lightness is not None
            return getattr(self, name) is not None

        return [name for name in OP_NAMES if is_set(name)]

    def select_ops(self, ops: Optional[Sequence[str]], owner: str) -> Tuple[str, ...]:
        """The ops to apply: all enabled ones, or ``ops`` (without repeats) after checking it.

        Raises:
            ValueError: naming ``owner``, if ``ops`` names an unknown op or one whose range
                is None, or if no op is left.
        """
        available = self.enabled_ops()
        if ops is None:
            names = available
        else:
            unknown = [name for name in ops if name not in OP_NAMES]
            if unknown:
                raise ValueError(f'Unknown {owner} ops {unknown}; valid ops are {list(OP_NAMES)}.')
            disabled = [name for name in ops if name not in available]
            if disabled:
                raise ValueError(
                    f'{owner} ops {disabled} are listed in `ops` but their range is None.'
                )
            names = list(dict.fromkeys(ops))
        if not names:
            raise ValueError(f'{owner} has no op left: every range is None or `ops` is empty.')
        return tuple(names)
