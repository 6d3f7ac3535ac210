# SeqCLR window-to-instance (T'=5) with a per-frame MLP head on the backbone of MMOCR's stock
# SAR (ResNet31OCR on RGB 48 x <=160 padded to 160; R = V), on every image under
# $OWN_DATA/unlabeled/. The checkpoint (or its export_encoder.py output) starts
# configs/textrecog/sar_resnet31_parallel-decoder_seqclr-init_own-data.py.
_base_ = [
    '../_base_/models/seqclr_resnet31-sar.py',
    '../_base_/datasets/own_data.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]


# The paper's augmentation on SAR's input: RGB, height 48, width up to 160, padded to 160.
train_dataloader = dict(
    dataset=dict(
        datasets=[_base_.own_data_unlabeled],
        pipeline=[
            dict(type='LoadImageSafe', color_type='color'),
            *_base_.encoder_image_resize,
            dict(type='MultiView', transforms=[_base_.seqclr_augment], num_views=2),
            dict(type='PackSeqCLRInputs'),
        ],
    )
)
# No validation split.
val_dataloader = None
val_cfg = None
val_evaluator = None
