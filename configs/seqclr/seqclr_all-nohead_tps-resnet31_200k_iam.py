# SeqCLR all-to-instance with no projection head; R = V (visual frames of the ResNet; no sequence model during pretraining);
# the paper recognizer encoder (TPS + ResNet [1,2,5,3] + 2-layer BiLSTM 256), IAM.
_base_ = ['_base_/seqclr_tps-resnet31-bilstm.py', '_base_/pretrain_data/iam.py']

model = dict(
    representation='visual',
    encoder=None,
    head=None,
    instance_mapper=dict(_delete_=True, type='AllToInstance'),
)
