from .additive_attention_decoder import AdditiveAttentionDecoder
from .base_frame_decoder import BaseFrameDecoder, select_decoder_frames
from .ctc_frame_decoder import CTCFrameDecoder

__all__ = [
    'AdditiveAttentionDecoder',
    'BaseFrameDecoder',
    'CTCFrameDecoder',
    'select_decoder_frames',
]
