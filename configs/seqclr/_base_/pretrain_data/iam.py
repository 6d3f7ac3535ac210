# Unlabelled pretraining data: IAM words (train split; labels ignored).
_base_ = ['../../../_base_/datasets/iam.py', 'pretrain_loaders.py']

train_dataloader = dict(dataset=dict(datasets=[_base_.iam_textrecog_train]))
val_dataloader = dict(dataset=dict(datasets=[_base_.iam_textrecog_val]))
