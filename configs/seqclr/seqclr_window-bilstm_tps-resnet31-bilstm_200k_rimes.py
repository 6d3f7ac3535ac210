# SeqCLR window-to-instance (T'=5) with a BiLSTM projection head, R = H, on the paper
# recognizer encoder (TPS + ResNet [1,2,5,3] + 2-layer BiLSTM 256), rimes data.
_base_ = [
    '../_base_/models/seqclr_tps-resnet31-bilstm.py',
    '../_base_/datasets/rimes.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]


train_dataloader = dict(dataset=dict(datasets=[_base_.rimes_textrecog_train]))
val_dataloader = dict(dataset=dict(datasets=[_base_.rimes_textrecog_val]))
