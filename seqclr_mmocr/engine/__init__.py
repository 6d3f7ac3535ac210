"""Hooks and loops (registered in MMOCR's HOOKS and LOOPS)."""

from .hooks import *  # noqa: F401,F403
