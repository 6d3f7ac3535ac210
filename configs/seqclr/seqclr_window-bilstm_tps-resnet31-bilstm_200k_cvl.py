# SeqCLR window-to-instance (T'=5) with a BiLSTM projection head, R = H, on the paper
# recognizer encoder (TPS + ResNet [1,2,5,3] + 2-layer BiLSTM 256), cvl data.
_base_ = [
    '../_base_/models/seqclr_tps-resnet31-bilstm.py',
    '../_base_/datasets/cvl.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]


train_dataloader = dict(dataset=dict(datasets=[_base_.cvl_textrecog_train]))

# The data has no validation split.
val_dataloader = None
val_cfg = None
val_evaluator = None
