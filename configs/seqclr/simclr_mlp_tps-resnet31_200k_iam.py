# Baseline "SimCLR" (paper §5): R = V of the paper recognizer encoder, each image's frames
# flattened into one vector, SimCLR's MLP head and augmentation, image-level contrast; IAM.
_base_ = ['_base_/seqclr_tps-resnet31-bilstm.py', '_base_/pretrain_data/iam.py']

model = dict(
    _delete_=True,
    type='SimCLR',
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=None,
    representation='visual',
    pooling='flatten',
    # 25 frames x 512 channels from a 32 x 100 input.
    head=dict(type='SimCLRMLPHead', in_channels=25 * 512, hidden_channels=2048, out_channels=128),
    loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
    data_preprocessor=dict(type='SeqCLRDataPreprocessor', mean=[127.5], std=[127.5]),
)

train_dataloader = dict(dataset=dict(pipeline=_base_.simclr_pretrain_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.simclr_pretrain_pipeline))
