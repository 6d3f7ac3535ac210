# SeqCLR pretraining of MMOCR's CRNN encoder (MiniVGG, R = V: CRNN keeps its BiLSTM in the
# decoder) with the paper's schedule (App. D).
_base_ = ['../../_base_/encoders/mini-vgg.py', 'seqclr_model.py']

model = dict(
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=None,
    representation='visual',
    data_preprocessor=dict(mean=[127.5], std=[127.5]),
)
