"""The photometric ops of the batched SeqCLR augmentation, as imgaug 0.4.0 computes them.

Each op works on float (N, C, H, W) images in [0, 255]; where ``widths`` is given, borders
are mirrored at each image's own valid width, so that right padding never leaks in.
"""

from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

# imgaug's LinearContrast centre for uint8 images: int(127.5).
CONTRAST_CENTRE = 127.0


def imgaug_blur_kernel_size(sigma: Tensor) -> Tensor:
    """Kernel size imgaug's ``blur_gaussian_`` gives ``cv2.GaussianBlur`` for ``sigma``
    (``_compute_gaussian_blur_ksize``, made odd), elementwise."""
    size = torch.where(sigma < 3.0, 3.3 * sigma, torch.where(sigma < 5.0, 2.9 * sigma, 2.6 * sigma))
    size = torch.clamp(size, min=5.0).floor()
    return size + (size.remainder(2) == 0).to(size.dtype)


def gaussian_kernels(sigma: Tensor, radius: int) -> Tensor:
    """One normalised 1-D Gaussian kernel per sigma, as ``cv2.getGaussianKernel`` with
    imgaug's kernel size, zero-padded to ``2 * radius + 1`` taps: (N, 2 * radius + 1)."""
    taps = torch.arange(-radius, radius + 1, device=sigma.device, dtype=sigma.dtype)
    weights = torch.exp(-(taps[None] ** 2) / (2 * sigma[:, None] ** 2))
    own_radius = (imgaug_blur_kernel_size(sigma) - 1) / 2
    weights = weights * (taps[None].abs() <= own_radius[:, None])
    return weights / weights.sum(dim=1, keepdim=True)


def reflect_pad(images: Tensor, pad: int, widths: Optional[Tensor] = None) -> Tensor:
    """Pad (N, C, H, W) images by ``pad`` pixels on every side, mirroring without repeating
    the edge (``cv2.BORDER_REFLECT_101``). Columns are mirrored at each image's own valid
    width ``widths`` (N,) rather than at W, so that padding columns never leak in; what
    lands beyond the valid width is garbage to be discarded."""
    num, _, height, width = images.shape
    if pad >= height:
        raise ValueError(
            f'images of height {height} are too small for a {2 * pad + 1}-tap '
            'filter with reflected borders'
        )
    if widths is None:
        images = F.pad(images, (pad, pad, 0, 0), mode='reflect')
    else:
        columns = torch.arange(-pad, width + pad, device=images.device).abs()[None]
        last = (widths.to(columns.dtype) - 1)[:, None]
        columns = torch.where(columns > last, 2 * last - columns, columns)
        columns = columns.clamp(0, width - 1)
        index = columns[:, None, None, :].expand(num, images.shape[1], height, -1)
        images = torch.gather(images, 3, index)
    return F.pad(images, (0, 0, pad, pad), mode='reflect')


def gaussian_blur(
    images: Tensor,
    sigma: Tensor,
    widths: Optional[Tensor] = None,
    max_sigma: Optional[float] = None,
) -> Tensor:
    """imgaug's ``GaussianBlur``: a separable Gaussian per image, sigma (N,), with imgaug's
    kernel size and ``BORDER_REFLECT_101``. ``max_sigma`` bounds ``sigma`` (it sets the
    common tap count; by default it is read from ``sigma``, which syncs a GPU)."""
    if max_sigma is None:
        max_sigma = float(sigma.max())
    radius = int(imgaug_blur_kernel_size(torch.tensor([float(max_sigma)])).item()) // 2
    kernels = gaussian_kernels(sigma.to(images.dtype), radius)[:, :, None, None, None]
    width, height = images.shape[-1], images.shape[-2]
    padded = reflect_pad(images, radius, widths)
    rows = padded[..., 0:width] * kernels[:, 0]
    for tap in range(1, 2 * radius + 1):
        rows.addcmul_(padded[..., tap : tap + width], kernels[:, tap])
    blurred = rows[..., 0:height, :] * kernels[:, 0]
    for tap in range(1, 2 * radius + 1):
        blurred.addcmul_(rows[..., tap : tap + height, :], kernels[:, tap])
    return blurred


def sharpen(
    images: Tensor, alpha: Tensor, lightness: Tensor, widths: Optional[Tensor] = None
) -> Tensor:
    """imgaug's ``Sharpen``: the 3x3 kernel ``(1 - alpha) * identity + alpha * [[-1, -1, -1],
    [-1, 8 + lightness, -1], [-1, -1, -1]]`` (``cv2.filter2D``, ``BORDER_REFLECT_101``),
    clipped to [0, 255]. The kernel equals ``(1 + alpha * (8 + lightness)) * identity -
    alpha * ones(3, 3)``, so it runs as a scaled image minus a scaled 3x3 box sum."""
    width, height = images.shape[-1], images.shape[-2]
    padded = reflect_pad(images, 1, widths)
    rows = padded[..., 0:width] + padded[..., 1 : width + 1]
    rows += padded[..., 2 : width + 2]
    box = rows[..., 0:height, :] + rows[..., 1 : height + 1, :]
    box += rows[..., 2 : height + 2, :]
    alpha = alpha.to(images.dtype).view(-1, 1, 1, 1)
    centre = 1 + alpha * (8 + lightness.to(images.dtype).view(-1, 1, 1, 1))
    return box.mul_(-alpha).addcmul_(images, centre).clamp_(0, 255)


def linear_contrast(images: Tensor, alpha: Tensor) -> Tensor:
    """imgaug's ``LinearContrast`` on uint8 images: ``127 + alpha * (v - 127)``, clipped."""
    alpha = alpha.to(images.dtype).view(-1, 1, 1, 1)
    return (CONTRAST_CENTRE + alpha * (images - CONTRAST_CENTRE)).clamp_(0, 255)
