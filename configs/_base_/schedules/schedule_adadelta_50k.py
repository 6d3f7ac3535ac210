# Paper App. D decoder evaluation / fine-tuning schedule: batch 256, 50K iterations, the
# pretraining optimiser and lr schedule (AdaDelta lr 10, rho 0.95, clip 5, wd 1e-4, x0.1
# after 60% and 80%).
max_iters = 50000

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adadelta', lr=10.0, rho=0.95, eps=1e-8, weight_decay=1e-4),
    clip_grad=dict(max_norm=5),
)

train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=5000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        milestones=[int(max_iters * 0.6), int(max_iters * 0.8)],
        gamma=0.1,
    )
]
