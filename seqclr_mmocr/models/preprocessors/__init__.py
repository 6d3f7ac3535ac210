# Copyright (c) seqclr-mmocr contributors. All rights reserved.
from .float32_tps import Float32Linear, Float32TPStransform, keep_tps_in_float32

__all__ = ['Float32Linear', 'Float32TPStransform', 'keep_tps_in_float32']
