# SeqCLR pretraining on your own unlabelled images, CPU-sized: the demo's pretraining
# (window-to-instance, BiLSTM head, R = H, the 0.3M-parameter encoder, 400 iterations of 64
# images, views made by the batched augmentation) on every image under $OWN_DATA/unlabeled/.
# OWN_DATA=data/my_words python tools/train.py CONFIG --work-dir work_dirs/my_pretrain
_base_ = [
    '../seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py',
    '../_base_/datasets/own_data.py',
]

train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=False,
    dataset=dict(datasets=[_base_.own_data_unlabeled]),
)
# No validation split.
val_dataloader = None
val_cfg = None
val_evaluator = None
