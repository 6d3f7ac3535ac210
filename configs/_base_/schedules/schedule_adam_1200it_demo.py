# The demo's fine-tuning and supervised schedule: 1200 iterations of batch 32, Adam lr 1e-3, x0.1
# after 60% and 80%. Chosen from validation curves on the demo corpus (docs/experiments/demo.md): on
# a 2000-iteration schedule (lr drops at 1200 and 1600), supervised training on 5% of a 6000-word
# train split flattened after its first drop (val CER 73.8% at 1000, 70.9-71.6% from 1400 to 2000),
# as did SeqCLR fine-tuning (67.1% at 800, 65.0-65.6% from 1400). With 500 iterations (lr dropped at
# 300) supervised CTC was still on its blank plateau. Gradient clipping as in the paper's schedule
# (schedule_adadelta_50k.py).
max_iters = 1200

optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3), clip_grad=dict(max_norm=5)
)

train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=200)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[720, 960], gamma=0.1)]
