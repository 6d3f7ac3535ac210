# SeqCLR pretraining of the paper's recognizer encoder. The model is the paper's best pretext
# task (App. D): window-to-instance mapping (T' = 5), a BiLSTM projection head on R = H, and the
# contrastive loss. Experiment configs change the head, the representation or the instance
# mapping; projection_channels is the width of the heads on this encoder.
# --- Encoder (tps-resnet31-bilstm) ----------------------------------------------------------------
# The paper's recognizer encoder (App. D): TPS, a ResNet with [1, 2, 5, 3] basic blocks and a
# 2-layer BiLSTM with 256 hidden units, on 32x100 grayscale input. MMOCR's ResNet31OCR gives a 512
# x 4 x 25 map; pooling over the height leaves T = 25 frames V of 512 channels, and the BiLSTM
# gives H of 256 channels. Also in ctc_tps-resnet31-bilstm.py and attn_tps-resnet31-bilstm.py
# (tests/test_config_layout.py checks that the copies agree), so that a pretraining checkpoint
# loads with every encoder key matched.
encoder_input_channels = 1
encoder_visual_channels = 512
encoder_contextual_channels = 256
encoder_num_frames = 25

encoder_preprocessor = dict(
    type='STN',
    in_channels=1,
    resized_image_size=(32, 64),
    output_image_size=(32, 100),
    num_control_points=20,
)
encoder_backbone = dict(type='ResNet31OCR', base_channels=1)
encoder_sequence = dict(
    type='BiLSTMEncoder', in_channels=512, hidden_channels=256, num_layers=2, output='H'
)

projection_channels = 256

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
