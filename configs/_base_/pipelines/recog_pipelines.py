# Downstream pipelines on 32x100 grayscale inputs (App. D), with the light augmentation of
# decoder evaluation and fine-tuning: light crop, linear contrast, Gaussian blur.
_base_ = ['../../seqclr/_base_/seqclr_pipelines.py']

recog_train_pipeline = [
    dict(type='LoadImageSafe', color_type='grayscale'),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='CheckTextInDictionary', dict_file='english_95', on_unknown='warn', on_empty='skip'),
    dict(type='Resize', scale=(100, 32), keep_ratio=False),
    _base_.light_finetune_augment,
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
