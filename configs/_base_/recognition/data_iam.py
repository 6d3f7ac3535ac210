# Labelled IAM data for decoder evaluation, fine-tuning and supervised baselines:
# train split for training (iam_textrecog_train), val split for model selection, test split for
# tools/test.py. Experiment configs wrap ``labelled_train`` in a LabelFractionDataset.
_base_ = ['../datasets/iam.py', 'recog_loaders.py']

labelled_train = dict(
    type='ConcatDataset',
    datasets=[_base_.iam_textrecog_train],
    pipeline=_base_.recog_train_pipeline,
)

train_dataloader = dict(dataset=labelled_train)
val_dataloader = dict(dataset=dict(datasets=[_base_.iam_textrecog_val]))
test_dataloader = dict(dataset=dict(datasets=[_base_.iam_textrecog_test]))
