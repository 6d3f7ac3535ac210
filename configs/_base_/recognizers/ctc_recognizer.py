# The encoder-independent part of the CTC recognizers: a per-frame linear layer (paper
# App. A.2) with MMOCR's CTC loss and postprocessor, 95-symbol dictionary. The files
# ctc_<encoder>.py inherit it beside their encoder and fill in the encoder, F and channels.
dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../seqclr_mmocr/dicts/english_95.txt',
    with_padding=True,
    with_unknown=True,
)

model = dict(
    type='EncoderDecoderRecognizer',
    decoder=dict(
        type='CTCFrameDecoder',
        dictionary=dictionary,
        module_loss=dict(type='CTCModuleLoss', letter_case='unchanged', zero_infinity=True),
        postprocessor=dict(type='CTCPostProcessor'),
    ),
    data_preprocessor=dict(type='TextRecogDataPreprocessor'),
)
