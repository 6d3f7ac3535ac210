# Unlabelled pretraining data: a plain folder of unlabelled images: set image_folder_data_root, e.g. --cfg-options train_dataloader.dataset.datasets.0.data_root=PATH.
_base_ = ['../../../_base_/datasets/image_folder.py', 'pretrain_loaders.py']

train_dataloader = dict(dataset=dict(datasets=[_base_.image_folder_unlabeled]))
# No validation split: experiment configs on this data also set val_cfg = val_evaluator = None.
val_dataloader = None
