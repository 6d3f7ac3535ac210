# MMOCR's stock CRNN (MiniVGG + CTC) trained from scratch on the demo corpus: the smallest
# end-to-end check that the plug-in trains through MMOCR's own runner on CPU.
_base_ = [
    'mmocr::textrecog/_base_/default_runtime.py',
    'mmocr::textrecog/crnn/_base_crnn_mini-vgg.py',
    '../_base_/datasets/demo_handwriting.py',
]

custom_imports = dict(imports=['seqclr_mmocr'], allow_failed_imports=False)
default_scope = 'mmocr'

train_cfg = dict(type='IterBasedTrainLoop', max_iters=300, val_interval=100)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adadelta', lr=1.0))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=20),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=100, max_keep_ckpts=2),
)
log_processor = dict(by_epoch=False)

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset', datasets=[_base_.demo_hw_train], pipeline=_base_.train_pipeline
    ),
)
val_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset', datasets=[_base_.demo_hw_val], pipeline=_base_.test_pipeline
    ),
)
# The val loader on the test split.
test_dataloader = dict(
    val_dataloader, dataset=dict(val_dataloader['dataset'], datasets=[_base_.demo_hw_test])
)

_base_.model.decoder.dictionary.update(dict(with_unknown=True, unknown_token=None))
val_evaluator = dict(dataset_prefixes=['DemoHW'])
test_evaluator = val_evaluator
