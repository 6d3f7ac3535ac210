# SeqCLR window-to-instance (T'=5) with a BiLSTM projection head, R = H, on the paper
# recognizer encoder, SynthText: scene text trains 400K iterations (App. D).
_base_ = [
    '../_base_/models/seqclr_tps-resnet31-bilstm.py',
    '../_base_/datasets/synthtext.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]


train_dataloader = dict(dataset=dict(datasets=[_base_.synthtext_textrecog_train]))

max_iters = 400000
train_cfg = dict(max_iters=max_iters)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[240000, 320000], gamma=0.1)]

# The data has no validation split.
val_dataloader = None
val_cfg = None
val_evaluator = None
