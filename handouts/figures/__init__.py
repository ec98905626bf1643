"""Exercise pictures described as data and drawn as clean vector line art.

A figure file (``assets/figures/<exercise-id>.yaml``) lists panels; each panel
is either a pose of a simple 3-D figure (joint angles in degrees, seen by one
camera per exercise, with props, motion arrows and a dashed start pose) or a
clinic's own PNG, JPEG or SVG picture. ``show: upper-body`` draws an exercise
from the hands up, larger; ``dashed:`` limits a start pose to the parts named;
an arrow with ``on_body: true`` may lie on the back (beside the shoulder blades).

* :mod:`handouts.figures.spec` reads and validates figure files.
* :mod:`handouts.figures.render` turns a panel into a reportlab flowable.
* :mod:`handouts.figures.contact` writes an authors' contact sheet.
"""
