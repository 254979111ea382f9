"""Training and calibration of the shipped models, apart from the code that runs them.

Nothing at run time imports this package (``tests/test_imports.py`` checks it); the CLI's
``train`` commands import it on demand. Each module says which data it reads and which model
file it writes; the model cards beside the models name the command.
"""
