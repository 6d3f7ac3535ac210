# SeqCLR window-to-instance (T'=5) with a per-frame MLP head on MMOCR's CRNN encoder
# (MiniVGG, R = V), IAM. The checkpoint loads into mmocr::textrecog/crnn configs.
_base_ = ['_base_/seqclr_mini-vgg.py', '_base_/pretrain_data/iam.py']

model = dict(
    head=dict(type='FrameMLPHead', in_channels=512, hidden_channels=256, out_channels=128),
    instance_mapper=dict(_delete_=True, type='WindowToInstance', num_windows=5),
)
