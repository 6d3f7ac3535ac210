# SeqCLR pretraining of MMOCR's CRNN encoder (MiniVGG, R = V: CRNN keeps its BiLSTM in the
# decoder). The model has window-to-instance mapping (T' = 5), a per-frame MLP projection head and
# the contrastive loss of App. D. Experiment configs change the head or the instance mapping;
# projection_channels is the width of the heads on this encoder.

# --- Encoder (mini-vgg) ---------------------------------------------------------------------------
# MMOCR's CRNN encoder: MiniVGG on 32x100 grayscale input gives a 512 x 1 x 25 map, i.e. T = 25
# frames V of 512 channels. MMOCR's CRNN has no separate sequence model (its BiLSTM sits inside
# CRNNDecoder), so SeqCLR on CRNN uses R = V. Also in ctc_mini-vgg.py and attn_mini-vgg.py
# (tests/test_config_layout.py checks that the copies agree), so that a pretraining checkpoint
# loads with every encoder key matched.
encoder_input_channels = 1
encoder_visual_channels = 512
encoder_contextual_channels = None
encoder_num_frames = 25

encoder_preprocessor = None
encoder_backbone = dict(type='MiniVGG', leaky_relu=False, input_channels=1)
encoder_sequence = None

projection_channels = 256

# --- Algorithm ------------------------------------------------------------------------------------
model = dict(
    type='SeqCLR',
    preprocessor=encoder_preprocessor,
    backbone=encoder_backbone,
    encoder=None,
    representation='visual',
    head=dict(
        type='FrameMLPHead',
        in_channels=encoder_visual_channels,
        hidden_channels=projection_channels,
        out_channels=128,
    ),
    instance_mapper=dict(type='WindowToInstance', num_windows=5),
    loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
    data_preprocessor=dict(
        type='SeqCLRDataPreprocessor',
        mean=[127.5] * encoder_input_channels,
        std=[127.5] * encoder_input_channels,
    ),
)
