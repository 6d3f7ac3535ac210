# Decoder evaluation (paper §5.1) on RIMES: the supervised baseline's recognizer
# (tps-resnet31-bilstm encoder + CTC decoder), schedule and data
# (supervised_ctc_tps-resnet31-bilstm_50k_rimes-10pct.py) on all the labels, its pretrained
# encoder frozen (no gradients, BatchNorm/Dropout in eval mode): only the decoder trains.
# Pass the pretraining checkpoint: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth
_base_ = '../supervised/supervised_ctc_tps-resnet31-bilstm_50k_rimes-10pct.py'

model = dict(
    type='FrozenEncoderRecognizer',
    frozen_modules=('preprocessor', 'backbone', 'encoder'),
    # Standardise the frozen frames per channel before the linear layer (a fixed affine map
    # at test time, so the decoder stays linear): without it the head of a frozen random
    # encoder, whose frames vary by ~0.003, never leaves CTC's all-blank output.
    decoder=dict(frame_norm=True),
)

train_dataloader = dict(dataset=dict(_base_.labelled_train, _delete_=True))

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
