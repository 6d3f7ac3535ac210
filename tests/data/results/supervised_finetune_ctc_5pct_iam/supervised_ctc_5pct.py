# A config as MMEngine dumps it into the work dir (only the keys collect_results.py reads).
model = dict(type='EncoderDecoderRecognizer', decoder=dict(type='CTCFrameDecoder', module_loss=dict(type='CTCModuleLoss')))
load_from = None
train_dataloader = dict(dataset=dict(type='LabelFractionDataset', fraction=0.05, seed=0, dataset=dict(type='ConcatDataset', datasets=[dict(type='OCRDataset', data_root='data/iam')])))
test_evaluator = dict(type='MultiDatasetsEvaluator', dataset_prefixes=['iam'])
