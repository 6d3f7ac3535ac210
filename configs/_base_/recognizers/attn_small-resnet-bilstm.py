# An attention recognizer on the demo CPU-sized encoder: a one-layer LSTM of 256
# with additive attention over F = H (paper App. A.3), cross-entropy, 95-symbol dictionary.
_base_ = ['../encoders/small-resnet-bilstm.py']

dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../seqclr_mmocr/dicts/english_95.txt',
    with_start=True,
    with_end=True,
    same_start_end=True,
    with_padding=True,
    with_unknown=True)

model = dict(
    type='EncoderDecoderRecognizer',
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=_base_.encoder_sequence,
    decoder=dict(
        type='AdditiveAttentionDecoder',
        in_features='H',
        in_channels=_base_.encoder_contextual_channels,
        hidden_channels=256,
        max_seq_len=32,
        dictionary=dictionary,
        module_loss=dict(
            type='CEModuleLoss', flatten=True, ignore_first_char=True, reduction='mean'),
        postprocessor=dict(type='AttentionPostprocessor')),
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=[127.5] * _base_.encoder_input_channels,
        std=[127.5] * _base_.encoder_input_channels))
