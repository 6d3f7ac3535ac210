# Supervised training on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files
# with OWN_DATA_LABELS=json): the CPU-sized attention recognizer from random initialisation,
# 500 iterations of Adam.
_base_ = [
    '../_base_/recognizers/attn_small-resnet-bilstm.py',
    '../_base_/recognition/recog_runtime.py',
    '../_base_/recognition/schedule_adam_1200it_demo.py',
    '../_base_/recognition/data_own_data_cpu.py',
]

val_evaluator = dict(dataset_prefixes=[_base_.own_data_name])
test_evaluator = val_evaluator
