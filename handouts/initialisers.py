"""The ``__init__`` templates records are made from, one per number of fields (see records.py).

Written by ``python scripts/initialisers.py`` from ``records.template_source``; a test checks
that it is current. Being a module, it is compiled once and its bytecode cached, so no
command compiles a template. The names the templates use are given by each record.
"""

# ruff: noqa: F821 - ``_set``, ``_fac`` and ``_FACTORY`` are each record's own


def init0(self):
    pass


def init1(self, _p0):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)


def init2(self, _p0, _p1):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)


def init3(self, _p0, _p1, _p2):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)


def init4(self, _p0, _p1, _p2, _p3):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)


def init5(self, _p0, _p1, _p2, _p3, _p4):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)


def init6(self, _p0, _p1, _p2, _p3, _p4, _p5):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)
    _set(self, "_p5", _fac[5]() if _p5 is _FACTORY else _p5)


def init7(self, _p0, _p1, _p2, _p3, _p4, _p5, _p6):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)
    _set(self, "_p5", _fac[5]() if _p5 is _FACTORY else _p5)
    _set(self, "_p6", _fac[6]() if _p6 is _FACTORY else _p6)


def init8(self, _p0, _p1, _p2, _p3, _p4, _p5, _p6, _p7):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)
    _set(self, "_p5", _fac[5]() if _p5 is _FACTORY else _p5)
    _set(self, "_p6", _fac[6]() if _p6 is _FACTORY else _p6)
    _set(self, "_p7", _fac[7]() if _p7 is _FACTORY else _p7)


def init9(self, _p0, _p1, _p2, _p3, _p4, _p5, _p6, _p7, _p8):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)
    _set(self, "_p5", _fac[5]() if _p5 is _FACTORY else _p5)
    _set(self, "_p6", _fac[6]() if _p6 is _FACTORY else _p6)
    _set(self, "_p7", _fac[7]() if _p7 is _FACTORY else _p7)
    _set(self, "_p8", _fac[8]() if _p8 is _FACTORY else _p8)


def init10(self, _p0, _p1, _p2, _p3, _p4, _p5, _p6, _p7, _p8, _p9):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)
    _set(self, "_p5", _fac[5]() if _p5 is _FACTORY else _p5)
    _set(self, "_p6", _fac[6]() if _p6 is _FACTORY else _p6)
    _set(self, "_p7", _fac[7]() if _p7 is _FACTORY else _p7)
    _set(self, "_p8", _fac[8]() if _p8 is _FACTORY else _p8)
    _set(self, "_p9", _fac[9]() if _p9 is _FACTORY else _p9)


def init11(self, _p0, _p1, _p2, _p3, _p4, _p5, _p6, _p7, _p8, _p9, _p10):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)
    _set(self, "_p5", _fac[5]() if _p5 is _FACTORY else _p5)
    _set(self, "_p6", _fac[6]() if _p6 is _FACTORY else _p6)
    _set(self, "_p7", _fac[7]() if _p7 is _FACTORY else _p7)
    _set(self, "_p8", _fac[8]() if _p8 is _FACTORY else _p8)
    _set(self, "_p9", _fac[9]() if _p9 is _FACTORY else _p9)
    _set(self, "_p10", _fac[10]() if _p10 is _FACTORY else _p10)


def init12(self, _p0, _p1, _p2, _p3, _p4, _p5, _p6, _p7, _p8, _p9, _p10, _p11):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)
    _set(self, "_p5", _fac[5]() if _p5 is _FACTORY else _p5)
    _set(self, "_p6", _fac[6]() if _p6 is _FACTORY else _p6)
    _set(self, "_p7", _fac[7]() if _p7 is _FACTORY else _p7)
    _set(self, "_p8", _fac[8]() if _p8 is _FACTORY else _p8)
    _set(self, "_p9", _fac[9]() if _p9 is _FACTORY else _p9)
    _set(self, "_p10", _fac[10]() if _p10 is _FACTORY else _p10)
    _set(self, "_p11", _fac[11]() if _p11 is _FACTORY else _p11)


def init13(self, _p0, _p1, _p2, _p3, _p4, _p5, _p6, _p7, _p8, _p9, _p10, _p11, _p12):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)
    _set(self, "_p5", _fac[5]() if _p5 is _FACTORY else _p5)
    _set(self, "_p6", _fac[6]() if _p6 is _FACTORY else _p6)
    _set(self, "_p7", _fac[7]() if _p7 is _FACTORY else _p7)
    _set(self, "_p8", _fac[8]() if _p8 is _FACTORY else _p8)
    _set(self, "_p9", _fac[9]() if _p9 is _FACTORY else _p9)
    _set(self, "_p10", _fac[10]() if _p10 is _FACTORY else _p10)
    _set(self, "_p11", _fac[11]() if _p11 is _FACTORY else _p11)
    _set(self, "_p12", _fac[12]() if _p12 is _FACTORY else _p12)


def init14(self, _p0, _p1, _p2, _p3, _p4, _p5, _p6, _p7, _p8, _p9, _p10, _p11, _p12, _p13):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)
    _set(self, "_p5", _fac[5]() if _p5 is _FACTORY else _p5)
    _set(self, "_p6", _fac[6]() if _p6 is _FACTORY else _p6)
    _set(self, "_p7", _fac[7]() if _p7 is _FACTORY else _p7)
    _set(self, "_p8", _fac[8]() if _p8 is _FACTORY else _p8)
    _set(self, "_p9", _fac[9]() if _p9 is _FACTORY else _p9)
    _set(self, "_p10", _fac[10]() if _p10 is _FACTORY else _p10)
    _set(self, "_p11", _fac[11]() if _p11 is _FACTORY else _p11)
    _set(self, "_p12", _fac[12]() if _p12 is _FACTORY else _p12)
    _set(self, "_p13", _fac[13]() if _p13 is _FACTORY else _p13)


def init15(self, _p0, _p1, _p2, _p3, _p4, _p5, _p6, _p7, _p8, _p9, _p10, _p11, _p12, _p13, _p14):
    _set(self, "_p0", _fac[0]() if _p0 is _FACTORY else _p0)
    _set(self, "_p1", _fac[1]() if _p1 is _FACTORY else _p1)
    _set(self, "_p2", _fac[2]() if _p2 is _FACTORY else _p2)
    _set(self, "_p3", _fac[3]() if _p3 is _FACTORY else _p3)
    _set(self, "_p4", _fac[4]() if _p4 is _FACTORY else _p4)
    _set(self, "_p5", _fac[5]() if _p5 is _FACTORY else _p5)
    _set(self, "_p6", _fac[6]() if _p6 is _FACTORY else _p6)
    _set(self, "_p7", _fac[7]() if _p7 is _FACTORY else _p7)
    _set(self, "_p8", _fac[8]() if _p8 is _FACTORY else _p8)
    _set(self, "_p9", _fac[9]() if _p9 is _FACTORY else _p9)
    _set(self, "_p10", _fac[10]() if _p10 is _FACTORY else _p10)
    _set(self, "_p11", _fac[11]() if _p11 is _FACTORY else _p11)
    _set(self, "_p12", _fac[12]() if _p12 is _FACTORY else _p12)
    _set(self, "_p13", _fac[13]() if _p13 is _FACTORY else _p13)
    _set(self, "_p14", _fac[14]() if _p14 is _FACTORY else _p14)


BY_FIELDS = (
    init0,
    init1,
    init2,
    init3,
    init4,
    init5,
    init6,
    init7,
    init8,
    init9,
    init10,
    init11,
    init12,
    init13,
    init14,
    init15,
)
