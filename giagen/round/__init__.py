"""The coordinator's round: units and their files, the batch and its cache, board, notices, region, audits."""
