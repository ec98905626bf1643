"""Exercise pictures described as data and drawn as clean vector line art.

A figure file (``assets/figures/<exercise-id>.yaml``) lists panels; each panel
is either a pose of a simple 3-D stick figure (joint angles in degrees, seen
from the side, front or back, with props and motion arrows) or a clinic's own
PNG, JPEG or SVG picture.

* :mod:`handouts.figures.spec` reads and validates figure files.
* :mod:`handouts.figures.render` turns a panel into a reportlab flowable.
* :mod:`handouts.figures.contact` writes an authors' contact sheet.
"""
