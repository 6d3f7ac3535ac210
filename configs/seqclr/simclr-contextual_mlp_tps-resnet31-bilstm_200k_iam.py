# The baseline "SimCLR Contextual" (paper §5): as simclr_mlp_tps-resnet31_200k_iam.py, but on
# R = H, the BiLSTM's contextual frames of the paper recognizer encoder, flattened into one
# vector per image.
_base_ = './simclr_mlp_tps-resnet31_200k_iam.py'

model = dict(
    encoder=dict(_base_.encoder_sequence, _delete_=True),
    representation='contextual',
    # T frames x the channels of H, flattened.
    head=dict(in_channels=_base_.encoder_num_frames * _base_.encoder_contextual_channels),
)
