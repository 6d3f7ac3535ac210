# SeqCLR window-to-instance (T'=5) with a per-frame MLP head on MMOCR's CRNN encoder
# (MiniVGG, R = V), on every image under $OWN_DATA/unlabeled/. The checkpoint (or its
# export_encoder.py output) starts configs/textrecog/crnn_mini-vgg_seqclr-init_own-data.py.
_base_ = ['_base_/seqclr_mini-vgg.py', '_base_/pretrain_data/own_data.py']

model = dict(
    head=dict(type='FrameMLPHead', in_channels=512, hidden_channels=256, out_channels=128),
    instance_mapper=dict(_delete_=True, type='WindowToInstance', num_windows=5),
)

# No validation split.
val_cfg = None
val_evaluator = None
