# Copyright (c) OpenMMLab. All rights reserved.
"""imgaug transforms for SeqCLR: nested augmenters built from config, and the
paper's augmentation pipeline (SeqCLR, App. B) as one transform."""

import copy
import inspect
import os
from typing import Any, Dict, Optional, Sequence, Tuple, Union

import imgaug.augmenters as iaa
import imgaug.parameters as iap
import numpy as np
import torch
from mmcv.transforms.base import BaseTransform
from mmocr.registry import TRANSFORMS

from seqclr_mmocr.models.utils.batch_augments.seqclr_op_set import OP_NAMES, Range, SeqCLRRanges

# Keyword arguments under which imgaug containers take their child augmenters.
# ``Sometimes`` calls them ``then_list``; our config key ``children`` maps to
# whichever of these the class accepts (first match wins).
_CHILDREN_ARGS = ('children', 'then_list')


def _find_imgaug_class(name: str) -> Tuple[type, bool]:
    """Look ``name`` up in ``imgaug.augmenters``, then ``imgaug.parameters``.

    Returns:
        tuple(type, bool): The class, and whether it is an augmenter (as
        opposed to a stochastic parameter).
    """
    cls = getattr(iaa, name, None)
    if inspect.isclass(cls) and issubclass(cls, iaa.Augmenter):
        return cls, True
    cls = getattr(iap, name, None)
    if inspect.isclass(cls) and issubclass(cls, iap.StochasticParameter):
        return cls, False
    raise ValueError(
        f'Unknown imgaug class {name!r}: it is neither an augmenter in '
        'imgaug.augmenters nor a stochastic parameter in imgaug.parameters.'
    )


def _convert_arg(value: Any, lists_to_tuples: bool) -> Any:
    """Turn one config value into an imgaug argument.

    Dicts with ``cls`` are built recursively. Lists become tuples when
    ``lists_to_tuples`` is set: MMEngine configs may hand tuples over as lists,
    but imgaug reads a tuple ``(a, b)`` as "uniform in [a, b]" and a list
    ``[a, b]`` as "one of a or b", so every range must reach imgaug as a
    tuple. A list that holds augmenters stays a list.
    """
    # Before the list check: Sequential, SomeOf and OneOf are list subclasses.
    if isinstance(value, (iaa.Augmenter, iap.StochasticParameter)):
        return value
    if isinstance(value, dict):
        if 'cls' in value:
            return build_imgaug_augmenter(value)
        return {k: _convert_arg(v, lists_to_tuples) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_convert_arg(v, lists_to_tuples) for v in value]
        if any(isinstance(v, iaa.Augmenter) for v in items):
            return items
        return tuple(items) if lists_to_tuples else type(value)(items)
    return value


