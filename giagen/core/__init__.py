"""The report and what every wing stands on: the definitions of both editions, the model, numbers as people write them, findings, files."""
