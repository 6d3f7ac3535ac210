# Fine-tuning on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files with
# OWN_DATA_LABELS=json): the supervised config's paper-sized attention recognizer, the paper's
# 50K iterations at batch 256, started from a SeqCLR encoder: --cfg-options
# load_from=<pretraining checkpoint or encoder.pth>
_base_ = [
    '../_base_/models/attn_tps-resnet31-bilstm.py',
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

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
