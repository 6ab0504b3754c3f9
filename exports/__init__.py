"""Output formats; every one writes cells through :mod:`exports.cells`."""
