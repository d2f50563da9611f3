"""Training and measuring the learned rules on public labelled sets: readers for each set, the training command's
work, and the all-sets evaluation. Needs the `train` extra; the served pipeline never imports this package."""
