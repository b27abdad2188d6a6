"""Tests of the `dhc check` rules, one module per family."""
