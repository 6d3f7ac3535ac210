# SeqCLR pretraining of the backbone of MMOCR's stock SAR (R = V), on RGB images rescaled and
# padded as SAR's pipelines do (experiment configs set the pipeline from encoder_image_resize), so
# that the checkpoint loads into mmocr::textrecog/sar configs. The model has window-to-instance
# mapping (T' = 5), a per-frame MLP projection head and the contrastive loss of App. D.
# Experiment configs change the head or the instance mapping; projection_channels is the width of
# the heads on this encoder.

# --- Encoder (resnet31-sar) -----------------------------------------------------------------------
# The encoder of MMOCR's stock SAR recognizer (configs/textrecog/sar/ in MMOCR): ResNet31OCR with
# its default 3 input channels, on RGB input rescaled to height 48 (width 48-160, a multiple of 4)
# and padded to width 160, normalised with mean = std = 127. It gives a 512 x 6 x 40 map, i.e. T =
# 40 frames V of 512 channels; SAR's own sequence model (SAREncoder) sits in its encoder slot and
# is trained downstream, so SeqCLR on this backbone uses R = V.
encoder_input_channels = 3
encoder_visual_channels = 512
encoder_contextual_channels = None
encoder_num_frames = 40

encoder_preprocessor = None
encoder_backbone = dict(type='ResNet31OCR')
encoder_sequence = None

# SAR's geometry (its train and test pipelines), for the pretraining pipeline.
encoder_image_resize = [
    dict(type='RescaleToHeight', height=48, min_width=48, max_width=160, width_divisor=4),
    dict(type='PadToWidth', width=160),
]

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
        mean=[127.0] * encoder_input_channels,
        std=[127.0] * encoder_input_channels,
    ),
)
