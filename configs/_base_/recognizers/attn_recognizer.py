# The encoder-independent part of the attention recognizers: a one-layer LSTM of 256 with
# additive attention (paper App. A.3), cross-entropy, 95-symbol dictionary. The files
# attn_<encoder>.py inherit it beside their encoder and fill in the encoder, F and channels.
dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../seqclr_mmocr/dicts/english_95.txt',
    with_start=True,
    with_end=True,
    same_start_end=True,
    with_padding=True,
    with_unknown=True,
)

model = dict(
    type='EncoderDecoderRecognizer',
    decoder=dict(
        type='AdditiveAttentionDecoder',
        hidden_channels=256,
        max_seq_len=32,
        dictionary=dictionary,
        module_loss=dict(
            type='CEModuleLoss', flatten=True, ignore_first_char=True, reduction='mean'
        ),
        postprocessor=dict(type='AttentionPostprocessor'),
    ),
    data_preprocessor=dict(type='TextRecogDataPreprocessor'),
)