def build_imgaug_augmenter(
    spec: Union[dict, iaa.Augmenter, iap.StochasticParameter],
) -> Union[iaa.Augmenter, iap.StochasticParameter]:
    """Build an (arbitrarily nested) imgaug augmenter from a config dict.

    ``spec['cls']`` names a class in ``imgaug.augmenters`` (or, for explicit
    stochastic parameters, in ``imgaug.parameters``); every other key is
    passed as a keyword argument. ``children`` (a list of specs, or one spec)
    is passed as the container's children: ``children=`` for ``Sequential``,
    ``SomeOf``, ``OneOf``, ``WithChannels`` and the like, ``then_list=`` for
    ``Sometimes``. Any other argument that is a spec (``else_list``,
    ``foreground``, ...) is built too.

    Lists of numbers are passed on as tuples, i.e. as ranges. To sample from
    a discrete set, use an explicit parameter:
    ``dict(cls='Choice', a=[0.5, 1.0])``.

    Example:
        >>> build_imgaug_augmenter(dict(
        ...     cls='SomeOf', n=(1, None), random_order=True,
        ...     children=[dict(cls='LinearContrast', alpha=(0.5, 1.0)),
        ...               dict(cls='Sometimes', p=0.5,
        ...                    children=[dict(cls='GaussianBlur',
        ...                                   sigma=[0.5, 1.0])])]))

    Raises:
        ValueError: If a class is unknown, takes no children, or rejects its
            arguments; the message names the class.
    """
    if isinstance(spec, (iaa.Augmenter, iap.StochasticParameter)):
        return spec
    if not isinstance(spec, dict) or 'cls' not in spec:
        raise TypeError(f'An imgaug spec must be a dict with a "cls" key, got {spec!r}')
    kwargs = dict(spec)
    name = kwargs.pop('cls')
    cls, is_augmenter = _find_imgaug_class(name)

    children = kwargs.pop('children', None)
    if children is not None:
        accepted = inspect.signature(cls.__init__).parameters
        child_arg = next((a for a in _CHILDREN_ARGS if a in accepted), None)
        if child_arg is None:
            raise ValueError(
                f'imgaug class {name!r} takes no children, but the config gives it "children".'
            )
        if isinstance(children, dict):
            children = [children]
        kwargs[child_arg] = [build_imgaug_augmenter(c) for c in children]

    kwargs = {
        key: _convert_arg(value, lists_to_tuples=is_augmenter) for key, value in kwargs.items()
    }
    try:
        return cls(**kwargs)
    except Exception as error:
        raise ValueError(
            f'Failed to build imgaug class {name!r} with arguments {kwargs}: {error}'
        ) from error


def _fresh_entropy() -> int:
    """Entropy for a process's augmenter RNG, drawn from the process's own
    generators.

    NumPy is seeded per worker by MMEngine's ``worker_init_fn`` (when
    ``randomness.seed`` is set); torch is seeded per worker by the
    DataLoader itself (``base_seed + worker_id``, or by MMEngine's
    ``worker_init_fn``). Mixing both gives distinct streams per worker in
    every case, and reproducible ones when the run is seeded.
    """
    numpy_draw = int(np.random.randint(0, 2**31 - 1))
    torch_seed = int(torch.initial_seed() % 2**63)
    seed_sequence = np.random.SeedSequence([numpy_draw, torch_seed])
    return int(seed_sequence.generate_state(1, np.uint64)[0])


