from .pretrained_encoder_check_hook import PretrainedEncoderCheckHook

__all__ = ['PretrainedEncoderCheckHook']
