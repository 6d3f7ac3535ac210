# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""MMOCR's TPS rectification (``STN``) with its control points and grid in float32.

Under float16 autocast (``tools/train.py --amp``), MMOCR's ``TPStransform`` multiplies the
source control points by its inverse TPS kernel (entries up to about 87) and then by the
target coordinates' radial basis, in float16. Rounding the kernel to float16 loses the
cancellation that makes the product an interpolation: the sampling grid moves by pixels,
and the gradient with respect to the control points, a sum over every output pixel, exceeds
float16's range under the loss scaler's 2**16 and turns into NaN in the second product.
The control points' gradient stays large after the TPS (about 3e4 at a loss scale of 2**16
in a paper-model step), close to float16's 65504, so the localisation head's two linear
layers, which make the control points, run in float32 as well. The localisation network's
convolutions keep the autocast dtype.
"""

from typing import Tuple

import torch
from mmocr.models.textrecog.preprocessors.tps_preprocessor import STN, TPStransform
from torch import Tensor, nn


def _float32(x: Tensor) -> Tensor:
    return x if x.dtype == torch.float64 else x.float()


class Float32TPStransform(TPStransform):
    """:class:`TPStransform` whose grid and sampling always run in float32 (float64 stays
    float64) with autocast disabled. Same buffers, so checkpoints load either way."""

    def forward(self, input: Tensor, source_control_points: Tensor) -> Tensor:
        with torch.autocast(device_type=input.device.type, enabled=False):
            return super().forward(_float32(input), _float32(source_control_points))


class Float32Linear(nn.Linear):
    """:class:`torch.nn.Linear` that runs in float32 with autocast disabled. Same
    parameters, so checkpoints load either way."""

    def forward(self, input: Tensor) -> Tensor:
        with torch.autocast(device_type=input.device.type, enabled=False):
            return super().forward(_float32(input))


def _float32_tps(tps: TPStransform) -> Float32TPStransform:
    copy = Float32TPStransform(tps.output_image_size, tps.num_control_points, tps.margins)
    copy.load_state_dict(tps.state_dict())
    return copy.to(tps.inverse_kernel.device)


def _float32_linear(linear: nn.Linear) -> Float32Linear:
    copy = Float32Linear(
        linear.in_features,
        linear.out_features,
        bias=linear.bias is not None,
        device=linear.weight.device,
        dtype=linear.weight.dtype,
    )
    copy.load_state_dict(linear.state_dict())
    copy.requires_grad_(linear.weight.requires_grad)
    return copy


def keep_tps_in_float32(module: nn.Module) -> Tuple[str, ...]:
    """In every MMOCR :class:`STN` inside ``module`` (``module`` itself included), run the
    TPS and the two linear layers that make its control points in float32 under autocast.

    The submodules are replaced in place by :class:`Float32TPStransform` and
    :class:`Float32Linear` with the same parameters and buffers, so state dict keys do not
    change. Call it when the model is built, before it is wrapped for distributed training.

    Returns:
        tuple[str]: The names of the replaced submodules (empty when there is nothing to
        replace).
    """
    replaced = []
    for name, stn in list(module.named_modules()):
        if not isinstance(stn, STN):
            continue
        prefix = f'{name}.' if name else ''
        if type(stn.tps) is TPStransform:
            stn.tps = _float32_tps(stn.tps)
            replaced.append(f'{prefix}tps')
        if type(stn.stn_fc1[0]) is nn.Linear:
            stn.stn_fc1[0] = _float32_linear(stn.stn_fc1[0])
            replaced.append(f'{prefix}stn_fc1.0')
        if type(stn.stn_fc2) is nn.Linear:
            stn.stn_fc2 = _float32_linear(stn.stn_fc2)
            replaced.append(f'{prefix}stn_fc2')
    return tuple(replaced)
