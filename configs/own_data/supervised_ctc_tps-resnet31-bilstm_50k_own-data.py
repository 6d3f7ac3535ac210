# Supervised training on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files
# with OWN_DATA_LABELS=json): the paper-sized CTC recognizer from random initialisation, the
# paper's 50K iterations at batch 256.
_base_ = [
    '../_base_/recognizers/ctc_tps-resnet31-bilstm.py',
    '../_base_/recognition/recog_runtime.py',
    '../_base_/recognition/schedule_adadelta_50k.py',
    '../_base_/recognition/data_own_data.py',
]

val_evaluator = dict(dataset_prefixes=[_base_.own_data_name])
test_evaluator = val_evaluator
