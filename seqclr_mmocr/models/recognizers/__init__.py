from .frozen_encoder_recognizer import FrozenEncoderRecognizer

__all__ = ['FrozenEncoderRecognizer']
