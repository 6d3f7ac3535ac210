# Baseline "SimCLR" (paper §5): R = V of the paper recognizer encoder, each image's frames
# flattened into one vector, SimCLR's MLP head and augmentation, image-level contrast; IAM.
_base_ = [
    '../_base_/models/seqclr_tps-resnet31-bilstm.py',
    '../_base_/datasets/iam.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]

model = dict(
    _delete_=True,
    type='SimCLR',
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=None,
    representation='visual',
    pooling='flatten',
    # T frames x the channels of V, flattened.
    head=dict(
        type='SimCLRMLPHead',
        in_channels=_base_.encoder_num_frames * _base_.encoder_visual_channels,
        hidden_channels=2048,
        out_channels=128,
    ),
    loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
    data_preprocessor=dict(type='SeqCLRDataPreprocessor', mean=[127.5], std=[127.5]),
)

train_dataloader = dict(
    dataset=dict(datasets=[_base_.iam_textrecog_train], pipeline=_base_.simclr_pretrain_pipeline)
)
val_dataloader = dict(
    dataset=dict(datasets=[_base_.iam_textrecog_val], pipeline=_base_.simclr_pretrain_pipeline)
)
