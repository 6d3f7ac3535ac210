# ICDAR 2013 word recognition (Challenge 2 Task 3); convert with
# tools/dataset_converters/icdar_converter.py --dataset ic13 --alphanumeric
icdar2013_textrecog_data_root = 'data/icdar2013'

icdar2013_textrecog_train = dict(
    type='OCRDataset',
    data_root=icdar2013_textrecog_data_root,
    ann_file='textrecog_train.json',
    pipeline=None,
)

icdar2013_textrecog_test = dict(
    type='OCRDataset',
    data_root=icdar2013_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None,
)

# Words of letters and digits only (the 1015-word protocol).
icdar2013_alphanumeric_textrecog_test = dict(
    type='OCRDataset',
    data_root=icdar2013_textrecog_data_root,
    ann_file='alphanumeric_textrecog_test.json',
    test_mode=True,
    pipeline=None,
)
