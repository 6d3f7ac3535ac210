"""The SeqCLR augmentation (App. B) as batched tensor ops on the training device.

A vectorised counterpart of the imgaug path :class:`SeqCLRAugment`: same op set, same
argument names and ranges, and parameters drawn from the same distributions as imgaug
0.4.0 draws them, for a whole batch at once, on the device of the images.
"""

from typing import Callable, Dict, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dist import get_rank
from mmengine.logging import MessageHub
from mmocr.registry import MODELS
from torch import Tensor, nn

from .photometric import gaussian_blur, linear_contrast, sharpen
from .seqclr_op_set import OP_NAMES, Range, SeqCLRRanges
from .warps import (
    MAX_GRID_POINTS,
    MIN_GRID_POINTS,
    affine_matrices,
    apply_homographies,
    apply_homographies_,
    crop_resize_matrices,
    perspective_matrices,
    piecewise_displacements,
)

PHOTOMETRIC_OPS = ('linear_contrast', 'gaussian_blur', 'sharpen')
GEOMETRIC_OPS = ('vertical_crop', 'horizontal_crop', 'piecewise_affine', 'perspective')


@MODELS.register_module()
class BatchSeqCLRAugment(nn.Module):
    """The SeqCLR augmentation pipeline (Aberdam et al., CVPR 2021, App. B) on a batch of
    tensors, on the device the batch lives on.

    Same ops, arguments and default ranges as the imgaug path :class:`SeqCLRAugment`, with
    each parameter drawn from the distribution imgaug 0.4.0 draws it from:

    - random subset and order as ``iaa.SomeOf((1, None), ops, random_order=True)``: per
      image, a number of ops uniform in ``[1, n_ops]``, then that many ops in a uniformly
      random order;
    - ``linear_contrast``: ``127 + alpha * (v - 127)``, alpha uniform;
    - ``gaussian_blur``: separable Gaussian, sigma uniform, imgaug's kernel size (5 taps for
      sigma < 1.82), reflected borders;
    - ``sharpen``: imgaug's 3x3 kernel ``(1 - alpha) I + alpha [[-1, -1, -1], [-1, 8 + L,
      -1], [-1, -1, -1]]``, alpha and lightness L uniform;
    - ``vertical_crop`` / ``horizontal_crop``: each side cropped by ``round(fraction *
      size)`` pixels, the fraction uniform per side, then resized back;
    - ``piecewise_affine``: 2 to 4 rows and columns of control points (uniform) on
      ``linspace(0, size)``, each moved by ``N(0, scale * size)`` per axis, the scale
      uniform per image, clipped to the image, edge mode;
    - ``perspective``: the four corners moved inwards by ``|N(0, scale * size)|`` per axis,
      the scale uniform per image, the quadrilateral warped onto the image.

    How it differs from the imgaug path (by design, for speed):

    - All geometric ops of a view compose into one backward map, in their sampled order,
      and the image is resampled once (``F.grid_sample``, bilinear; coordinates clamped to
      the image, i.e. imgaug's ``mode='edge'``). imgaug resamples once per op, with OpenCV's
      INTER_AREA for the crops' upscaling (nearly nearest-neighbour) and bilinear or cubic
      for the rest, so single resamplings here are slightly smoother.
    - Piecewise affine: imgaug interpolates the control-point displacements linearly over a
      Delaunay triangulation of the grid (scikit-image's ``PiecewiseAffineTransform``),
      and qhull splits each rectangular cell along whichever diagonal it happens to pick;
      here the displacements are interpolated bilinearly over the cells, the symmetric
      choice. Both agree on the cell edges and differ inside a cell by at most a quarter of
      its twist ``|d00 - d01 - d10 + d11|`` (at the centre), whose std is ``0.5 * scale *
      size``: 1.25 px across and 0.4 px up a 32x100 image at scale 0.025. The mean and
      maximum displacements match imgaug's (see the tests).
    - Order: photometric ops keep their sampled order among themselves. The one warp takes
      the place of the vertical crop when it is drawn (its zoom, up to 5x, is the only
      geometric effect large enough to change how a blur or sharpen drawn before or after
      it looks), otherwise of the first geometric op; a photometric op drawn between two
      geometric ops therefore runs on the side of the warp the anchor puts it.
    - Images stay float: imgaug rounds to uint8 after every op, here values are only
      clipped to [0, 255] after each photometric op.

    Images are right-padded: ``widths`` gives each image's valid width; every op works in
    that region alone (a 60 px wide image in a 100 px wide batch is warped and blurred like
    a 60 px image), and the padding columns come back unchanged.

    Randomness. In training mode, each call draws from a fresh ``torch.Generator`` seeded
    by a hash of (base seed, training iteration, call within the iteration, rank): the base
    seed is ``seed``, or else the torch seed MMEngine's ``randomness`` set (restored from
    the checkpoint on ``--resume``), and the iteration is the runner's (MMEngine's
    ``MessageHub`` info ``'iter'``). The views of an iteration are thus a function of these
    alone, and a resumed run draws the same views as an uninterrupted one; the draws have
    the same distribution as from one long stream. In eval mode (validation), and when no
    runner sets an iteration, it draws from the global torch RNG of the images' device, or,
    with ``seed``, from a private ``torch.Generator`` per device.

    Args:
        ops (Sequence[str], optional): Subset of :attr:`OP_NAMES` to keep. Defaults to None
            (all ops whose range is set).
        seed (int, optional): Base seed (tests, debugging). Defaults to None (the torch
            seed of the process, set by MMEngine's ``randomness``).
        compact (bool, optional): Run each photometric op on the images that drew it only
            (True), or on the whole batch, masked (False). Compacting needs a host sync
            per op and slot, free on the CPU; masking keeps a GPU queue asynchronous.
            Defaults to None: compact on the CPU, mask elsewhere.
        **ranges (tuple[float, float], optional): The ranges of :class:`SeqCLRRanges`
            (``linear_contrast``, ``gaussian_blur``, ``sharpen_alpha``,
            ``sharpen_lightness``, ``vertical_crop``, ``horizontal_crop``,
            ``piecewise_affine``, ``perspective``); those not given keep the paper's.

    Example:
        >>> augment = dict(type='BatchSeqCLRAugment')
        >>> augment = dict(type='BatchSeqCLRAugment', piecewise_affine=None,
        ...                vertical_crop=(0.0, 0.2))
        >>> views = MODELS.build(augment)(images, widths)  # (N, C, H, W) in [0, 255]
    """

    OP_NAMES = OP_NAMES

    def __init__(
        self,
        *,
        ops: Optional[Sequence[str]] = None,
        seed: Optional[int] = None,
        compact: Optional[bool] = None,
        **ranges: Range,
    ) -> None:
        super().__init__()
        given = SeqCLRRanges.from_kwargs(ranges, owner='BatchSeqCLRAugment')
        self.ranges: Dict[str, Tuple[float, float]] = {
            name: self._check_range(name, value)
            for name, value in given.as_dict().items()
            if value is not None
        }
        self.op_names: Tuple[str, ...] = given.select_ops(ops, owner='BatchSeqCLRAugment')
        self.seed = seed
        self.compact = compact
        self._generators: Dict[torch.device, torch.Generator] = {}
        # (iteration, calls so far in it) of the keyed training draws.
        self._draw_position: Tuple[Optional[int], int] = (None, 0)

    @staticmethod
    def _check_range(name: str, value) -> Tuple[float, float]:
        if len(value) != 2 or not 0 <= value[0] <= value[1]:
            raise ValueError(
                f'BatchSeqCLRAugment.{name} must be a range (low, high) with '
                f'0 <= low <= high, got {value!r}'
            )
        low, high = float(value[0]), float(value[1])
        if name == 'sharpen_alpha' and high > 1:
            raise ValueError(f'BatchSeqCLRAugment.sharpen_alpha must lie in [0, 1], got {value!r}')
        if name in ('vertical_crop', 'horizontal_crop') and high >= 0.5:
            raise ValueError(
                f'BatchSeqCLRAugment.{name} must stay below 0.5 per side, got {value!r}'
            )
        if name == 'gaussian_blur' and low <= 0:
            raise ValueError(
                f'BatchSeqCLRAugment.gaussian_blur sigma must be positive, got {value!r}'
            )
        return low, high

    def _generator(self, device: torch.device) -> Optional[torch.Generator]:
        if self.seed is None:
            return None
        if device not in self._generators:
            generator = torch.Generator(device=device)
            generator.manual_seed(self.seed)
            self._generators[device] = generator
        return self._generators[device]

    def _keyed_generator(self, device: torch.device) -> torch.Generator:
        """A generator seeded by (base seed, iteration, call in the iteration, rank).

        Without a runner's iteration, the call count alone keys the draws (a module built
        anew after ``torch.manual_seed`` repeats its draws)."""
        iteration = MessageHub.get_current_instance().get_info('iter')
        last_iteration, calls = self._draw_position
        calls = calls if iteration == last_iteration else 0
        self._draw_position = (iteration, calls + 1)
        base = self.seed if self.seed is not None else torch.initial_seed()
        key = [int(base) % 2**64, -1 if iteration is None else int(iteration), calls, get_rank()]
        words = np.random.SeedSequence([k + 1 for k in key]).generate_state(2, np.uint32)
        generator = torch.Generator(device=device)
        generator.manual_seed(int(words[0]) << 32 | int(words[1]))
        return generator

    def sample_params(
        self, widths: Tensor, height: int, generator: Optional[torch.Generator] = None
    ) -> Dict[str, Tensor]:
        """Draw the random subset, order and op parameters for a batch.

        Args:
            widths (Tensor): (N,) valid width of each image (pixels).
            height (int): Image height.
            generator (torch.Generator, optional): Where to draw from. Defaults to None:
                the private generator of ``seed``, or the global torch RNG.

        Returns:
            dict[str, Tensor]: On the device of ``widths``, one row per image:

            - ``num_ops`` (N,): how many ops are applied, in ``[1, len(op_names)]``;
            - ``order`` (N, n_ops): op indices (into :attr:`op_names`) in application
              order, the first ``num_ops`` applied;
            - ``position`` (N, n_ops): each op's place in ``order``;
            - ``active`` (N, n_ops): whether each op is applied;
            - per enabled op: ``contrast_alpha``, ``blur_sigma``, ``sharpen_alpha``,
              ``sharpen_lightness``; ``crop_top_fraction``, ``crop_bottom_fraction`` and
              ``crop_top``, ``crop_bottom`` (pixels); the same for ``left`` and
              ``right``; ``piecewise_scale``, ``piecewise_rows``, ``piecewise_cols``,
              ``piecewise_jitter`` (N, 4, 4, 2) (y, x fractions of the size);
              ``perspective_scale``, ``perspective_jitter`` (N, 4, 2) (x, y fractions).
        """
        device = widths.device
        if generator is None:
            generator = self._generator(device)
        num = widths.shape[0]
        num_op_types = len(self.op_names)

        def uniform(name: str) -> Tensor:
            low, high = self.ranges[name]
            return low + (high - low) * torch.rand(num, generator=generator, device=device)

        num_ops = torch.randint(1, num_op_types + 1, (num,), generator=generator, device=device)
        order = torch.rand(num, num_op_types, generator=generator, device=device).argsort(dim=1)
        position = order.argsort(dim=1)
        params = dict(
            num_ops=num_ops, order=order, position=position, active=position < num_ops[:, None]
        )
        names = set(self.op_names)
        widths = widths.to(torch.float32)
        if 'linear_contrast' in names:
            params['contrast_alpha'] = uniform('linear_contrast')
        if 'gaussian_blur' in names:
            params['blur_sigma'] = uniform('gaussian_blur')
        if 'sharpen' in names:
            params['sharpen_alpha'] = uniform('sharpen_alpha')
            params['sharpen_lightness'] = uniform('sharpen_lightness')
        for op, (first, last), size in (
            ('vertical_crop', ('top', 'bottom'), torch.full_like(widths, height)),
            ('horizontal_crop', ('left', 'right'), widths),
        ):
            if op not in names:
                continue
            first_fraction, last_fraction = uniform(op), uniform(op)
            first_px = torch.round(first_fraction * size)
            # imgaug keeps at least one row/column (never needed below 0.5 per side, save
            # on images a few pixels wide).
            last_px = torch.minimum(torch.round(last_fraction * size), size - 1 - first_px)
            params.update(
                {
                    f'crop_{first}_fraction': first_fraction,
                    f'crop_{last}_fraction': last_fraction,
                    f'crop_{first}': first_px,
                    f'crop_{last}': last_px.clamp(min=0),
                }
            )
        if 'piecewise_affine' in names:
            scale = uniform('piecewise_affine')
            params['piecewise_scale'] = scale
            params['piecewise_rows'], params['piecewise_cols'] = torch.randint(
                MIN_GRID_POINTS, MAX_GRID_POINTS + 1, (2, num), generator=generator, device=device
            )
            params['piecewise_jitter'] = scale.view(-1, 1, 1, 1) * torch.randn(
                num, MAX_GRID_POINTS, MAX_GRID_POINTS, 2, generator=generator, device=device
            )
        if 'perspective' in names:
            scale = uniform('perspective')
            params['perspective_scale'] = scale
            params['perspective_jitter'] = scale.view(-1, 1, 1) * torch.randn(
                num, 4, 2, generator=generator, device=device
            )
        return params

    def _is_active(self, params: Dict[str, Tensor], op: str) -> Tensor:
        return params['active'][:, self.op_names.index(op)]

    def sampling_grid(
        self, params: Dict[str, Tensor], height: int, width: int, widths: Tensor
    ) -> Tensor:
        """Where each output pixel samples its input, for all geometric ops drawn in
        ``params`` composed in their sampled order, clamped to each image's valid region:
        an (N, H, W, 2) grid for ``F.grid_sample(align_corners=False)`` on (N, C, H, W)
        images (x, y in [-1, 1] over the padded size)."""
        num = widths.shape[0]
        device = widths.device
        widths = widths.to(torch.float32)
        identity = torch.eye(3, device=device).expand(num, 3, 3)
        matrices = {}
        if 'vertical_crop' in self.op_names:
            matrices['vertical_crop'] = crop_resize_matrices(
                params['crop_top'], params['crop_bottom'], torch.full_like(widths, height), axis=1
            )
        if 'horizontal_crop' in self.op_names:
            matrices['horizontal_crop'] = crop_resize_matrices(
                params['crop_left'], params['crop_right'], widths, axis=0
            )
        if 'perspective' in self.op_names:
            matrices['perspective'] = perspective_matrices(
                params['perspective_jitter'], height, widths
            )
        # Ops g1, ..., D (piecewise), ..., gk applied in this order sample the input at
        # B_g1(... D(... B_gk(p))): the homographies B before D multiply into ``before``,
        # those after it into ``after``.
        table = torch.stack([matrices.get(name, identity) for name in self.op_names], 1)
        has_piecewise = 'piecewise_affine' in self.op_names
        if has_piecewise:
            piecewise_place = torch.where(
                self._is_active(params, 'piecewise_affine'),
                params['position'][:, self.op_names.index('piecewise_affine')],
                len(self.op_names),
            )
        else:
            piecewise_place = torch.full((num,), len(self.op_names), device=device)
        before, after = identity, identity
        rows = torch.arange(num, device=device)
        for place in range(len(self.op_names)):
            applied = (place < params['num_ops']).view(-1, 1, 1)
            step = torch.where(applied, table[rows, params['order'][:, place]], identity)
            is_before = (place < piecewise_place).view(-1, 1, 1)
            before = torch.where(is_before, before @ step, before)
            after = torch.where(is_before, after, after @ step)
        # Fold the pixel -> grid_sample normalisation into the last map.
        to_grid = affine_matrices(
            *(
                torch.full((num,), value, device=device)
                for value in (2 / width, 1 / width - 1, 2 / height, 1 / height - 1)
            )
        )
        before = to_grid @ before

        projective = 'perspective' in self.op_names
        x = torch.arange(width, device=device, dtype=torch.float32).view(1, 1, width)
        y = torch.arange(height, device=device, dtype=torch.float32).view(1, height, 1)
        if has_piecewise:
            x, y = self._piecewise_source(params, after, height, width, widths)
            x, y = apply_homographies_(before, x, y, projective=projective)
        else:
            x, y = apply_homographies(before, x, y, projective=projective)
        # Clamp to the centres of each image's first and last valid pixels: imgaug's
        # mode='edge' at the image's own border.
        x.clamp_(min=1 / width - 1).clamp_(max=((2 * widths - 1) / width - 1).view(-1, 1, 1))
        y.clamp_(min=1 / height - 1, max=1 - 1 / height)
        return torch.stack([x, y], dim=-1)

    def _compact(self, device: torch.device) -> bool:
        return self.compact if self.compact is not None else device.type == 'cpu'

    def _piecewise_source(
        self, params: Dict[str, Tensor], after: Tensor, height: int, width: int, widths: Tensor
    ) -> Tuple[Tensor, Tensor]:
        """Pixel coordinates D(after(p)) of every output pixel p, where D adds the
        piecewise-affine displacement (zero where the op is not drawn): (N, H, W) each."""
        device = widths.device
        rows, cols = params['piecewise_rows'], params['piecewise_cols']
        control = piecewise_displacements(params['piecewise_jitter'], rows, cols, height, widths)
        active = self._is_active(params, 'piecewise_affine')
        control = control * active.view(-1, 1, 1, 1)
        points = torch.arange(MAX_GRID_POINTS, device=device, dtype=torch.float32)

        def hat_weights(grid_position: Tensor) -> Tensor:
            # Linear interpolation weights of the control points: (..., MAX_GRID_POINTS).
            return (1 - (grid_position[..., None] - points).abs()).clamp_(min=0)

        # ``after`` holds crops only (x -> a x + c, y -> e y + f) for most images: the
        # field at the mapped pixel grid is then separable, Wy @ control @ Wx^T.
        x = after[:, 0, 0, None] * torch.arange(width, device=device) + after[:, 0, 2, None]
        y = after[:, 1, 1, None] * torch.arange(height, device=device) + after[:, 1, 2, None]
        weights_x = hat_weights((x / widths[:, None]).clamp(0, 1) * (cols[:, None] - 1))
        weights_y = hat_weights((y / height).clamp(0, 1) * (rows[:, None] - 1))
        displacement = weights_y[:, None] @ control @ weights_x[:, None].transpose(-1, -2)
        source_x = displacement[:, 0].add_(x[:, None, :])
        source_y = displacement[:, 1].add_(y[:, :, None])

        # A perspective warp drawn after the piecewise op couples x and y: sample the field
        # at the mapped points with grid_sample for those images.
        coupled = active & (
            after[:, 0, 1].ne(0)
            | after[:, 1, 0].ne(0)
            | after[:, 2, 0].ne(0)
            | after[:, 2, 1].ne(0)
        )
        index = (
            coupled.nonzero()[:, 0]
            if self._compact(device)
            else torch.arange(coupled.shape[0], device=device)
        )
        if index.numel() == 0:
            return source_x, source_y
        mapped_x, mapped_y = apply_homographies(
            after[index],
            torch.arange(width, device=device, dtype=torch.float32).view(1, 1, -1),
            torch.arange(height, device=device, dtype=torch.float32).view(1, -1, 1),
        )
        # Control point j sits at grid unit j; the control tensor has MAX_GRID_POINTS
        # columns, so align_corners=True maps j to 2j / (MAX - 1) - 1.
        unit = 2 / (MAX_GRID_POINTS - 1)
        grid_x = (mapped_x / widths[index].view(-1, 1, 1)).clamp_(0, 1) * (
            unit * (cols[index].view(-1, 1, 1) - 1)
        )
        grid_y = (mapped_y / height).clamp_(0, 1) * (unit * (rows[index].view(-1, 1, 1) - 1))
        grid = torch.stack([grid_x, grid_y], dim=-1) - 1
        general = F.grid_sample(
            control[index], grid, mode='bilinear', padding_mode='border', align_corners=True
        )
        mapped_x += general[:, 0]
        mapped_y += general[:, 1]
        if self._compact(device):
            source_x[index], source_y[index] = mapped_x, mapped_y
            return source_x, source_y
        mask = coupled.view(-1, 1, 1)
        return torch.where(mask, mapped_x, source_x), torch.where(mask, mapped_y, source_y)

    def _photometric_op(
        self, name: str, params: Dict[str, Tensor], widths: Optional[Tensor]
    ) -> Callable[[Tensor, Tensor], Tensor]:
        """``fn(images, index)`` applying op ``name`` with the parameters of rows ``index``."""

        def rows_of(index: Optional[Tensor]) -> Optional[Tensor]:
            return None if widths is None else widths[index]

        if name == 'linear_contrast':
            return lambda images, index: linear_contrast(images, params['contrast_alpha'][index])
        if name == 'gaussian_blur':
            max_sigma = self.ranges['gaussian_blur'][1]
            return lambda images, index: gaussian_blur(
                images, params['blur_sigma'][index], rows_of(index), max_sigma
            ).clamp_(0, 255)
        return lambda images, index: sharpen(
            images,
            params['sharpen_alpha'][index],
            params['sharpen_lightness'][index],
            rows_of(index),
        )

    def _apply_where(
        self, images: Tensor, mask: Tensor, op: Callable[[Tensor, Tensor], Tensor]
    ) -> Tensor:
        if self._compact(images.device):
            index = mask.nonzero()[:, 0]
            if index.numel() > 0:
                images[index] = op(images[index], index)
            return images
        index = torch.arange(images.shape[0], device=images.device)
        return torch.where(mask.view(-1, 1, 1, 1), op(images, index), images)

    def augment(
        self, images: Tensor, params: Dict[str, Tensor], widths: Optional[Tensor] = None
    ) -> Tensor:
        """Apply the ops drawn in ``params`` (see :meth:`sample_params`) to ``images``."""
        num, _, height, width = images.shape
        full_widths = (
            widths if widths is not None else torch.full((num,), width, device=images.device)
        )
        output = images.clone()
        n_ops = len(self.op_names)
        position = torch.where(params['active'], params['position'], n_ops)
        geometric = [self.op_names.index(name) for name in GEOMETRIC_OPS if name in self.op_names]
        photometric = [name for name in PHOTOMETRIC_OPS if name in self.op_names]

        if geometric:
            # Where the single warp stands: the vertical crop, else the first geometric op.
            anchor = position[:, geometric].min(dim=1).values
            if 'vertical_crop' in self.op_names:
                crop_place = position[:, self.op_names.index('vertical_crop')]
                anchor = torch.where(crop_place < n_ops, crop_place, anchor)
        else:
            anchor = torch.full((num,), n_ops, device=images.device)
        places = position[:, [self.op_names.index(name) for name in photometric]]
        applied = places < n_ops
        after_warp = places > anchor[:, None]
        # Slot of each photometric op: how many applied photometric ops precede it. Each
        # side of the warp runs the slots in increasing order.
        rank = (applied[:, None, :] & (places[:, None, :] < places[:, :, None])).sum(dim=2)
        ops = [self._photometric_op(name, params, widths) for name in photometric]

        def photometric_stage(images: Tensor, side: bool) -> Tensor:
            for slot in range(len(photometric)):
                for i, op in enumerate(ops):
                    mask = applied[:, i] & (after_warp[:, i] == side) & (rank[:, i] == slot)
                    images = self._apply_where(images, mask, op)
            return images

        output = photometric_stage(output, side=False)
        if geometric:
            grid = self.sampling_grid(params, height, width, full_widths)
            output = F.grid_sample(
                output, grid, mode='bilinear', padding_mode='border', align_corners=False
            )
            output = photometric_stage(output, side=True)
        if widths is not None:
            padding = torch.arange(width, device=images.device)[None] >= widths[:, None]
            output = torch.where(padding[:, None, None, :], images, output)
        return output

    def forward(self, images: Tensor, widths: Optional[Tensor] = None) -> Tensor:
        """Augment every image of a batch independently.

        Args:
            images (Tensor): (N, C, H, W) floating point, values in [0, 255] (not
                normalised), right-padded.
            widths (Tensor, optional): (N,) valid width of each image. Defaults to None
                (all W).

        Returns:
            Tensor: (N, C, H, W) augmented images in [0, 255]; columns beyond each image's
            valid width keep their input values.
        """
        if images.dim() != 4 or not images.is_floating_point():
            raise ValueError(
                'BatchSeqCLRAugment expects a floating point (N, C, H, W) '
                f'batch, got {images.dtype} of shape {tuple(images.shape)}'
            )
        num, _, height, width = images.shape
        if height < 3:
            raise ValueError(
                f'BatchSeqCLRAugment needs images at least 3 px high, got height {height}'
            )
        if widths is not None:
            if widths.shape != (num,):
                raise ValueError(
                    f'BatchSeqCLRAugment: widths must have shape ({num},), got '
                    f'{tuple(widths.shape)}'
                )
            widths = widths.to(device=images.device, dtype=torch.long)
            if not bool(((widths >= 1) & (widths <= width)).all()):
                raise ValueError(
                    'BatchSeqCLRAugment: every width must lie in [1, '
                    f'{width}], got {widths.tolist()}'
                )
        generator = self._keyed_generator(images.device) if self.training else None
        # Sampling grids and kernels are float32: run other float types through it, and keep
        # autocast (MMEngine's --amp runs the data preprocessor under it) out.
        with torch.autocast(device_type=images.device.type, enabled=False):
            params = self.sample_params(
                widths if widths is not None else torch.full((num,), width, device=images.device),
                height,
                generator,
            )
            return self.augment(images.float(), params, widths).to(images.dtype)

    def extra_repr(self) -> str:
        return f'op_names={self.op_names}, ranges={self.ranges}, seed={self.seed}'
