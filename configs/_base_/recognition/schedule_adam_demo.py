# A CPU-sized downstream schedule for the demo: 300 iterations with lr x0.1 after 60% and
# 80% as in the paper, but Adam (lr 1e-3) instead of AdaDelta: in 300 iterations on the demo
# corpus AdaDelta (lr 10) left the CTC decoder evaluations predicting empty strings (CER 1.0);
# Adam reached CER 0.98 after 200 iterations of supervised training on 10% of a 2000-image
# train split.
_base_ = ['schedule_adadelta_50k.py']

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Adam', lr=1e-3))
max_iters = 300
train_cfg = dict(max_iters=max_iters, val_interval=100)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[180, 240], gamma=0.1)
]
