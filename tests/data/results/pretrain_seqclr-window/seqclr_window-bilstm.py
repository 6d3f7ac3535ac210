# A config as MMEngine dumps it into the work dir (only the keys collect_results.py reads).
model = dict(
    type='SeqCLR',
    representation='contextual',
    instance_mapper=dict(type='WindowToInstance', num_windows=5))
load_from = None
