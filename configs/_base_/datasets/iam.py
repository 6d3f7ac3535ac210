# IAM handwritten words; convert with tools/dataset_converters/iam_converter.py
iam_textrecog_data_root = 'data/iam'

# The characters of IAM's labels: the paper's 95 printable ASCII symbols (App. D).
# Experiment configs give it to the decoder and to the label check of the train pipeline.
iam_dictionary = dict(type='BundledDictionary', dict_name='english_95')

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
