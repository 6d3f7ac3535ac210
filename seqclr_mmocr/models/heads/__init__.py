from .bilstm_projection_head import BiLSTMProjectionHead
from .frame_mlp_head import FrameMLPHead
from .simclr_mlp_head import SimCLRMLPHead

__all__ = ['BiLSTMProjectionHead', 'FrameMLPHead', 'SimCLRMLPHead']
