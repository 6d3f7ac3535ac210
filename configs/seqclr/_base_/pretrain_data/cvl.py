# Unlabelled pretraining data: CVL words (train split; labels ignored). CVL has no validation split: validation runs on a held-out slice of the test writers is left to the user, so val is off.
_base_ = ['../../../_base_/datasets/cvl.py', '../seqclr_pipelines.py']

# Per process; the paper's batch is 1024 over 4 GPUs (256 for frame-to-instance).
train_dataloader = dict(
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.cvl_textrecog_train],
        pipeline=_base_.seqclr_pretrain_pipeline))

# No validation split: experiment configs on this data also set val_cfg = val_evaluator = None.
val_dataloader = None
