# SeqCLR pretraining on your own unlabelled images, CPU-sized: the demo's pretraining
# (configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py:
# window-to-instance, BiLSTM head, R = H, the 0.3M-parameter encoder, 500 iterations of 64
# images, views made by the batched augmentation) on every image under $OWN_DATA/unlabeled/.
# OWN_DATA=data/my_words python tools/train.py CONFIG --work-dir work_dirs/my_pretrain
_base_ = [
    '../_base_/models/seqclr_small-resnet-bilstm.py',
    '../_base_/datasets/own_data.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]

model = dict(
    # Both views made on the training device from one loaded image.
    data_preprocessor=dict(view_augment=dict(type='BatchSeqCLRAugment')),
)

train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=False,
    dataset=dict(datasets=[_base_.own_data_unlabeled], pipeline=_base_.seqclr_single_view_pipeline),
)
# No validation split.
val_dataloader = None
val_cfg = None
val_evaluator = None

# AdaDelta lr 1, not the paper's 10, which made this tiny encoder collapse (see the demo config).
optim_wrapper = dict(optimizer=dict(lr=1.0))

max_iters = 500
train_cfg = dict(max_iters=max_iters, val_interval=250)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[300, 400], gamma=0.1)]
# The small backbone's CPU steps take about a third less time in channels_last (ChannelsLastHook).
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(interval=250, max_keep_ckpts=1),
    memory_format=dict(type='ChannelsLastHook'),
)
