"""The ``rencai`` command: the composition root. It puts the service's commands and the
seed loaders (``rencai init``, ``rencai seed …``) under one command line. Nothing in the
project imports this package, so service and seed stay independent of each other."""
