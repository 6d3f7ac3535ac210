# Copyright (c) seqclr-mmocr contributors. All rights reserved.
from .distributed import gather_with_grad

__all__ = ['gather_with_grad']
