# Decoder evaluation (paper §5.1) on demo-handwriting: the supervised baseline's recognizer
# (small-resnet-bilstm encoder + CTC decoder) and loaders
# (supervised_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py) on all the labels, its
# pretrained encoder frozen (no gradients, BatchNorm/Dropout in eval mode): only the decoder
# trains, 800 iterations (schedule_adam_800it_demo.py).
# Pass the encoder: --cfg-options load_from=work_dirs/<pretrain>/encoder.pth
_base_ = '../supervised/supervised_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py'

model = dict(
    type='FrozenEncoderRecognizer',
    frozen_modules=('preprocessor', 'backbone', 'encoder'),
    # Standardise the frozen frames per channel before the linear layer (a fixed affine map
    # at test time, so the decoder stays linear): without it the head of a frozen random
    # encoder, whose frames vary by ~0.003, never leaves CTC's all-blank output.
    decoder=dict(frame_norm=True),
)

train_dataloader = dict(dataset=dict(_base_.labelled_train, _delete_=True))

# The schedule of schedule_adam_800it_demo.py: 800 iterations, rate x0.1 after 60% and 80%.
max_iters = 800
train_cfg = dict(max_iters=max_iters)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[480, 640], gamma=0.1)]

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
