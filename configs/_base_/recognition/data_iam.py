# Labelled IAM data for decoder evaluation, fine-tuning and supervised baselines:
# train split for training (iam_textrecog_train), val split for model selection, test split for
# tools/test.py. Experiment configs wrap ``labelled_train`` in a LabelFractionDataset.
_base_ = ['../datasets/iam.py', 'recog_pipelines.py']

labelled_train = dict(
    type='ConcatDataset',
    datasets=[_base_.iam_textrecog_train],
    pipeline=_base_.recog_train_pipeline)

train_dataloader = dict(
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=labelled_train)

val_dataloader = dict(
    batch_size=256,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.iam_textrecog_val],
        pipeline=_base_.recog_test_pipeline))

test_dataloader = dict(
    batch_size=256,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.iam_textrecog_test],
        pipeline=_base_.recog_test_pipeline))
