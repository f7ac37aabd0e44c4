"""Data bundled with the package: the scenario library and its assets (links to the top-level folders)."""
