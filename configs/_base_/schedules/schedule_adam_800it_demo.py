# The demo's decoder-evaluation schedule: 800 iterations, lr x0.1 after 60% and 80% as in
# the paper, but Adam (lr 1e-3) instead of AdaDelta: in 300 iterations on the demo corpus
# AdaDelta (lr 10) left the CTC decoder evaluations predicting empty strings (CER 1.0).
# 800: a linear CTC layer on cached frozen frames of the demo encoder (batch 32) stops
# improving after about 1000 steps at lr 1e-3 (tools' probe, README "Decoder evaluation").
# Gradient clipping as in the paper's schedule (schedule_adadelta_50k.py).
max_iters = 800

optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3), clip_grad=dict(max_norm=5)
)

train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=200)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[480, 640], gamma=0.1)]
