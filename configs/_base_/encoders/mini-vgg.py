# MMOCR's CRNN encoder: MiniVGG on 32x100 grayscale input gives a 512 x 1 x 25 map, i.e.
# T = 25 frames V of 512 channels. MMOCR's CRNN has no separate sequence model (its BiLSTM
# sits inside CRNNDecoder), so SeqCLR on CRNN uses R = V.
encoder_input_channels = 1
encoder_visual_channels = 512
encoder_contextual_channels = None

encoder_preprocessor = None
encoder_backbone = dict(type='MiniVGG', leaky_relu=False, input_channels=1)
encoder_sequence = None
