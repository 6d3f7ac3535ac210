# Decoder evaluation (paper §5.1) on IAM: the supervised baseline's recognizer
# (tps-resnet31-bilstm encoder + attention decoder), schedule and data
# (supervised_attn_tps-resnet31-bilstm_50k_iam-10pct.py) on all the labels, its pretrained encoder
# frozen (no gradients, BatchNorm/Dropout in eval mode): only the decoder trains.
# Pass the pretraining checkpoint: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth
_base_ = '../supervised/supervised_attn_tps-resnet31-bilstm_50k_iam-10pct.py'

model = dict(
    type='FrozenEncoderRecognizer',
    frozen_modules=('preprocessor', 'backbone', 'encoder'),
)

train_dataloader = dict(dataset=dict(_base_.labelled_train, _delete_=True))

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
