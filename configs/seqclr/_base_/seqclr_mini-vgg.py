# SeqCLR pretraining of MMOCR's CRNN encoder (MiniVGG, R = V: CRNN keeps its BiLSTM in the
# decoder) with the paper's schedule (App. D).
_base_ = [
    '../../_base_/encoders/mini-vgg.py',
    'seqclr_runtime.py',
    'schedules/schedule_adadelta_200k.py',
]

model = dict(
    type='SeqCLR',
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=None,
    representation='visual',
    instance_mapper=dict(type='WindowToInstance', num_windows=5),
    loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
    data_preprocessor=dict(type='SeqCLRDataPreprocessor', mean=[127.5], std=[127.5]))
