# SeqCLR window-to-instance (T'=5) with a BiLSTM projection head; R = V (the visual frames of the
# ResNet; the BiLSTM is not trained); the paper recognizer encoder, IAM:
# seqclr_window-bilstm_tps-resnet31-bilstm_200k_iam.py with this pretext task.
_base_ = './seqclr_window-bilstm_tps-resnet31-bilstm_200k_iam.py'

model = dict(
    representation='visual',
    encoder=None,
    head=dict(in_channels=_base_.encoder_visual_channels),
)
