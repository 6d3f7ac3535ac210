from .bilstm_encoder import BiLSTMEncoder
from .sequence_utils import map_to_sequence, valid_lengths

__all__ = ['BiLSTMEncoder', 'map_to_sequence', 'valid_lengths']
