"""Normalisers and classifiers: pure functions over lead values, one module per kind."""
