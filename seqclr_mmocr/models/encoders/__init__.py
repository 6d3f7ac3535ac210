from .bilstm_encoder import BiLSTMEncoder

__all__ = ['BiLSTMEncoder']
