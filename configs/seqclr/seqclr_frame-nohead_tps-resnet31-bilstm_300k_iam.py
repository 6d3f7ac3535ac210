# SeqCLR frame-to-instance with no projection head; R = H (the contextual frames of the BiLSTM);
# the paper recognizer encoder, IAM: seqclr_frame-bilstm_tps-resnet31-bilstm_300k_iam.py with this
# pretext task.
_base_ = './seqclr_frame-bilstm_tps-resnet31-bilstm_300k_iam.py'

model = dict(
    head=None,
)
