# An attention recognizer on the paper's encoder: a one-layer LSTM of 256 with additive attention
# over F = H (paper App. A.3), cross-entropy.

# --- Encoder (tps-resnet31-bilstm) ----------------------------------------------------------------
# The paper's recognizer encoder (App. D): TPS, a ResNet with [1, 2, 5, 3] basic blocks and a
# 2-layer BiLSTM with 256 hidden units, on 32x100 grayscale input. MMOCR's ResNet31OCR gives a 512
# x 4 x 25 map; pooling over the height leaves T = 25 frames V of 512 channels, and the BiLSTM
# gives H of 256 channels. Also in seqclr_tps-resnet31-bilstm.py and ctc_tps-resnet31-bilstm.py
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

# --- Recognizer ----------------------------------------------------------------------------------
model = dict(
    type='EncoderDecoderRecognizer',
    preprocessor=encoder_preprocessor,
    backbone=encoder_backbone,
    encoder=encoder_sequence,
    decoder=dict(
        type='AdditiveAttentionDecoder',
        in_features='H',
        in_channels=encoder_contextual_channels,
        hidden_channels=256,
        max_seq_len=32,
        # The paper's 95 symbols; experiment configs give the decoder their dataset's
        # dictionary (configs/_base_/datasets/<dataset>.py), which keeps these flags.
        dictionary=dict(
            type='BundledDictionary',
            dict_name='english_95',
            with_start=True,
            with_end=True,
            same_start_end=True,
            with_padding=True,
            with_unknown=True,
        ),
        module_loss=dict(
            type='CEModuleLoss', flatten=True, ignore_first_char=True, reduction='mean'
        ),
        postprocessor=dict(type='AttentionPostprocessor'),
    ),
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=[127.5] * encoder_input_channels,
        std=[127.5] * encoder_input_channels,
    ),
)
