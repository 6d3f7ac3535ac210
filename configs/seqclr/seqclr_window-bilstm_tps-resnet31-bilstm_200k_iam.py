# SeqCLR window-to-instance with a BiLSTM projection head; R = H (contextual frames of the BiLSTM);
# the paper recognizer encoder (TPS + ResNet [1,2,5,3] + 2-layer BiLSTM 256), IAM.
_base_ = [
    '../_base_/models/seqclr_tps-resnet31-bilstm.py',
    '../_base_/datasets/iam.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]


train_dataloader = dict(dataset=dict(datasets=[_base_.iam_textrecog_train]))
val_dataloader = dict(dataset=dict(datasets=[_base_.iam_textrecog_val]))
