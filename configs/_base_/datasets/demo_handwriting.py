# The embedded handwriting-style demo corpus, made by
#   python tools/data/generate_demo_corpus.py --out-dir data/demo_handwriting
# Writer-independent splits: no font is shared between train, val and test; the unlabelled
# pool uses the train fonts only.
demo_hw_data_root = 'data/demo_handwriting'

# The characters of the demo corpus's labels: the paper's 95 printable ASCII symbols.
# Experiment configs give it to the decoder and to the label check of the train pipeline.
demo_hw_dictionary = dict(type='BundledDictionary', dict_name='english_95')

demo_hw_train = dict(
    type='OCRDataset', data_root=demo_hw_data_root, ann_file='textrecog_train.json', pipeline=None
)

demo_hw_val = dict(
    type='OCRDataset',
    data_root=demo_hw_data_root,
    ann_file='textrecog_val.json',
    test_mode=True,
    pipeline=None,
)

demo_hw_test = dict(demo_hw_val, ann_file='textrecog_test.json')

# Labels in this file are ignored by the pretraining pipelines.
demo_hw_unlabeled = dict(
    type='OCRDataset',
    data_root=demo_hw_data_root,
    ann_file='textrecog_unlabeled.json',
    pipeline=None,
)
