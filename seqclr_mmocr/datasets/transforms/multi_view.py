# Copyright (c) OpenMMLab. All rights reserved.
"""Several independently augmented views of one image."""

import copy
from typing import Callable, Dict, List, Optional, Union

from mmcv.transforms.base import BaseTransform
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class MultiView(BaseTransform):
    """Make ``num_views`` views of the image, each from its own deep copy of
    the results passed through ``transforms``.

    The contrastive pair of SeqCLR and SimCLR is ``num_views=2``. This follows
    MMPretrain's ``MultiView`` with one pipeline, and also records the shape
    of every view. The transforms are built from MMOCR's ``TRANSFORMS``
    registry.

    Required Keys:

    - img (and whatever ``transforms`` need)

    Modified Keys:

    - img: list of ``num_views`` images
    - img_shape: list of ``num_views`` (h, w) shapes

    Args:
        transforms (list[dict | callable]): The pipeline applied to each
            view.
        num_views (int): How many views. Defaults to 2.

    Example:
        >>> dict(type='MultiView', num_views=2,
        ...      transforms=[dict(type='SeqCLRAugment')])
    """

    def __init__(self, transforms: List[Union[dict, Callable]], num_views: int = 2) -> None:
        if not isinstance(num_views, int) or num_views < 1:
            raise ValueError(f'num_views must be a positive int, got {num_views!r}')
        if not isinstance(transforms, (list, tuple)):
            raise TypeError(
                'transforms must be a list of transform configs '
                f'or callables, got {type(transforms).__name__}'
            )
        self.num_views = num_views
        self.transforms = [TRANSFORMS.build(t) if isinstance(t, dict) else t for t in transforms]
        for t in self.transforms:
            if not callable(t):
                raise TypeError(f'transform {t!r} is not callable')

    def _one_view(self, results: Dict) -> Optional[Dict]:
        for t in self.transforms:
            results = t(results)
            if results is None:
                return None
        return results

    def transform(self, results: Dict) -> Optional[Dict]:
        """Make the views.

        Args:
            results (dict): Result dict from the previous transforms.

        Returns:
            dict or None: The results with the list of views in ``img``, or
            None if a transform dropped a view (the dataset then refetches).
        """
        views, shapes = [], []
        for _ in range(self.num_views):
            view = self._one_view(copy.deepcopy(results))
            if view is None:
                return None
            views.append(view['img'])
            shapes.append(tuple(view['img'].shape[:2]))
        results['img'] = views
        results['img_shape'] = shapes
        return results

    def __repr__(self) -> str:
        return (
            f'{self.__class__.__name__}(transforms={self.transforms}, num_views={self.num_views})'
        )
