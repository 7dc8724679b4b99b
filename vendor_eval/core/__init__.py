"""The shared vocabulary: the evaluation model, problems as data, effective weights.

Imports nothing else of the package; every stage above may import it.
"""
