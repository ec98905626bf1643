"""Rendering: the model, options and theme to laid-out, tagged PDF pages."""
