# ICDAR 2003 word recognition; convert with
# tools/dataset_converters/icdar_converter.py --dataset ic03 --alphanumeric 3
icdar2003_textrecog_data_root = 'data/icdar2003'

# The characters of ICDAR 2003's labels: the paper's 95 printable ASCII symbols.
# Experiment configs give it to the decoder and to the label check of the train pipeline.
icdar2003_dictionary = dict(type='BundledDictionary', dict_name='english_95')

icdar2003_textrecog_train = dict(
    type='OCRDataset',
    data_root=icdar2003_textrecog_data_root,
    ann_file='textrecog_train.json',
    pipeline=None,
)

icdar2003_textrecog_test = dict(
    type='OCRDataset',
    data_root=icdar2003_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None,
)

# Words of letters and digits only, at least 3 long (the 860/867 protocol).
icdar2003_alphanumeric_textrecog_test = dict(
    type='OCRDataset',
    data_root=icdar2003_textrecog_data_root,
    ann_file='alphanumeric_textrecog_test.json',
    test_mode=True,
    pipeline=None,
)
