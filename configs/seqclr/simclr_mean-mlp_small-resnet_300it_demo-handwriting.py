# Table 1 of tools/run_demo.sh --full: the non-sequential baseline "SimCLR"
# (simclr_mean-mlp_small-resnet_400it_demo-handwriting.py) for 300 iterations, the replica's
# pretraining budget (validated twice, rate x0.1 at 60% and 80%).
_base_ = './simclr_mean-mlp_small-resnet_400it_demo-handwriting.py'

train_cfg = dict(max_iters=300, val_interval=150)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[180, 240], gamma=0.1)]
