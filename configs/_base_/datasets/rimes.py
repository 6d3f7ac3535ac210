# RIMES handwritten French words (ICDAR 2011); convert with
# tools/dataset_converters/rimes_converter.py
rimes_textrecog_data_root = 'data/rimes'

# The characters of RIMES's French labels: english_95 and the French accented letters
# (é è ê ë à â î ï ô ù û ü ç œ ..., lower and upper case), ° and €.
# Experiment configs give it to the decoder and to the label check of the train pipeline.
rimes_dictionary = dict(type='BundledDictionary', dict_name='french_rimes')

rimes_textrecog_train = dict(
    type='OCRDataset',
    data_root=rimes_textrecog_data_root,
    ann_file='textrecog_train.json',
    pipeline=None,
)

rimes_textrecog_val = dict(
    type='OCRDataset',
    data_root=rimes_textrecog_data_root,
    ann_file='textrecog_val.json',
    test_mode=True,
    pipeline=None,
)

rimes_textrecog_test = dict(
    type='OCRDataset',
    data_root=rimes_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None,
)
