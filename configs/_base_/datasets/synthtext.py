# Cropped SynthText words; convert with
# tools/dataset_converters/synthtext_converter.py --alphanumeric
synthtext_textrecog_data_root = 'data/synthtext'

# The characters of SynthText's labels: the paper's 95 printable ASCII symbols.
# Experiment configs give it to the decoder and to the label check of the train pipeline.
synthtext_dictionary = dict(type='BundledDictionary', dict_name='english_95')

synthtext_textrecog_train = dict(
    type='OCRDataset',
    data_root=synthtext_textrecog_data_root,
    ann_file='textrecog_train.json',
    pipeline=None,
)

synthtext_an_textrecog_train = dict(
    type='OCRDataset',
    data_root=synthtext_textrecog_data_root,
    ann_file='alphanumeric_textrecog_train.json',
    pipeline=None,
)
