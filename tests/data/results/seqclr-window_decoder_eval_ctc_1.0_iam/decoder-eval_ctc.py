# A config as MMEngine dumps it into the work dir (only the keys collect_results.py reads).
model = dict(
    type='FrozenEncoderRecognizer',
    frozen_modules=('preprocessor', 'backbone', 'encoder'),
    decoder=dict(type='CTCFrameDecoder', module_loss=dict(type='CTCModuleLoss')))
load_from = 'tests/data/results/pretrain_seqclr-window/iter_200000.pth'
train_dataloader = dict(dataset=dict(type='ConcatDataset', datasets=[dict(type='OCRDataset', data_root='data/iam')]))
test_evaluator = dict(type='MultiDatasetsEvaluator', dataset_prefixes=['iam'])