@TRANSFORMS.register_module()
class ImgAugNested(BaseTransform):
    """Apply an arbitrarily nested imgaug augmenter to the image.

    Unlike MMOCR's ``ImgAugWrapper`` (a flat ``iaa.Sequential``), containers
    such as ``SomeOf``, ``OneOf``, ``Sequential`` and ``Sometimes`` can hold
    further containers; see :func:`build_imgaug_augmenter` for the spec.
    Only the image is augmented: text labels are untouched and geometric
    annotations (polygons, boxes) are not supported.

    Required Keys:

    - img (np.ndarray): HxW or HxWxC, normally uint8.

    Modified Keys:

    - img
    - img_shape

    Randomness:
        Without ``seed``, the augmenter's random state is re-seeded lazily
        the first time it is used in each process (tracked with
        ``os.getpid()``) from that process's NumPy and torch generators.
        imgaug keeps its own RNG, which MMEngine's ``randomness`` and
        ``worker_init_fn`` never seed; without this, forked dataloader
        workers would inherit the same imgaug state and produce identical
        augmentations. With MMEngine's ``randomness=dict(seed=...)`` the
        augmentations are reproducible; without it they differ per run.
        With an explicit ``seed``, the augmenter draws from its own RNG
        seeded once, in every process alike: use it for tests and
        debugging only, as all dataloader workers then repeat the same
        augmentations.

    Args:
        augmenter (dict): The nested augmenter spec, e.g.
            ``dict(cls='SomeOf', n=(1, None), random_order=True,
            children=[...])``. An already built ``imgaug`` augmenter is
            accepted too.
        seed (int, optional): Fixed seed of the augmenter. Defaults to None.

    Example:
        >>> dict(type='ImgAugNested',
        ...      augmenter=dict(
        ...          cls='SomeOf', n=(1, None), random_order=True,
        ...          children=[
        ...              dict(cls='LinearContrast', alpha=(0.5, 1.0)),
        ...              dict(cls='GaussianBlur', sigma=(0.5, 1.0)),
        ...          ]))
    """

    def __init__(self, augmenter: Union[dict, iaa.Augmenter], seed: Optional[int] = None) -> None:
        self.augmenter_cfg = copy.deepcopy(augmenter)
        self.seed = seed
        self.augmenter = build_imgaug_augmenter(augmenter)
        if not isinstance(self.augmenter, iaa.Augmenter):
            raise ValueError(
                f'The root imgaug spec must be an augmenter, got {type(self.augmenter).__name__}.'
            )
        # pid of the process whose generators last seeded ``augmenter``.
        self._seeded_pid: Optional[int] = None
        if seed is not None:
            self.augmenter.seed_(seed)

    def _seed_once_per_process(self) -> None:
        pid = os.getpid()
        if self._seeded_pid != pid:
            self.augmenter.seed_(_fresh_entropy())
            self._seeded_pid = pid

    def transform(self, results: Dict) -> Dict:
        """Augment ``results['img']``.

        Args:
            results (dict): Result dict with the image in ``img``.

        Returns:
            dict: The result dict with the augmented image and its shape.
        """
        if self.seed is None:
            self._seed_once_per_process()
        img = results['img']
        grayscale = img.ndim == 2
        if grayscale:
            # Some augmenters (cv2 warps) drop or mishandle a 2-D image;
            # feed HxWx1 and squeeze back.
            img = img[..., None]
        img = self.augmenter.augment_image(img)
        if grayscale and img.ndim == 3:
            img = img[..., 0]
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(augmenter={self.augmenter_cfg!r}, seed={self.seed})'


def _imgaug_op_spec(name: str, ranges: SeqCLRRanges) -> dict:
    """The :func:`build_imgaug_augmenter` spec of the SeqCLR op ``name`` (its ranges set)."""
    if name == 'linear_contrast':
        return dict(cls='LinearContrast', alpha=tuple(ranges.linear_contrast))
    if name == 'gaussian_blur':
        return dict(cls='GaussianBlur', sigma=tuple(ranges.gaussian_blur))
    if name == 'sharpen':
        return dict(
            cls='Sharpen',
            alpha=tuple(ranges.sharpen_alpha),
            lightness=tuple(ranges.sharpen_lightness),
        )
    # imgaug's Crop percent order is (top, right, bottom, left).
    no_crop = (0, 0)
    if name == 'vertical_crop':
        crop = tuple(ranges.vertical_crop)
        return dict(cls='Crop', percent=(crop, no_crop, crop, no_crop), keep_size=True)
    if name == 'horizontal_crop':
        crop = tuple(ranges.horizontal_crop)
        return dict(cls='Crop', percent=(no_crop, crop, no_crop, crop), keep_size=True)
    if name == 'piecewise_affine':
        return dict(cls='PiecewiseAffine', scale=tuple(ranges.piecewise_affine), mode='edge')
    return dict(cls='PerspectiveTransform', scale=tuple(ranges.perspective))


