# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""The TPS transform of MMOCR's ``STN`` computed in float32 under autocast.

Under float16 autocast, MMOCR's ``TPStransform`` multiplies the source control points by
its inverse TPS kernel (entries up to about 87) and then by the target coordinates' radial
basis in float16. The rounding of the kernel loses the cancellation that makes the product
an interpolation: the sampling grid moves by pixels, and the gradient with respect to the
control points sums thousands of scaled grid gradients, which overflows float16 under a
loss scaler of 2**16 and turns into NaN in the second product. Only this part needs float32;
the localisation network's convolutions keep running in the autocast dtype.
"""

from typing import Tuple

import torch
from mmocr.models.textrecog.preprocessors.tps_preprocessor import TPStransform
from torch import Tensor, nn


class Float32TPStransform(TPStransform):
    """:class:`TPStransform` whose grid and sampling always run in float32 (float64 stays
    float64), with autocast disabled; the output is in the input's dtype.

    Same buffers as :class:`TPStransform`, so checkpoints load either way.
    """

    def forward(self, input: Tensor, source_control_points: Tensor) -> Tensor:
        dtype = torch.float64 if input.dtype == torch.float64 else torch.float32
        with torch.autocast(device_type=input.device.type, enabled=False):
            output = super().forward(input.to(dtype), source_control_points.to(dtype))
        return output.to(input.dtype)


def _float32_copy(tps: TPStransform) -> Float32TPStransform:
    copy = Float32TPStransform(tps.output_image_size, tps.num_control_points, tps.margins)
    copy.load_state_dict(tps.state_dict())
    return copy.to(tps.inverse_kernel.device)


def keep_tps_in_float32(module: nn.Module) -> Tuple[str, ...]:
    """Replace every MMOCR :class:`TPStransform` inside ``module`` by a
    :class:`Float32TPStransform` with the same buffers, in place.

    Call it before the model is wrapped for distributed training. Returns the names of the
    replaced submodules (empty when the model has no TPS).
    """
    replaced = []
    for name, parent in list(module.named_modules()):
        for child_name, child in list(parent.named_children()):
            if type(child) is TPStransform:
                setattr(parent, child_name, _float32_copy(child))
                replaced.append(f'{name}.{child_name}' if name else child_name)
    return tuple(replaced)
