# CVL handwritten words (no official validation split); convert with
# tools/dataset_converters/cvl_converter.py
cvl_textrecog_data_root = 'data/cvl'

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
