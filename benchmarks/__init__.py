"""Speed of the pipeline, the API, posting, the queue and the rescan, each beside its baseline in the same run."""
