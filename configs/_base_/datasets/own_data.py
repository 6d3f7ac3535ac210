# Your own word crops, under one data root named by the environment variable OWN_DATA
# (default data/own_data), so that no config needs editing:
#   $OWN_DATA/unlabeled/                 unlabelled images, any sub-folders (pretraining);
#                                        OWN_DATA_UNLABELED names another folder (absolute,
#                                        or relative to $OWN_DATA)
#   $OWN_DATA/{train,val,test}.txt       one "path label" line per image, paths relative to
#                                        $OWN_DATA (MMOCR's RecogTextDataset + LineStrParser)
# or, with OWN_DATA_LABELS=json, MMOCR textrecog JSON files textrecog_{train,val,test}.json.
# tools/data/split_labels.py makes the three splits from one labels file (seeded).
# A label is the text after the first space up to the next one: labels with spaces need the
# JSON format.
own_data_root = '{{$OWN_DATA:data/own_data}}'
own_data_labels = '{{$OWN_DATA_LABELS:txt}}'
own_data_unlabeled_dir = '{{$OWN_DATA_UNLABELED:unlabeled/}}'
# The dataset prefix of the metrics (results table, logs).
own_data_name = 'own-data'

# The characters of your labels: the paper's 95 printable ASCII symbols. For another charset,
# add a dictionary file to seqclr_mmocr/dicts/ and name it here (docs/own_data.md).
# Experiment configs give it to the decoder and to the label check of the train pipeline.
own_data_dictionary = dict(type='BundledDictionary', dict_name='english_95')

own_data_unlabeled = dict(
    type='ImageFolderDataset',
    data_root=own_data_root,
    data_prefix=dict(img_path=own_data_unlabeled_dir),
    pipeline=None,
)

own_data_formats = dict(
    txt=dict(
        type='RecogTextDataset',
        ann_file='{}.txt',
        parser_cfg=dict(
            type='LineStrParser', keys=['filename', 'text'], keys_idx=[0, 1], separator=' '
        ),
    ),
    json=dict(type='OCRDataset', ann_file='textrecog_{}.json'),
)
if own_data_labels not in own_data_formats:
    raise ValueError(
        f'OWN_DATA_LABELS must be one of {list(own_data_formats)}, got {own_data_labels!r}'
    )
own_data_format = own_data_formats[own_data_labels]

own_data_train = dict(
    own_data_format,
    data_root=own_data_root,
    ann_file=own_data_format['ann_file'].format('train'),
    pipeline=None,
)
own_data_val = dict(
    own_data_format,
    data_root=own_data_root,
    ann_file=own_data_format['ann_file'].format('val'),
    test_mode=True,
    pipeline=None,
)
own_data_test = dict(own_data_val, ann_file=own_data_format['ann_file'].format('test'))
