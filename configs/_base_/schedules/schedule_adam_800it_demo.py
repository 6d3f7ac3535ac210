# The demo's decoder-evaluation schedule: 800 iterations, lr x0.1 after 60% and 80% as in
# the paper, but Adam (lr 1e-3) instead of AdaDelta: in 300 iterations on the demo corpus
# AdaDelta (lr 10) left the CTC decoder evaluations predicting empty strings (CER 1.0).
# 800: a linear CTC layer on cached frozen frames of the demo encoder (batch 32) stops
# improving after about 1000 steps at lr 1e-3 (tools' probe, README "Decoder evaluation").
_base_ = ['schedule_adadelta_50k.py']

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Adam', lr=1e-3))
max_iters = 800
train_cfg = dict(max_iters=max_iters, val_interval=200)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[480, 640], gamma=0.1)]
