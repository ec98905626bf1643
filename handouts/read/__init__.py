"""Reading: YAML and CSV to nodes with positions, checked into the frozen model."""
