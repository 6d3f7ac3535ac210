# Supervised baseline (paper Table 2) on 5pct of the rimes labels: the same recognizer
# (tps-resnet31-bilstm encoder + CTC decoder (per-frame linear layer)) from random initialisation.
_base_ = [
    '../_base_/models/ctc_tps-resnet31-bilstm.py',
    '../_base_/datasets/rimes.py',
    '../_base_/pipelines/recog_pipelines.py',
    '../_base_/schedules/schedule_adadelta_50k.py',
    '../_base_/default_runtime.py',
]

model = dict(decoder=dict(dictionary=_base_.rimes_dictionary))

labelled_train = dict(
    type='ConcatDataset',
    datasets=[_base_.rimes_textrecog_train],
    pipeline=[
        dict(_base_.recog_text_check, dictionary=_base_.rimes_dictionary),
        *_base_.recog_train_pipeline,
    ],
)
# The same 5pct subset (seed 0) for every method compared.
train_dataloader = dict(
    dataset=dict(type='LabelFractionDataset', fraction=0.05, seed=0, dataset=labelled_train)
)
val_dataloader = dict(dataset=dict(datasets=[_base_.rimes_textrecog_val]))
test_dataloader = dict(dataset=dict(datasets=[_base_.rimes_textrecog_test]))

val_evaluator = dict(dataset_prefixes=['RIMES'])
test_evaluator = val_evaluator
