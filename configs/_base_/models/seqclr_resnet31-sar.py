# SeqCLR pretraining of the backbone of MMOCR's stock SAR (configs/_base_/encoders/
# resnet31-sar.py; R = V) with the paper's schedule (App. D), on RGB images rescaled and
# padded as SAR's pipelines do (experiment configs set the pipeline from encoder_image_resize),
# so that the checkpoint loads into mmocr::textrecog/sar configs.
_base_ = ['../../_base_/encoders/resnet31-sar.py', 'seqclr_model.py']

model = dict(
    preprocessor=_base_.encoder_preprocessor,
    backbone=_base_.encoder_backbone,
    encoder=None,
    representation='visual',
    data_preprocessor=dict(
        mean=[127.0] * _base_.encoder_input_channels, std=[127.0] * _base_.encoder_input_channels
    ),
)
