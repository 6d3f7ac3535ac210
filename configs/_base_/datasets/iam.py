# IAM handwritten words; convert with tools/dataset_converters/iam_converter.py
iam_textrecog_data_root = 'data/iam'

iam_textrecog_train = dict(
    type='OCRDataset',
    data_root=iam_textrecog_data_root,
    ann_file='textrecog_train.json',
    pipeline=None,
)

iam_textrecog_val = dict(
    type='OCRDataset',
    data_root=iam_textrecog_data_root,
    ann_file='textrecog_val.json',
    test_mode=True,
    pipeline=None,
)

iam_textrecog_test = dict(
    type='OCRDataset',
    data_root=iam_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None,
)
