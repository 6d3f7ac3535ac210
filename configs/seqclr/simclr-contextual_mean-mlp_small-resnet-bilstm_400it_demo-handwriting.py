# Table 1 (paper): the baseline "SimCLR Contextual" (paper §5) on the demo's CPU-sized encoder: as
# simclr_mean-mlp_small-resnet_400it_demo-handwriting.py, but on R = H, the BiLSTM's contextual
# frames, mean-pooled into one vector per image.
_base_ = './simclr_mean-mlp_small-resnet_400it_demo-handwriting.py'

model = dict(
    encoder=dict(_base_.encoder_sequence, _delete_=True),
    representation='contextual',
    head=dict(in_channels=_base_.encoder_contextual_channels),
)
