# The dataset-independent part of the labelled loaders (paper App. D: batch 256): samplers,
# workers and pipelines. The files data_<dataset>.py inherit it beside their dataset config,
# define ``labelled_train`` and fill in the datasets of each split.
_base_ = ['recog_pipelines.py']

train_dataloader = dict(
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
)

val_dataloader = dict(
    batch_size=256,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ConcatDataset', pipeline=_base_.recog_test_pipeline),
)

test_dataloader = val_dataloader
