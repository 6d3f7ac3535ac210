# CVL handwritten words (no official validation split); convert with
# tools/dataset_converters/cvl_converter.py
cvl_textrecog_data_root = 'data/cvl'

# The characters of CVL's labels, English and German texts: english_95 and ä ö ü Ä Ö Ü ß.
# Experiment configs give it to the decoder and to the label check of the train pipeline.
cvl_dictionary = dict(type='BundledDictionary', dict_name='german_cvl')

cvl_textrecog_train = dict(
    type='OCRDataset',
    data_root=cvl_textrecog_data_root,
    ann_file='textrecog_train.json',
    pipeline=None,
)

cvl_textrecog_test = dict(
    type='OCRDataset',
    data_root=cvl_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None,
)
