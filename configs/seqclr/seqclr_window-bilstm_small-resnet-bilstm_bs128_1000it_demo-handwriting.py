# More negatives for the demo's pretraining (issue 12): the demo recipe
# (seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py) with 128 unlabelled
# images a batch (1,280 window instances, 1,278 negatives for each) instead of 64, for 1,000
# iterations: the same 128,000 images as 2,000 iterations of 64.
_base_ = './seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py'

train_dataloader = dict(batch_size=128)

max_iters = 1000
train_cfg = dict(max_iters=max_iters, val_interval=250)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[600, 800], gamma=0.1)]
