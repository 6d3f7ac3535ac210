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
