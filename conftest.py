"""nbval, wherever pytest is pointed (``pytest notebooks/03_momentum.ipynb`` too), compares a
printed measurement to its printed precision, give or take two units of its last digit: see
``tests/nbval_numbers.py``. Everything else shared by the tests lives in ``tests/conftest.py``."""

from tests.nbval_numbers import install

install()
