# SeqCLR all-to-instance with a BiLSTM projection head; R = H (contextual frames of the BiLSTM);
# the paper recognizer encoder (TPS + ResNet [1,2,5,3] + 2-layer BiLSTM 256), IAM.
_base_ = ['_base_/seqclr_tps-resnet31-bilstm.py', '_base_/pretrain_data/iam.py']

model = dict(
    representation='contextual',
    head=dict(type='BiLSTMProjectionHead', in_channels=256, hidden_channels=256, out_channels=256),
    instance_mapper=dict(_delete_=True, type='AllToInstance'),
)
