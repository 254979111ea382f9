"""The reading stages that are one module each (analyses with more parts have their own package).

Nothing is imported here: ``data/pipelines.toml`` names each stage's module, imported when a
pipeline first names the stage, so importing one stage never loads the others.
"""
