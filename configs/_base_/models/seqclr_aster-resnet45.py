# SeqCLR pretraining of MMOCR's ASTER encoder (the checkpoint loads into mmocr::textrecog/aster
# configs). The model has window-to-instance mapping (T' = 5), a BiLSTM projection head on R = H
# and the contrastive loss of App. D. Experiment configs change the head, the representation or
# the instance mapping; projection_channels is the width of the heads on this encoder.

# --- Encoder (aster-resnet45) ---------------------------------------------------------------------
# MMOCR's ASTER encoder (textrecog/aster/_base_aster.py): STN, ResNet45 and ASTEREncoder (a 2-layer
# BiLSTM, 512 channels out) on 32x100 RGB input; T = 25 frames.
encoder_input_channels = 3
encoder_visual_channels = 512
encoder_contextual_channels = 512
encoder_num_frames = 25

encoder_preprocessor = dict(
    type='STN',
    in_channels=3,
    resized_image_size=(32, 64),
    output_image_size=(32, 100),
    num_control_points=20,
)
encoder_backbone = dict(
    type='ResNet',
    in_channels=3,
    stem_channels=[32],
    block_cfgs=dict(type='BasicBlock', use_conv1x1='True'),
    arch_layers=[3, 4, 6, 6, 3],
    arch_channels=[32, 64, 128, 256, 512],
    strides=[(2, 2), (2, 2), (2, 1), (2, 1), (2, 1)],
    init_cfg=[
        dict(type='Kaiming', layer='Conv2d'),
        dict(type='Constant', val=1, layer='BatchNorm2d'),
    ],
)
encoder_sequence = dict(type='ASTEREncoder', in_channels=512)

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
