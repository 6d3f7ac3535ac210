# A config as MMEngine dumps it into the work dir (only the keys collect_results.py reads).
model = dict(type='EncoderDecoderRecognizer', decoder=dict(type='AdditiveAttentionDecoder', module_loss=dict(type='CEModuleLoss')))
load_from = None
train_dataloader = dict(dataset=dict(type='ConcatDataset', datasets=[dict(type='OCRDataset', data_root='data/iam')]))
test_evaluator = dict(type='MultiDatasetsEvaluator', dataset_prefixes=['iam'])
run_info = dict(method='seqclr-window')
