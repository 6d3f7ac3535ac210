# The paper's recognizer encoder (App. D): TPS, a ResNet with [1, 2, 5, 3] basic blocks and a
# 2-layer BiLSTM with 256 hidden units, on 32x100 grayscale input. MMOCR's ResNet31OCR gives a
# 512 x 4 x 25 map; pooling over the height leaves T = 25 frames V of 512 channels, and the
# BiLSTM gives H of 256 channels. Shared by the pretraining and downstream configs so that the
# parameter names match exactly.
encoder_input_channels = 1
encoder_visual_channels = 512
encoder_contextual_channels = 256

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
