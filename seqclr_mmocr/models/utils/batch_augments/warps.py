"""The geometric ops of the batched SeqCLR augmentation as backward maps (warps).

Crops and the perspective transform are (N, 3, 3) homographies taking an output pixel to
the input pixel it samples (pixel centres at integers); the piecewise affine transform is a
displacement field on a grid of control points. :class:`BatchSeqCLRAugment` composes them
into one sampling grid per image.
"""

from typing import Optional, Tuple

import torch
from torch import Tensor

# imgaug's PiecewiseAffine defaults: nb_rows = nb_cols = DiscreteUniform(2, 4).
MIN_GRID_POINTS, MAX_GRID_POINTS = 2, 4


def affine_matrices(scale_x: Tensor, shift_x: Tensor, scale_y: Tensor, shift_y: Tensor) -> Tensor:
    """(N, 3, 3) matrices of ``x -> scale_x * x + shift_x``, ``y -> scale_y * y + shift_y``."""
    matrices = torch.zeros(scale_x.shape[0], 3, 3, device=scale_x.device, dtype=scale_x.dtype)
    matrices[:, 0, 0], matrices[:, 0, 2] = scale_x, shift_x
    matrices[:, 1, 1], matrices[:, 1, 2] = scale_y, shift_y
    matrices[:, 2, 2] = 1
    return matrices


def crop_resize_matrices(first: Tensor, last: Tensor, size: Tensor, axis: int) -> Tensor:
    """Backward maps (output pixel -> input pixel, pixel centres at integers) of cropping
    ``first`` and ``last`` pixels off an axis of length ``size`` and resizing back with
    OpenCV's half-pixel-centre convention (imgaug's ``Crop(keep_size=True)``).

    ``axis`` 0 is x (left, right), 1 is y (top, bottom). All arguments are (N,) tensors.
    """
    scale = (size - first - last) / size
    shift = first + 0.5 * scale - 0.5
    ones, zeros = torch.ones_like(scale), torch.zeros_like(scale)
    if axis == 0:
        return affine_matrices(scale, shift, ones, zeros)
    return affine_matrices(ones, zeros, scale, shift)


def square_to_quad_matrices(quads: Tensor) -> Tensor:
    """Homographies (N, 3, 3) taking the unit square's corners (0, 0), (1, 0), (1, 1),
    (0, 1) to the quadrilaterals' corners ``quads`` (N, 4, 2), in that order (Heckbert's
    closed form; no linear solve)."""
    x0, x1, x2, x3 = quads[..., 0].unbind(1)
    y0, y1, y2, y3 = quads[..., 1].unbind(1)
    dx1, dx2, dx3 = x1 - x2, x3 - x2, x0 - x1 + x2 - x3
    dy1, dy2, dy3 = y1 - y2, y3 - y2, y0 - y1 + y2 - y3
    det = dx1 * dy2 - dx2 * dy1
    g = (dx3 * dy2 - dx2 * dy3) / det
    h = (dx1 * dy3 - dx3 * dy1) / det
    first_row = torch.stack([x1 - x0 + g * x1, x3 - x0 + h * x3, x0], dim=1)
    second_row = torch.stack([y1 - y0 + g * y1, y3 - y0 + h * y3, y0], dim=1)
    third_row = torch.stack([g, h, torch.ones_like(g)], dim=1)
    return torch.stack([first_row, second_row, third_row], dim=1)


def perspective_matrices(jitter: Tensor, height: int, widths: Tensor) -> Tensor:
    """Backward maps (N, 3, 3) of imgaug's ``PerspectiveTransform(keep_size=True,
    fit_output=False)`` for its corner jitter (N, 4, 2) (x, y fractions).

    As imgaug draws it: the corners move inwards by ``|jitter| mod 1`` of the image size;
    the quadrilateral is warped onto a ``max_width x max_height`` rectangle (the longer of
    its opposite sides, floored) and resized back to the image size. imgaug's widening of
    quadrilaterals under 2 px and its re-sorting of the corners never act at SeqCLR's
    scales (corners move by a few percent) and are left out.
    """
    size = torch.stack(
        [widths.to(jitter.dtype), torch.full_like(widths, height, dtype=jitter.dtype)], 1
    )
    inset = torch.remainder(jitter.abs(), 1.0)
    # Corners tl, tr, br, bl: the right ones count x from the right, the bottom ones y
    # from the bottom.
    from_far_side = torch.tensor(
        [[0, 0], [1, 0], [1, 1], [0, 1]], device=jitter.device, dtype=torch.bool
    )
    quads = torch.where(from_far_side, 1.0 - inset, inset) * size[:, None]
    tl, tr, br, bl = quads.unbind(1)
    max_width = torch.maximum((tr - tl).norm(dim=1), (br - bl).norm(dim=1)).floor()
    max_height = torch.maximum((tr - br).norm(dim=1), (tl - bl).norm(dim=1)).floor()
    # Output pixel x -> pixel of the warped rectangle (x + 0.5) * max_width / w - 0.5 ->
    # unit-square coordinate (that pixel) / max_width.
    to_unit_square = affine_matrices(
        1 / size[:, 0],
        0.5 / size[:, 0] - 0.5 / max_width,
        1 / size[:, 1],
        0.5 / size[:, 1] - 0.5 / max_height,
    )
    return square_to_quad_matrices(quads) @ to_unit_square


