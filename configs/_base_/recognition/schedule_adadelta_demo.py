# A CPU-sized version of the paper's downstream schedule for the demo: the same optimiser
# and lr steps (x0.1 after 60% and 80%), 300 iterations.
_base_ = ['schedule_adadelta_50k.py']

max_iters = 300
train_cfg = dict(max_iters=max_iters, val_interval=100)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[180, 240], gamma=0.1)
]
