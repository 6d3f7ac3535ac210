# Decoder evaluation (paper §5.1) on iam: the pretrained tps-resnet31-bilstm encoder stays frozen
# (no gradients, BatchNorm/Dropout in eval mode) and a attention decoder (LSTM 256, additive attention) is trained on all labels.
# Pass the pretraining checkpoint: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth
_base_ = [
    '../_base_/recognizers/attn_tps-resnet31-bilstm.py',
    '../_base_/recognition/recog_runtime.py',
    '../_base_/recognition/schedule_adadelta_50k.py',
    '../_base_/recognition/data_iam.py',
]

val_evaluator = dict(dataset_prefixes=['IAM'])
test_evaluator = val_evaluator

model = dict(type='FrozenEncoderRecognizer', frozen_modules=('preprocessor', 'backbone', 'encoder'))

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
