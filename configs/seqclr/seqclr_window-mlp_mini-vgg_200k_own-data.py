# SeqCLR window-to-instance (T'=5) with a per-frame MLP head on MMOCR's CRNN encoder
# (MiniVGG, R = V), on every image under $OWN_DATA/unlabeled/. The checkpoint (or its
# export_encoder.py output) starts configs/textrecog/crnn_mini-vgg_seqclr-init_own-data.py.
_base_ = [
    '../_base_/models/seqclr_mini-vgg.py',
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
