# Unlabelled pretraining data: the demo corpus's unlabelled pool (train fonts only; its
# labels are ignored), validated label-free on the val split (other fonts).
_base_ = ['../../../_base_/datasets/demo_handwriting.py', '../seqclr_pipelines.py']

train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.demo_hw_unlabeled],
        pipeline=_base_.seqclr_pretrain_pipeline))

val_dataloader = dict(
    batch_size=100,
    num_workers=1,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.demo_hw_val],
        pipeline=_base_.seqclr_pretrain_pipeline))
