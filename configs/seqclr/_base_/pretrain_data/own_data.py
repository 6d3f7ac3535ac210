# Unlabelled own data: every image under $OWN_DATA/unlabeled/ (configs/_base_/datasets/
# own_data.py), with the paper's loaders (batch 256). There is no validation split.
_base_ = ['../../../_base_/datasets/own_data.py', 'pretrain_loaders.py']

train_dataloader = dict(dataset=dict(datasets=[_base_.own_data_unlabeled]))
# No validation split: the experiment configs also set val_cfg = val_evaluator = None.
val_dataloader = None