@TRANSFORMS.register_module()
class SeqCLRAugment(ImgAugNested):
    """The SeqCLR augmentation pipeline (Aberdam et al., CVPR 2021, App. B).

    A random non-empty subset, applied in random order, of:

    - ``linear_contrast``: ``127 + alpha * (v - 127)``, alpha in the range;
    - ``gaussian_blur``: Gaussian blur, sigma in the range;
    - ``sharpen``: blend with a sharpened copy, ``sharpen_alpha`` and
      ``sharpen_lightness`` ranges;
    - ``vertical_crop``: crop top and bottom, each by a fraction of the
      height in the range, resized back to the input size;
    - ``horizontal_crop``: crop left and right, each by a fraction of the
      width in the range, resized back;
    - ``piecewise_affine``: jitter the points of a control grid (2 to 4 rows
      and columns) by a normal distribution whose sigma, a fraction of the
      image size, is drawn from the ``scale`` range; ``mode='edge'``;
    - ``perspective``: four-point perspective warp, the corners moved inwards
      by normal distances whose sigma (a fraction of the image size) is drawn
      from the ``scale`` range.

    There are no flips, rotations or horizontal shifts: the text must keep
    its left-to-right order for the sequence-level contrastive loss. The
    paper's official code replaced ``PiecewiseAffine`` by the faster
    ``ElasticTransformation``; we keep ``PiecewiseAffine`` as written in the
    paper.

    Setting a range to None removes that op (``sharpen`` goes if either of
    its ranges is None); ``ops`` keeps only the named ops. Use
    :meth:`build_spec` to see the equivalent :class:`ImgAugNested` spec.

    Args:
        ops (Sequence[str], optional): Subset of :attr:`OP_NAMES` to keep.
            Defaults to None (all ops whose range is set).
        seed (int, optional): See :class:`ImgAugNested`. Defaults to None.
        **ranges (tuple[float, float], optional): The ranges of
            :class:`SeqCLRRanges` (``linear_contrast``, ``gaussian_blur``,
            ``sharpen_alpha``, ``sharpen_lightness``, ``vertical_crop``,
            ``horizontal_crop``, ``piecewise_affine``, ``perspective``); those
            not given keep the paper's.

    Example:
        >>> dict(type='SeqCLRAugment')
        >>> dict(type='SeqCLRAugment', piecewise_affine=None,
        ...      vertical_crop=(0.0, 0.2))
        >>> dict(type='SeqCLRAugment',
        ...      ops=['linear_contrast', 'gaussian_blur', 'horizontal_crop'])
    """

    OP_NAMES = OP_NAMES

    def __init__(
        self,
        *,
        ops: Optional[Sequence[str]] = None,
        seed: Optional[int] = None,
        **ranges: Range,
    ) -> None:
        self.spec = self.build_spec(ops=ops, **ranges)
        super().__init__(augmenter=self.spec, seed=seed)

    @classmethod
    def build_spec(cls, *, ops: Optional[Sequence[str]] = None, **ranges: Range) -> dict:
        """The :class:`ImgAugNested` spec equivalent to these arguments.

        With the defaults this is the paper's pipeline::

            dict(cls='SomeOf', n=(1, None), random_order=True, children=[
                dict(cls='LinearContrast', alpha=(0.5, 1.0)),
                dict(cls='GaussianBlur', sigma=(0.5, 1.0)),
                dict(cls='Sharpen', alpha=(0.0, 0.5), lightness=(0.0, 0.5)),
                dict(cls='Crop', percent=((0.0, 0.4), (0, 0), (0.0, 0.4),
                                          (0, 0)), keep_size=True),
                dict(cls='Crop', percent=((0, 0), (0.0, 0.02), (0, 0),
                                          (0.0, 0.02)), keep_size=True),
                dict(cls='PiecewiseAffine', scale=(0.02, 0.03), mode='edge'),
                dict(cls='PerspectiveTransform', scale=(0.01, 0.02)),
            ])

        Raises:
            ValueError: If ``ops`` names an unknown op or one whose range is
                None, or if no op is left.
        """
        given = SeqCLRRanges.from_kwargs(ranges, owner='SeqCLRAugment')
        names = given.select_ops(ops, owner='SeqCLRAugment')
        return dict(
            cls='SomeOf',
            n=(1, None),
            random_order=True,
            children=[_imgaug_op_spec(name, given) for name in names],
        )

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(spec={self.spec!r}, seed={self.seed})'
