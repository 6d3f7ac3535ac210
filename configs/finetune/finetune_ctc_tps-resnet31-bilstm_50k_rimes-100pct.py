# Fine-tuning (paper §5.2) on 100pct of the rimes labels: the whole recognizer (tps-resnet31-bilstm
# encoder + CTC decoder (per-frame linear layer)) trains from the pretrained encoder.
# Pass the pretraining checkpoint: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth
# The supervised baseline's recognizer, data subset and schedule, started from the pretrained
# encoder.
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
train_dataloader = dict(dataset=labelled_train)
val_dataloader = dict(dataset=dict(datasets=[_base_.rimes_textrecog_val]))
test_dataloader = dict(dataset=dict(datasets=[_base_.rimes_textrecog_test]))

val_evaluator = dict(dataset_prefixes=['RIMES'])
test_evaluator = val_evaluator

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
