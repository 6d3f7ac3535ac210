# The encoder of MMOCR's stock SAR recognizer (configs/textrecog/sar/ in MMOCR): ResNet31OCR
# with its default 3 input channels, on RGB input rescaled to height 48 (width 48-160, a
# multiple of 4) and padded to width 160, normalised with mean = std = 127. It gives a
# 512 x 6 x 40 map, i.e. T = 40 frames V of 512 channels; SAR's own sequence model (SAREncoder)
# sits in its encoder slot and is trained downstream, so SeqCLR on this backbone uses R = V.
encoder_input_channels = 3
encoder_visual_channels = 512
encoder_contextual_channels = None

encoder_preprocessor = None
encoder_backbone = dict(type='ResNet31OCR')
encoder_sequence = None

# SAR's geometry (its train and test pipelines), for the pretraining pipeline.
encoder_image_resize = [
    dict(type='RescaleToHeight', height=48, min_width=48, max_width=160, width_divisor=4),
    dict(type='PadToWidth', width=160),
]
