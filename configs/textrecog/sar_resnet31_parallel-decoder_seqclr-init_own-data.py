# MMOCR's stock SAR (ResNet31OCR + SAREncoder + ParallelSARDecoder, its dictionary, RGB
# pipelines rescaled to height 48 and padded to width 160), trained on your own labels
# ($OWN_DATA, see configs/_base_/datasets/own_data.py) from a SeqCLR-pretrained ResNet31OCR:
# configs/seqclr/seqclr_window-mlp_resnet31-sar_200k_own-data.py pretrains it on the same
# input; pass its checkpoint, or better its export_encoder.py output, which stock MMOCR reads
# without this plug-in:
#   --cfg-options load_from=work_dirs/<pretrain>/encoder.pth
# The config needs no plug-in module: MMOCR's own tools/train.py runs it too.
_base_ = [
    'mmocr::textrecog/_base_/default_runtime.py',
    'mmocr::textrecog/sar/_base_sar_resnet31_parallel-decoder.py',
    '../_base_/datasets/own_data.py',
]

# The pretraining keys backbone.* match SAR's; the decoder starts from random weights.
load_from = None

# Stock SAR's Adam lr 1e-3, iteration-based (50K, x0.1 after 60% and 80%).
max_iters = 50000
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=5000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        gamma=0.1,
        milestones=[int(max_iters * 0.6), int(max_iters * 0.8)],
    )
]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=100),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=5000, max_keep_ckpts=2),
)
log_processor = dict(by_epoch=False)

train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset', datasets=[_base_.own_data_train], pipeline=_base_.train_pipeline
    ),
)
val_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset', datasets=[_base_.own_data_val], pipeline=_base_.test_pipeline
    ),
)
# The val loader on the test split.
test_dataloader = dict(
    val_dataloader, dataset=dict(val_dataloader['dataset'], datasets=[_base_.own_data_test])
)

val_evaluator = dict(dataset_prefixes=[_base_.own_data_name])
test_evaluator = val_evaluator
