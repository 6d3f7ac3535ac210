# Supervised baseline (paper Table 2) on 10pct of the demo-handwriting labels: the same recognizer
# (small-resnet-bilstm encoder + attention decoder (LSTM 256, additive attention)) from random initialisation.
_base_ = [
    '../_base_/recognizers/attn_small-resnet-bilstm.py',
    '../_base_/recognition/recog_runtime.py',
    '../_base_/recognition/schedule_adam_1200it_demo.py',
    '../_base_/recognition/data_demo_handwriting.py',
]

val_evaluator = dict(dataset_prefixes=['DemoHW'])
test_evaluator = val_evaluator

# The best validation checkpoint is picked by CER, which still ranks recognizers that read no
# whole word yet (word accuracy ties at 0 there, and the first tie would win).
default_hooks = dict(checkpoint=dict(save_best='DemoHW/recog/cer', rule='less'))

# The same 10pct subset (seed 0) for every method compared.
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='LabelFractionDataset',
        fraction=0.1,
        seed=0,
        dataset=_base_.labelled_train,
    )
)
