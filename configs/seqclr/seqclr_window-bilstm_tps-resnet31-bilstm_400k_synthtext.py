# SeqCLR window-to-instance (T'=5) with a BiLSTM projection head, R = H, on the paper
# recognizer encoder, SynthText: scene text trains 400K iterations (App. D).
_base_ = ['_base_/seqclr_tps-resnet31-bilstm.py', '_base_/pretrain_data/synthtext.py']

model = dict(
    representation='contextual',
    head=dict(type='BiLSTMProjectionHead', in_channels=256, hidden_channels=256, out_channels=256),
    instance_mapper=dict(_delete_=True, type='WindowToInstance', num_windows=5),
)

max_iters = 400000
train_cfg = dict(max_iters=max_iters)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[240000, 320000], gamma=0.1)]

# The data has no validation split.
val_cfg = None
val_evaluator = None
