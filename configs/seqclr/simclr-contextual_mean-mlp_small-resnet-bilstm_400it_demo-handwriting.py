# Table 1 of tools/run_demo.sh --full: the baseline "SimCLR Contextual" (paper §5) on the demo's
# CPU-sized encoder: as simclr_mean-mlp_small-resnet_400it_demo-handwriting.py, but on R = H,
# the BiLSTM's contextual frames, mean-pooled into one vector per image.
_base_ = [
    '../_base_/models/seqclr_small-resnet-bilstm.py',
    '../_base_/datasets/demo_handwriting.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]

model = dict(
    _delete_=True,
    type='SimCLR',
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=_base_.encoder_sequence,
    representation='contextual',
    pooling='mean',
    head=dict(
        type='SimCLRMLPHead',
        in_channels=_base_.encoder_contextual_channels,
        hidden_channels=2048,
        out_channels=128,
    ),
    loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
    data_preprocessor=dict(
        type='SeqCLRDataPreprocessor',
        mean=[127.5] * _base_.encoder_input_channels,
        std=[127.5] * _base_.encoder_input_channels,
    ),
)

train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(datasets=[_base_.demo_hw_unlabeled], pipeline=_base_.simclr_pretrain_pipeline),
)
val_dataloader = dict(
    batch_size=100,
    num_workers=1,
    persistent_workers=False,
    dataset=dict(datasets=[_base_.demo_hw_val], pipeline=_base_.simclr_pretrain_pipeline),
)

max_iters = 400
train_cfg = dict(max_iters=max_iters, val_interval=200)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[240, 320], gamma=0.1)]
# The small backbone's CPU steps take about a third less time in channels_last (ChannelsLastHook).
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=200, max_keep_ckpts=1),
    memory_format=dict(type='ChannelsLastHook'),
)
