# The demo's pretraining: SeqCLR window-to-instance (T'=5) with a BiLSTM projection head,
# R = H, on the CPU-sized encoder, 500 iterations of 64 unlabelled demo images (about 8 min
# on one core: what the demo's 20 minutes leave it).
# Views are made by the batched augmentation in the data preprocessor (the same op set and
# ranges as the imgaug SeqCLRAugment); drop the data_preprocessor and the two pipeline=
# arguments marked "batched path" to use the imgaug pipeline instead.
_base_ = [
    '../_base_/models/seqclr_small-resnet-bilstm.py',
    '../_base_/datasets/demo_handwriting.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]

model = dict(
    # batched path: both views made on the training device from one loaded image
    data_preprocessor=dict(view_augment=dict(type='BatchSeqCLRAugment')),
)
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        datasets=[_base_.demo_hw_unlabeled],
        # batched path: the pipelines load and resize one image per sample
        pipeline=_base_.seqclr_single_view_pipeline,
    ),
)
val_dataloader = dict(
    batch_size=100,
    num_workers=1,
    persistent_workers=False,
    # batched path
    dataset=dict(datasets=[_base_.demo_hw_val], pipeline=_base_.seqclr_single_view_pipeline),
)

# The paper's AdaDelta lr of 10 made this tiny encoder collapse within 250 iterations
# (grad norm 0.006, loss flat at 4.845, retrieval accuracy 1-2%); lr 1 keeps it learning.
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
