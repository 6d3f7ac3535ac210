# Pipelines and loaders of SeqCLR / SimCLR pretraining on unlabelled text images (SeqCLR,
# App. B and D). Experiment configs name their datasets (configs/_base_/datasets/) in
# train_dataloader and val_dataloader, or set val_dataloader = None where there is no
# validation split. Needs the transforms of seqclr_mmocr (custom_imports in the runtime).

# --- Augmentations ------------------------------------------------------------------------

# The paper's augmentation (App. B): a random non-empty subset, in random order, of linear
# contrast, Gaussian blur, sharpen, vertical crop, horizontal crop, piecewise affine and
# perspective. Ranges are arguments of SeqCLRAugment; its build_spec() shows the imgaug spec.
seqclr_augment = dict(type='SeqCLRAugment')

# SimCLR's augmentation (Chen et al. 2020), for the non-sequential baseline, as imgaug ops:
# - random resized crop, area scale (0.08, 1), resized back to the input size: approximated by
#   cropping each side independently by up to 36% (the smallest crop keeps 0.28 x 0.28 = 0.08
#   of the area) and resizing back; unlike torchvision's RandomResizedCrop the aspect ratio is
#   not limited to [3/4, 4/3];
# - horizontal flip with p=0.5;
# - colour jitter with p=0.8, in random order: brightness 0.4 (multiply by [0.6, 1.4]),
#   contrast 0.4, saturation 0.4, hue 0.1 (imgaug's hue value 255 is a full turn, so 0.1 turn
#   is about 26);
# - grayscale with p=0.2;
# - Gaussian blur with p=0.5, sigma in [0.1, 2.0].
# Images are BGR (cv2 loading). This version needs 3-channel images; on 1-channel images
# saturation, hue and grayscale are meaningless, so simclr_gray_augment drops them.
# The steps both versions share: crop and flip first, the blur last; the colour jitter of the
# 1-channel version keeps brightness and contrast only.
simclr_crop_flip = [
    dict(cls='Crop', percent=(0.0, 0.36), keep_size=True),
    dict(cls='Fliplr', p=0.5),
]
simclr_brightness_contrast = [
    dict(cls='Multiply', mul=(0.6, 1.4)),
    dict(cls='LinearContrast', alpha=(0.6, 1.4)),
]
simclr_blur = dict(cls='Sometimes', p=0.5, children=[dict(cls='GaussianBlur', sigma=(0.1, 2.0))])
simclr_color_augment = [
    dict(
        type='ImgAugNested',
        augmenter=dict(
            cls='Sequential',
            children=[
                *simclr_crop_flip,
                dict(
                    cls='Sometimes',
                    p=0.8,
                    children=[
                        dict(
                            cls='Sequential',
                            random_order=True,
                            children=[
                                *simclr_brightness_contrast,
                                dict(
                                    cls='MultiplySaturation', mul=(0.6, 1.4), from_colorspace='BGR'
                                ),
                                dict(cls='AddToHue', value=(-26, 26), from_colorspace='BGR'),
                            ],
                        )
                    ],
                ),
                dict(
                    cls='Sometimes',
                    p=0.2,
                    children=[dict(cls='Grayscale', alpha=1.0, from_colorspace='BGR')],
                ),
                simclr_blur,
            ],
        ),
    )
]
simclr_gray_augment = [
    dict(
        type='ImgAugNested',
        augmenter=dict(
            cls='Sequential',
            children=[
                *simclr_crop_flip,
                dict(
                    cls='Sometimes',
                    p=0.8,
                    children=[
                        dict(
                            cls='Sequential', random_order=True, children=simclr_brightness_contrast
                        )
                    ],
                ),
                simclr_blur,
            ],
        ),
    )
]
# The pretraining pipelines below load grayscale images.
simclr_augment = simclr_gray_augment

# --- Pretraining pipelines ----------------------------------------------------------------

# Images are pre-resized to 32 x 100 (App. D) before the two views are augmented.
seqclr_pretrain_pipeline = [
    dict(type='LoadImageSafe', color_type='grayscale'),
    dict(type='Resize', scale=(100, 32), keep_ratio=False),
    dict(type='MultiView', transforms=[seqclr_augment], num_views=2),
    dict(type='PackSeqCLRInputs'),
]

simclr_pretrain_pipeline = [
    dict(type='LoadImageSafe', color_type='grayscale'),
    dict(type='Resize', scale=(100, 32), keep_ratio=False),
    dict(type='MultiView', transforms=simclr_augment, num_views=2),
    dict(type='PackSeqCLRInputs'),
]

# One resized image per sample; the views are made later on the device.
seqclr_single_view_pipeline = [
    dict(type='LoadImageSafe', color_type='grayscale'),
    dict(type='Resize', scale=(100, 32), keep_ratio=False),
    dict(type='PackSeqCLRInputs'),
]

# --- Loaders --------------------------------------------------------------------------------------

# Per process; the paper's batch is 1024 over 4 GPUs (256 for frame-to-instance).
train_dataloader = dict(
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='ConcatDataset', pipeline=seqclr_pretrain_pipeline),
)

# Label-free validation: contrastive loss and positive-pair retrieval on held-out images.
val_dataloader = dict(
    batch_size=256,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ConcatDataset', pipeline=seqclr_pretrain_pipeline),
)
