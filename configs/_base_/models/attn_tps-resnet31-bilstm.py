# An attention recognizer on the paper's encoder: a one-layer LSTM of 256
# with additive attention over F = H (paper App. A.3), cross-entropy, 95-symbol dictionary.
_base_ = ['../encoders/tps-resnet31-bilstm.py', 'attn_recognizer.py']

model = dict(
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=_base_.encoder_sequence,
    decoder=dict(in_features='H', in_channels=_base_.encoder_contextual_channels),
    data_preprocessor=dict(
        mean=[127.5] * _base_.encoder_input_channels, std=[127.5] * _base_.encoder_input_channels
    ),
)
