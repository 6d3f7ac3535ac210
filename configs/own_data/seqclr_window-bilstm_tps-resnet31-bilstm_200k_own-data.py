# SeqCLR pretraining on your own unlabelled images, paper-sized: window-to-instance (T'=5),
# BiLSTM head, R = H, the paper's encoder (TPS + ResNet [1,2,5,3] + 2-layer BiLSTM 256) and
# schedule (200K iterations, batch 256 per process), on every image under
# $OWN_DATA/unlabeled/.   OWN_DATA=data/my_words bash tools/dist_train.sh CONFIG 4
_base_ = [
    '../_base_/models/seqclr_tps-resnet31-bilstm.py',
    '../_base_/datasets/own_data.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]


train_dataloader = dict(dataset=dict(datasets=[_base_.own_data_unlabeled]))
# No validation split.
val_dataloader = None
val_cfg = None
val_evaluator = None
