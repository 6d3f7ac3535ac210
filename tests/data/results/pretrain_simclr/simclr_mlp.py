# A config as MMEngine dumps it into the work dir (only the keys collect_results.py reads).
model = dict(type='SimCLR', representation='visual')
load_from = None
