# ICDAR 2013 word recognition (Challenge 2 Task 3); convert with
# tools/dataset_converters/icdar_converter.py --dataset ic13 --alphanumeric
icdar2013_textrecog_data_root = 'data/icdar2013'

# The characters of ICDAR 2013's labels: the paper's 95 printable ASCII symbols.
# Experiment configs give it to the decoder and to the label check of the train pipeline.
icdar2013_dictionary = dict(type='BundledDictionary', dict_name='english_95')

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
