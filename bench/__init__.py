"""Benchmarks of the key user paths on a synthetic county-scale dataset (see bench/README.md).

``bench.data.build_dataset`` writes the data, ``bench.run.measure_all`` times the paths;
``python bench/run.py`` does both against its own database.
"""
