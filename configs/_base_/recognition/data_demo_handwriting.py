# Labelled DemoHW data for decoder evaluation, fine-tuning and supervised baselines:
# train split for training (demo_hw_train), val split for model selection, test split for
# tools/test.py. Experiment configs wrap ``labelled_train`` in a LabelFractionDataset.
_base_ = ['../datasets/demo_handwriting.py', 'recog_loaders.py']

labelled_train = dict(
    type='ConcatDataset', datasets=[_base_.demo_hw_train], pipeline=_base_.recog_train_pipeline
)

# CPU-sized loaders for the demo.
train_dataloader = dict(batch_size=32, num_workers=2, dataset=labelled_train)
val_dataloader = dict(batch_size=32, num_workers=1, dataset=dict(datasets=[_base_.demo_hw_val]))
test_dataloader = dict(batch_size=32, num_workers=1, dataset=dict(datasets=[_base_.demo_hw_test]))
