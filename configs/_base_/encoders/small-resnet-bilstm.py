# A CPU-sized encoder for the demo: MMOCR's generic ResNet with one basic block per stage
# (16-32-64-96-128 channels, 0.3M parameters) on 32x100 grayscale input gives a 128 x 2 x 25
# map, i.e. T = 25 frames V of 128 channels; a 2-layer BiLSTM with 128 hidden units gives H.
# The paper-size encoder is tps-resnet31-bilstm.py.
encoder_input_channels = 1
encoder_visual_channels = 128
encoder_contextual_channels = 128

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
