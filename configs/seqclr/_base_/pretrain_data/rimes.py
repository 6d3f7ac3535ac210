# Unlabelled pretraining data: RIMES words (train split; labels ignored).
_base_ = ['../../../_base_/datasets/rimes.py', 'pretrain_loaders.py']

train_dataloader = dict(dataset=dict(datasets=[_base_.rimes_textrecog_train]))
val_dataloader = dict(dataset=dict(datasets=[_base_.rimes_textrecog_val]))
