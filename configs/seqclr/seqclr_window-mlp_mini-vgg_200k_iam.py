# SeqCLR window-to-instance (T'=5) with a per-frame MLP head on MMOCR's CRNN encoder
# (MiniVGG, R = V), IAM. The checkpoint loads into mmocr::textrecog/crnn configs.
_base_ = [
    '../_base_/models/seqclr_mini-vgg.py',
    '../_base_/datasets/iam.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]


train_dataloader = dict(dataset=dict(datasets=[_base_.iam_textrecog_train]))
val_dataloader = dict(dataset=dict(datasets=[_base_.iam_textrecog_val]))
