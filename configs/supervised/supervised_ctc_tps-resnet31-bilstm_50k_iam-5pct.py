# Supervised baseline (paper Table 2) on 5pct of the iam labels: the same recognizer
# (tps-resnet31-bilstm encoder + CTC decoder (per-frame linear layer)) from random initialisation.
_base_ = [
    '../_base_/recognizers/ctc_tps-resnet31-bilstm.py',
    '../_base_/recognition/recog_runtime.py',
    '../_base_/recognition/schedule_adadelta_50k.py',
    '../_base_/recognition/data_iam.py',
]

val_evaluator = dict(dataset_prefixes=['IAM'])
test_evaluator = val_evaluator

# The same 5pct subset (seed 0) for every method compared.
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='LabelFractionDataset',
        fraction=0.05,
        seed=0,
        dataset=_base_.labelled_train,
    )
)
