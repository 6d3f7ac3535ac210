# SeqCLR pretraining of the small-resnet-bilstm encoder 
# (configs/_base_/encoders/small-resnet-bilstm.py) with
# the paper's schedule (App. D). Experiment configs add a dataset, the instance mapping, the
# projection head and the representation.
_base_ = [
    '../../_base_/encoders/small-resnet-bilstm.py',
    'seqclr_runtime.py',
    'schedules/schedule_adadelta_200k.py',
]

model = dict(
    type='SeqCLR',
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=_base_.encoder_sequence,
    representation='contextual',
    instance_mapper=dict(type='WindowToInstance', num_windows=5),
    loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
    data_preprocessor=dict(
        type='SeqCLRDataPreprocessor',
        mean=[127.5] * _base_.encoder_input_channels,
        std=[127.5] * _base_.encoder_input_channels))
