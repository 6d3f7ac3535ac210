# More negatives for the demo's pretraining (issue 12): the demo recipe
# (seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py) with 128 unlabelled
# images a batch (1,280 window instances, 1,278 negatives for each) instead of 64, for 1,000
# iterations: the same 128,000 images as 2,000 iterations of 64.
_base_ = [
    '../_base_/models/seqclr_small-resnet-bilstm.py',
    '../_base_/datasets/demo_handwriting.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]

model = dict(
    representation='contextual',
    head=dict(
        type='BiLSTMProjectionHead',
        in_channels=_base_.encoder_contextual_channels,
        hidden_channels=_base_.projection_channels,
        out_channels=_base_.projection_channels,
    ),
    instance_mapper=dict(_delete_=True, type='WindowToInstance', num_windows=5),
    # views made on the training device from one loaded image, the paper's ranges
    data_preprocessor=dict(view_augment=dict(type='BatchSeqCLRAugment')),
)
train_dataloader = dict(
    batch_size=128,
    num_workers=2,
    dataset=dict(datasets=[_base_.demo_hw_unlabeled], pipeline=_base_.seqclr_single_view_pipeline),
)
val_dataloader = dict(
    batch_size=100,
    num_workers=1,
    persistent_workers=False,
    dataset=dict(datasets=[_base_.demo_hw_val], pipeline=_base_.seqclr_single_view_pipeline),
)

# AdaDelta lr 1, as the demo recipe (the paper's 10 made this tiny encoder collapse).
optim_wrapper = dict(optimizer=dict(lr=1.0))

max_iters = 1000
train_cfg = dict(max_iters=max_iters, val_interval=250)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[600, 800], gamma=0.1)]
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(interval=250, max_keep_ckpts=1),
    memory_format=dict(type='ChannelsLastHook'),
)
