"""dhcompiler: compile a Party congress political report from YAML sources."""

__version__ = "0.1.0"
