"""Data bundled with the package: the scenario library and its assets (the build maps the top-level folders here)."""
