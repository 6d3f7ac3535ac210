# SeqCLR frame-to-instance with a BiLSTM projection head; R = H (contextual frames of the BiLSTM);
# the paper recognizer encoder (TPS + ResNet [1,2,5,3] + 2-layer BiLSTM 256), IAM.
_base_ = [
    '../_base_/models/seqclr_tps-resnet31-bilstm.py',
    '../_base_/datasets/iam.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]

model = dict(
    instance_mapper=dict(_delete_=True, type='FrameToInstance'),
)

val_dataloader = dict(dataset=dict(datasets=[_base_.iam_textrecog_val]))

# Frame-to-instance makes ~26x more instances: the paper cut the batch to 256
# (64 per GPU x 4) and trained 300K iterations (App. D).
max_iters = 300000
train_cfg = dict(max_iters=max_iters)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[180000, 240000], gamma=0.1)]
train_dataloader = dict(dataset=dict(datasets=[_base_.iam_textrecog_train]), batch_size=64)
