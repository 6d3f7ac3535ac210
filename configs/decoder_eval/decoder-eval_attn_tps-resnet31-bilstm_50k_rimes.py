# Decoder evaluation (paper §5.1) on rimes: the pretrained tps-resnet31-bilstm encoder stays frozen
# (no gradients, BatchNorm/Dropout in eval mode) and a attention decoder (LSTM 256, additive
# attention) is trained on all labels.
# Pass the pretraining checkpoint: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth
_base_ = [
    '../_base_/models/attn_tps-resnet31-bilstm.py',
    '../_base_/datasets/rimes.py',
    '../_base_/pipelines/recog_pipelines.py',
    '../_base_/schedules/schedule_adadelta_50k.py',
    '../_base_/default_runtime.py',
]

model = dict(
    type='FrozenEncoderRecognizer',
    frozen_modules=('preprocessor', 'backbone', 'encoder'),
    decoder=dict(dictionary=_base_.rimes_dictionary),
)

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
