"""Test oracles: step-by-step reference versions of the package's fused fast paths.

Importable from any test as ``from reference.<module> import ...`` (``tests/`` is on
``sys.path``, as for ``conftest``). Nothing in ``vendor_eval`` imports these.

* :mod:`reference.scoring` — ``score()`` written out with plain loops;
* :mod:`reference.sweep` — the leader along a sweep by direct evaluation on a grid;
* :mod:`reference.ranks` — competition ranks row by row with the official rule, and the
  rank matrix the Monte Carlo's sorted ids and tie steps stand for.
"""
