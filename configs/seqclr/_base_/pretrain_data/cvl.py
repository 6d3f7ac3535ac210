# Unlabelled pretraining data: CVL words (train split; labels ignored). CVL has no validation split: validation runs on a held-out slice of the test writers is left to the user, so val is off.
_base_ = ['../../../_base_/datasets/cvl.py', 'pretrain_loaders.py']

train_dataloader = dict(dataset=dict(datasets=[_base_.cvl_textrecog_train]))
# No validation split: experiment configs on this data also set val_cfg = val_evaluator = None.
val_dataloader = None
