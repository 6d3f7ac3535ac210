# A CTC recognizer on MMOCR's CRNN encoder (MiniVGG; R = V): a per-frame linear layer over F = V
# (paper App. A.2) with MMOCR's CTC loss and postprocessor.

# --- Encoder (mini-vgg) ---------------------------------------------------------------------------
# MMOCR's CRNN encoder: MiniVGG on 32x100 grayscale input gives a 512 x 1 x 25 map, i.e. T = 25
# frames V of 512 channels. MMOCR's CRNN has no separate sequence model (its BiLSTM sits inside
# CRNNDecoder), so SeqCLR on CRNN uses R = V. Also in seqclr_mini-vgg.py and attn_mini-vgg.py
# (tests/test_config_layout.py checks that the copies agree), so that a pretraining checkpoint
# loads with every encoder key matched.
encoder_input_channels = 1
encoder_visual_channels = 512
encoder_contextual_channels = None
encoder_num_frames = 25

encoder_preprocessor = None
encoder_backbone = dict(type='MiniVGG', leaky_relu=False, input_channels=1)
encoder_sequence = None

# --- Recognizer ----------------------------------------------------------------------------------
model = dict(
    type='EncoderDecoderRecognizer',
    preprocessor=encoder_preprocessor,
    backbone=encoder_backbone,
    encoder=encoder_sequence,
    decoder=dict(
        type='CTCFrameDecoder',
        in_features='V',
        in_channels=encoder_visual_channels,
        # The paper's 95 symbols; experiment configs give the decoder their dataset's
        # dictionary (configs/_base_/datasets/<dataset>.py), which keeps these flags.
        dictionary=dict(
            type='BundledDictionary',
            dict_name='english_95',
            with_padding=True,
            with_unknown=True,
        ),
        module_loss=dict(type='CTCModuleLoss', letter_case='unchanged', zero_infinity=True),
        postprocessor=dict(type='CTCPostProcessor'),
    ),
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=[127.5] * encoder_input_channels,
        std=[127.5] * encoder_input_channels,
    ),
)
