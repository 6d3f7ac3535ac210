# Unlabelled pretraining data: RIMES words (train split; labels ignored).
_base_ = ['../../../_base_/datasets/rimes.py', '../seqclr_pipelines.py']

# Per process; the paper's batch is 1024 over 4 GPUs (256 for frame-to-instance).
train_dataloader = dict(
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.rimes_textrecog_train],
        pipeline=_base_.seqclr_pretrain_pipeline))

# Label-free validation: contrastive loss and positive-pair retrieval on held-out images.
val_dataloader = dict(
    batch_size=256,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.rimes_textrecog_val],
        pipeline=_base_.seqclr_pretrain_pipeline))
