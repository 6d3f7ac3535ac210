# SeqCLR window-to-instance (T'=5) with a BiLSTM projection head on MMOCR's ASTER encoder
# (STN + ResNet45 + ASTEREncoder, R = H, RGB input), SynthText, 400K iterations.
# The checkpoint loads into mmocr::textrecog/aster configs.
_base_ = [
    '../_base_/models/seqclr_aster-resnet45.py',
    '../_base_/datasets/synthtext.py',
    '../_base_/pipelines/pretrain_pipelines.py',
    '../_base_/schedules/schedule_adadelta_200k.py',
    '../_base_/pretrain_runtime.py',
]


# ASTER reads colour images.
train_dataloader = dict(
    dataset=dict(
        datasets=[_base_.synthtext_textrecog_train],
        pipeline=[
            dict(type='LoadImageSafe', color_type='color'),
            dict(type='Resize', scale=(100, 32), keep_ratio=False),
            dict(type='MultiView', transforms=[_base_.seqclr_augment], num_views=2),
            dict(type='PackSeqCLRInputs'),
        ],
    )
)

max_iters = 400000
train_cfg = dict(max_iters=max_iters)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[240000, 320000], gamma=0.1)]

# The data has no validation split.
val_dataloader = None
val_cfg = None
val_evaluator = None
