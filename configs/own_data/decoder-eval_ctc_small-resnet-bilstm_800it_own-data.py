# Decoder evaluation on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files with
# OWN_DATA_LABELS=json): the supervised config's CPU-sized recognizer and data
# (supervised_ctc_small-resnet-bilstm_4000it_own-data.py) with a CTC decoder trained on the frozen
# encoder, on the demo's decoder-evaluation schedule
# (configs/decoder_eval/decoder-eval_ctc_small-resnet-bilstm_800it_demo-handwriting.py: 800
# iterations of Adam 1e-3, rate x0.1 at 60% and 80%).
# Pass the encoder: --cfg-options load_from=<pretraining checkpoint or encoder.pth>
_base_ = './supervised_ctc_small-resnet-bilstm_4000it_own-data.py'

model = dict(
    type='FrozenEncoderRecognizer',
    frozen_modules=('preprocessor', 'backbone', 'encoder'),
    # Standardise the frozen frames per channel before the linear layer (a fixed affine map
    # at test time, so the decoder stays linear): without it the head of a frozen random
    # encoder, whose frames vary by ~0.003, never leaves CTC's all-blank output.
    decoder=dict(frame_norm=True),
)

optim_wrapper = dict(optimizer=dict(lr=1e-3))
max_iters = 800
train_cfg = dict(max_iters=max_iters, val_interval=200)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[480, 640], gamma=0.1)]

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
