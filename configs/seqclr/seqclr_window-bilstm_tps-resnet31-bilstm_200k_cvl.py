# SeqCLR window-to-instance (T'=5) with a BiLSTM projection head, R = H, on the paper
# recognizer encoder (TPS + ResNet [1,2,5,3] + 2-layer BiLSTM 256), cvl data.
_base_ = [
    '../_base_/models/seqclr_tps-resnet31-bilstm.py',
    '../_base_/datasets/cvl.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]

model = dict(
    representation='contextual',
    head=dict(
        type='BiLSTMProjectionHead',
        in_channels=_base_.encoder_contextual_channels,
        hidden_channels=_base_.projection_channels,
        out_channels=_base_.projection_channels,
    ),
    instance_mapper=dict(_delete_=True, type='WindowToInstance', num_windows=5),
)

train_dataloader = dict(dataset=dict(datasets=[_base_.cvl_textrecog_train]))

# The data has no validation split.
val_dataloader = None
val_cfg = None
val_evaluator = None
