# Supervised training on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files with
# OWN_DATA_LABELS=json): the paper-sized CTC recognizer from random initialisation, the paper's
# 50K iterations at batch 256.
_base_ = [
    '../_base_/models/ctc_tps-resnet31-bilstm.py',
    '../_base_/datasets/own_data.py',
    '../_base_/pipelines/recog_pipelines.py',
    '../_base_/schedules/schedule_adadelta_50k.py',
    '../_base_/default_runtime.py',
]

model = dict(decoder=dict(dictionary=_base_.own_data_dictionary))

labelled_train = dict(
    type='ConcatDataset',
    datasets=[_base_.own_data_train],
    pipeline=[
        dict(_base_.recog_text_check, dictionary=_base_.own_data_dictionary),
        *_base_.recog_train_pipeline,
    ],
)
train_dataloader = dict(dataset=labelled_train)
val_dataloader = dict(dataset=dict(datasets=[_base_.own_data_val]))
test_dataloader = dict(dataset=dict(datasets=[_base_.own_data_test]))

val_evaluator = dict(dataset_prefixes=[_base_.own_data_name])
test_evaluator = val_evaluator

# The best validation checkpoint is picked by CER, as in the demo: it still ranks recognizers that
# read no whole word yet (word accuracy ties at 0 there, and the first tie would win).
default_hooks = dict(checkpoint=dict(save_best=f'{_base_.own_data_name}/recog/cer', rule='less'))
