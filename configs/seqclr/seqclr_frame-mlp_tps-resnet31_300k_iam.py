# SeqCLR frame-to-instance with a per-frame MLP projection head; R = V (the visual frames of the
# ResNet; the BiLSTM is not trained); the paper recognizer encoder, IAM:
# seqclr_frame-bilstm_tps-resnet31-bilstm_300k_iam.py with this pretext task.
_base_ = './seqclr_frame-bilstm_tps-resnet31-bilstm_300k_iam.py'

model = dict(
    representation='visual',
    encoder=None,
    head=dict(type='FrameMLPHead', in_channels=_base_.encoder_visual_channels, out_channels=128),
)
