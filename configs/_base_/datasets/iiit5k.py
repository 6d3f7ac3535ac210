# IIIT5K-Words; convert with tools/dataset_converters/iiit5k_converter.py
iiit5k_textrecog_data_root = 'data/iiit5k'

# The characters of IIIT5K's labels: the paper's 95 printable ASCII symbols.
# Experiment configs give it to the decoder and to the label check of the train pipeline.
iiit5k_dictionary = dict(type='BundledDictionary', dict_name='english_95')

iiit5k_textrecog_train = dict(
    type='OCRDataset',
    data_root=iiit5k_textrecog_data_root,
    ann_file='textrecog_train.json',
    pipeline=None,
)

iiit5k_textrecog_test = dict(
    type='OCRDataset',
    data_root=iiit5k_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None,
)
