# A CTC recognizer on the demo CPU-sized encoder: a per-frame linear layer over
# F = H (paper App. A.2) with MMOCR's CTC loss and postprocessor, 95-symbol dictionary.
_base_ = ['../encoders/small-resnet-bilstm.py']

dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../seqclr_mmocr/dicts/english_95.txt',
    with_padding=True,
    with_unknown=True)

model = dict(
    type='EncoderDecoderRecognizer',
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=_base_.encoder_sequence,
    decoder=dict(
        type='CTCFrameDecoder',
        in_features='H',
        in_channels=_base_.encoder_contextual_channels,
        dictionary=dictionary,
        module_loss=dict(type='CTCModuleLoss', letter_case='unchanged', zero_infinity=True),
        postprocessor=dict(type='CTCPostProcessor')),
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=[127.5] * _base_.encoder_input_channels,
        std=[127.5] * _base_.encoder_input_channels))
