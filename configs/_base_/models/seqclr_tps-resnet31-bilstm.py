# SeqCLR pretraining of the tps-resnet31-bilstm encoder (configs/_base_/encoders/tps-resnet31-bilstm.py)
# with the paper's schedule (App. D, from seqclr_model.py). Experiment configs add a dataset,
# the instance mapping, the projection head and the representation.
_base_ = ['../../_base_/encoders/tps-resnet31-bilstm.py', 'seqclr_model.py']

model = dict(
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=_base_.encoder_sequence,
    data_preprocessor=dict(
        mean=[127.5] * _base_.encoder_input_channels, std=[127.5] * _base_.encoder_input_channels
    ),
)
