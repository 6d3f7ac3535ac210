from .additive_attention_decoder import AdditiveAttentionDecoder
from .ctc_frame_decoder import CTCFrameDecoder, select_decoder_frames

__all__ = ['AdditiveAttentionDecoder', 'CTCFrameDecoder', 'select_decoder_frames']
