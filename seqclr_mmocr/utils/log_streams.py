# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Keep a tool's standard output for its results: MMEngine's log lines go to stderr."""

import logging
import sys
from contextlib import contextmanager, redirect_stdout
from typing import Iterator, List

__all__ = ['log_to_stderr']


def _loggers() -> List[logging.Logger]:
    from mmengine.logging import MMLogger

    known = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    return [logging.root, *known, *MMLogger._instance_dict.values()]


@contextmanager
def log_to_stderr() -> Iterator[None]:
    """Within the block, ``print`` and every logging handler that writes to standard output
    (MMEngine's ``MMLogger`` does, including loggers created inside the block) write to
    standard error instead, so that the caller's own output stays machine-readable."""
    stdout = sys.stdout
    swapped = []
    for logger in _loggers():
        for handler in getattr(logger, 'handlers', []):
            if isinstance(handler, logging.StreamHandler) and handler.stream is stdout:
                handler.setStream(sys.stderr)
                swapped.append(handler)
    try:
        with redirect_stdout(sys.stderr):
            yield
    finally:
        for handler in swapped:
            handler.setStream(stdout)
