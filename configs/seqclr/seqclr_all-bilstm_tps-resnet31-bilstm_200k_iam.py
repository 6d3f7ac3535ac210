# SeqCLR all-to-instance with a BiLSTM projection head; R = H (the contextual frames of the
# BiLSTM); the paper recognizer encoder, IAM: seqclr_window-bilstm_tps-resnet31-bilstm_200k_iam.py
# with this pretext task.
_base_ = './seqclr_window-bilstm_tps-resnet31-bilstm_200k_iam.py'

model = dict(
    instance_mapper=dict(_delete_=True, type='AllToInstance'),
)
