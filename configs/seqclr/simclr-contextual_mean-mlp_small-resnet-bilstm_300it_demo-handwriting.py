# Table 1 of tools/run_demo.sh --full: the baseline "SimCLR Contextual" (SimCLR on R = H,
# mean-pooled; simclr-contextual_mean-mlp_small-resnet-bilstm_400it_demo-handwriting.py) for 300
# iterations, the replica's pretraining budget (validated twice, rate x0.1 at 60% and 80%).
_base_ = './simclr_mean-mlp_small-resnet_400it_demo-handwriting.py'

model = dict(
    encoder=dict(_base_.encoder_sequence, _delete_=True),
    representation='contextual',
    head=dict(in_channels=_base_.encoder_contextual_channels),
)
train_cfg = dict(max_iters=300, val_interval=150)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[180, 240], gamma=0.1)]
