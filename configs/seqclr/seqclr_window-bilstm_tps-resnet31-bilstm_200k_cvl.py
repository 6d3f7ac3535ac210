# SeqCLR window-to-instance (T'=5) with a BiLSTM projection head, R = H, on the paper
# recognizer encoder (TPS + ResNet [1,2,5,3] + 2-layer BiLSTM 256), cvl data.
_base_ = ['_base_/seqclr_tps-resnet31-bilstm.py', '_base_/pretrain_data/cvl.py']

model = dict(
    representation='contextual',
    head=dict(type='BiLSTMProjectionHead', in_channels=256, hidden_channels=256, out_channels=256),
    instance_mapper=dict(_delete_=True, type='WindowToInstance', num_windows=5),
)

# The data has no validation split.
val_cfg = None
val_evaluator = None