def piecewise_displacements(
    jitter: Tensor, rows: Tensor, cols: Tensor, height: int, widths: Tensor
) -> Tensor:
    """Displacements (N, 2, MAX_GRID_POINTS, MAX_GRID_POINTS) in pixels (x, y channels) of
    imgaug's ``PiecewiseAffine`` control points.

    As imgaug places them: ``rows x cols`` points at ``linspace(0, H, rows)`` and
    ``linspace(0, W, cols)``, each moved by ``jitter * (H, W)`` (jitter (N, MAX, MAX, 2),
    (y, x) fractions), clipped to ``[0, H - 1] x [0, W - 1]``. Entries beyond a sample's
    ``rows`` and ``cols`` are unused.
    """
    index = torch.arange(MAX_GRID_POINTS, device=jitter.device, dtype=jitter.dtype)
    widths = widths.to(jitter.dtype)
    ys = index[None] * height / (rows.to(jitter.dtype)[:, None] - 1)  # (N, MAX)
    xs = index[None] * widths[:, None] / (cols.to(jitter.dtype)[:, None] - 1)
    moved_y = (ys[:, :, None] + jitter[..., 0] * height).clamp(0, height - 1)
    moved_x = torch.minimum(
        (xs[:, None, :] + jitter[..., 1] * widths[:, None, None]).clamp(min=0),
        widths[:, None, None] - 1,
    )
    return torch.stack([moved_x - xs[:, None, :], moved_y - ys[:, :, None]], dim=1)


def apply_homographies(
    matrices: Tensor,
    x: Tensor,
    y: Tensor,
    out: Optional[Tuple[Tensor, Tensor]] = None,
    projective: bool = True,
) -> Tuple[Tensor, Tensor]:
    """Map pixel coordinates ``x``, ``y`` (broadcastable to (N, H, W)) by (N, 3, 3)
    matrices; into ``out`` when given. ``projective=False`` skips the division, for
    matrices whose last row is (0, 0, 1)."""
    m = matrices[:, :, :, None, None]
    if out is None:
        shape = torch.broadcast_shapes(x.shape, y.shape, (matrices.shape[0], 1, 1))
        out = (x.new_empty(shape), x.new_empty(shape))
    for row, result in enumerate(out):
        torch.addcmul(torch.addcmul(m[:, row, 2], m[:, row, 1], y), m[:, row, 0], x, out=result)
    if projective:
        denominator = torch.addcmul(torch.addcmul(m[:, 2, 2], m[:, 2, 1], y), m[:, 2, 0], x)
        for result in out:
            result.div_(denominator)
    return out


def apply_homographies_(
    matrices: Tensor, x: Tensor, y: Tensor, projective: bool = True
) -> Tuple[Tensor, Tensor]:
    """In-place :func:`apply_homographies` for full (N, H, W) ``x`` and ``y`` (on the CPU,
    every fresh full-size buffer costs page faults; this saves two of three)."""
    m = matrices[:, :, :, None, None]
    denominator = (
        torch.addcmul(m[:, 2, 2], m[:, 2, 1], y).addcmul_(m[:, 2, 0], x) if projective else None
    )
    new_x = torch.addcmul(m[:, 0, 2], m[:, 0, 1], y).addcmul_(m[:, 0, 0], x)
    y.mul_(m[:, 1, 1]).addcmul_(m[:, 1, 0], x).add_(m[:, 1, 2])
    if projective:
        new_x.div_(denominator)
        y.div_(denominator)
    return new_x, y
