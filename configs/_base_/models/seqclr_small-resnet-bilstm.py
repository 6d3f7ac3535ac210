# SeqCLR pretraining of the demo's CPU-sized encoder. The model is the paper's best pretext task
# (App. D): window-to-instance mapping (T' = 5), a BiLSTM projection head on R = H, and the
# contrastive loss. Experiment configs change the head, the representation or the instance
# mapping; projection_channels is the width of the heads on this encoder.

# --- Encoder (small-resnet-bilstm) ----------------------------------------------------------------
# A CPU-sized encoder for the demo: MMOCR's generic ResNet with one basic block per stage
# (16-32-64-96-128 channels, 0.3M parameters) on 32x100 grayscale input gives a 128 x 2 x 25 map,
# i.e. T = 25 frames V of 128 channels; a 2-layer BiLSTM with 128 hidden units gives H. The
# paper-size encoder is tps-resnet31-bilstm.py. Also in ctc_small-resnet-bilstm.py and
# attn_small-resnet-bilstm.py (tests/test_config_layout.py checks that the copies agree), so that a
# pretraining checkpoint loads with every encoder key matched.
encoder_input_channels = 1
encoder_visual_channels = 128
encoder_contextual_channels = 128
encoder_num_frames = 25

encoder_preprocessor = None
encoder_backbone = dict(
    type='ResNet',
    in_channels=1,
    stem_channels=[16],
    block_cfgs=dict(type='BasicBlock', use_conv1x1='True'),
    arch_layers=[1, 1, 1, 1],
    arch_channels=[32, 64, 96, 128],
    strides=[(2, 2), (2, 2), (2, 1), (2, 1)],
)
encoder_sequence = dict(
    type='BiLSTMEncoder', in_channels=128, hidden_channels=128, num_layers=2, output='H'
)

projection_channels = 128

# --- Algorithm ------------------------------------------------------------------------------------
model = dict(
    type='SeqCLR',
    preprocessor=encoder_preprocessor,
    backbone=encoder_backbone,
    encoder=encoder_sequence,
    representation='contextual',
    head=dict(
        type='BiLSTMProjectionHead',
        in_channels=encoder_contextual_channels,
        hidden_channels=projection_channels,
        out_channels=projection_channels,
    ),
    instance_mapper=dict(type='WindowToInstance', num_windows=5),
    loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
    data_preprocessor=dict(
        type='SeqCLRDataPreprocessor',
        mean=[127.5] * encoder_input_channels,
        std=[127.5] * encoder_input_channels,
    ),
)
