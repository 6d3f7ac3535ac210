from .all_to_instance import AllToInstance
from .base_instance_mapper import BaseInstanceMapper, instance_positions, window_means
from .fixed_window_to_instance import FixedWindowToInstance
from .frame_to_instance import FrameToInstance
from .window_to_instance import WindowToInstance

__all__ = [
    'BaseInstanceMapper',
    'AllToInstance',
    'WindowToInstance',
    'FrameToInstance',
    'FixedWindowToInstance',
    'instance_positions',
    'window_means',
]
