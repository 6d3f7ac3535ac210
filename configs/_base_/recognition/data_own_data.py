# Labelled own data (configs/_base_/datasets/own_data.py) for decoder evaluation, fine-tuning
# and supervised training, with the paper's loaders (batch 256): train split for training,
# val split for model selection, test split for tools/test.py.
_base_ = ['../datasets/own_data.py', 'recog_loaders.py']

labelled_train = dict(
    type='ConcatDataset', datasets=[_base_.own_data_train], pipeline=_base_.recog_train_pipeline
)

train_dataloader = dict(dataset=labelled_train)
val_dataloader = dict(dataset=dict(datasets=[_base_.own_data_val]))
test_dataloader = dict(dataset=dict(datasets=[_base_.own_data_test]))
