# Paper App. D pretraining schedule: AdaDelta (lr 10, rho 0.95), gradient clipping 5,
# weight decay 1e-4, lr x0.1 after 60% and 80% of the iterations; 200K iterations for
# handwriting (400K scene text; 300K/600K for frame-to-instance at batch 256).
max_iters = 200000

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adadelta', lr=10.0, rho=0.95, eps=1e-8, weight_decay=1e-4),
    clip_grad=dict(max_norm=5),
)

train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=10000)
val_cfg = dict(type='ValLoop')

param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        milestones=[int(max_iters * 0.6), int(max_iters * 0.8)],
        gamma=0.1,
    )
]
