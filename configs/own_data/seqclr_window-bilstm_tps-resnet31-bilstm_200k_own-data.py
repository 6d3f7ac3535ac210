# SeqCLR pretraining on your own unlabelled images, paper-sized: window-to-instance (T'=5),
# BiLSTM head, R = H, the paper's encoder (TPS + ResNet [1,2,5,3] + 2-layer BiLSTM 256) and
# schedule (200K iterations, batch 256 per process), on every image under
# $OWN_DATA/unlabeled/.   OWN_DATA=data/my_words bash tools/dist_train.sh CONFIG 4
_base_ = [
    '../seqclr/_base_/seqclr_tps-resnet31-bilstm.py',
    '../seqclr/_base_/pretrain_data/own_data.py',
]

model = dict(
    representation='contextual',
    head=dict(type='BiLSTMProjectionHead', in_channels=256, hidden_channels=256, out_channels=256),
    instance_mapper=dict(_delete_=True, type='WindowToInstance', num_windows=5),
)

# No validation split.
val_cfg = None
val_evaluator = None
