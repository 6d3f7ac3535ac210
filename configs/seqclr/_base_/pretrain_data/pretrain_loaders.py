# The dataset-independent part of the unlabelled pretraining loaders: samplers, workers and
# the SeqCLR pipeline. The other files here inherit it beside their dataset config and fill
# in the datasets (or set val_dataloader = None where there is no validation split).
_base_ = ['../seqclr_pipelines.py']

# Per process; the paper's batch is 1024 over 4 GPUs (256 for frame-to-instance).
train_dataloader = dict(
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='ConcatDataset', pipeline=_base_.seqclr_pretrain_pipeline),
)

# Label-free validation: contrastive loss and positive-pair retrieval on held-out images.
val_dataloader = dict(
    batch_size=256,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ConcatDataset', pipeline=_base_.seqclr_pretrain_pipeline),
)
