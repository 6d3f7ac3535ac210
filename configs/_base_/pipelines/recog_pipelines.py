# Pipelines and loaders of the downstream recognizers (decoder evaluation, fine-tuning,
# supervised baselines) on 32x100 grayscale inputs (App. D), with the paper's batch of 256.
# Experiment configs name their datasets (configs/_base_/datasets/) in the loaders and put
# recog_text_check, given their dataset's dictionary, first in the train pipeline.

# Decoder evaluation / fine-tuning (App. D): "light cropping, linear contrast and Gaussian
# blur". The crop ranges are our choice (the paper gives none): a quarter of the pretraining
# vertical crop (pretrain_pipelines.py), and the same 2% horizontal crop.
light_finetune_augment = dict(
    type='ImgAugNested',
    augmenter=dict(
        cls='SomeOf',
        n=(1, None),
        random_order=True,
        children=[
            dict(
                cls='Crop',
                percent=((0.0, 0.1), (0.0, 0.02), (0.0, 0.1), (0.0, 0.02)),
                keep_size=True,
            ),
            dict(cls='LinearContrast', alpha=(0.5, 1.0)),
            dict(cls='GaussianBlur', sigma=(0.5, 1.0)),
        ],
    ),
)

# Labels with a character outside the dataset's dictionary are reported and kept (they are
# read as the unknown class), empty labels are skipped. It reads the labels before the image
# is loaded, so it goes first: dict(recog_text_check, dictionary=<dataset>_dictionary).
recog_text_check = dict(type='CheckTextInDictionary', on_unknown='warn', on_empty='skip')

recog_train_pipeline = [
    dict(type='LoadImageSafe', color_type='grayscale'),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='Resize', scale=(100, 32), keep_ratio=False),
    light_finetune_augment,
    dict(
        type='PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')
    ),
]

# A stronger variant for handwriting (issue 12's writer-style experiment, our choice, not the
# paper's): the light ops plus the slant, width and perspective that differ between writers.
# Horizontal shear (slant) up to 15 degrees, narrowing to 75% of the width (never widening,
# which would crop letters off the ends), and imgaug's perspective jitter. Shear and
# perspective took 0.7 and 0.3 ms on a 32x100 image, the whole train pipeline 1.3 ms an
# image (imgaug's PiecewiseAffine, 8 ms, is left out for its cost).
writer_style_augment = dict(
    type='ImgAugNested',
    augmenter=dict(
        light_finetune_augment['augmenter'],
        children=[
            *light_finetune_augment['augmenter']['children'],
            dict(cls='ShearX', shear=(-15, 15), mode='edge'),
            dict(cls='ScaleX', scale=(0.75, 1.0), mode='edge'),
            dict(cls='PerspectiveTransform', scale=(0.01, 0.03)),
        ],
    ),
)
recog_train_pipeline_writer_style = [
    *recog_train_pipeline[:3],
    writer_style_augment,
    *recog_train_pipeline[4:],
]

recog_test_pipeline = [
    dict(type='LoadImageFromFile', color_type='grayscale'),
    dict(type='Resize', scale=(100, 32), keep_ratio=False),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')
    ),
]

# --- Loaders --------------------------------------------------------------------------------------

train_dataloader = dict(
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
)

val_dataloader = dict(
    batch_size=256,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ConcatDataset', pipeline=recog_test_pipeline),
)

test_dataloader = val_dataloader
