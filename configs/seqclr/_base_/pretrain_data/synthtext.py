# Unlabelled pretraining data: SynthText cropped words (labels ignored).
_base_ = ['../../../_base_/datasets/synthtext.py', 'pretrain_loaders.py']

train_dataloader = dict(dataset=dict(datasets=[_base_.synthtext_textrecog_train]))
# No validation split: experiment configs on this data also set val_cfg = val_evaluator = None.
val_dataloader = None
