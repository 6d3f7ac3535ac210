# Unlabelled pretraining data: a plain folder of unlabelled images: set image_folder_data_root, e.g. --cfg-options train_dataloader.dataset.datasets.0.data_root=PATH.
_base_ = ['../../../_base_/datasets/image_folder.py', '../seqclr_pipelines.py']

# Per process; the paper's batch is 1024 over 4 GPUs (256 for frame-to-instance).
train_dataloader = dict(
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.image_folder_unlabeled],
        pipeline=_base_.seqclr_pretrain_pipeline))

# No validation split: experiment configs on this data also set val_cfg = val_evaluator = None.
val_dataloader = None
