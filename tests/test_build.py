"""Clinic-scale builds: parallel, incremental, shardable."""

from __future__ import annotations

import json

import pytest


def _pdfs(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.pdf"))}


def test_two_workers_give_the_same_bytes_as_one(run, project):
    cfg = project / "exercises.yaml"
    one, two = project / "one", project / "two"
    assert run("--config", cfg, "build", "--out", one, "--jobs", "1").exit_code == 0
    result = run("--config", cfg, "build", "--out", two, "--jobs", "2")
    assert result.exit_code == 0, result.output
    a, b = _pdfs(one), _pdfs(two)
    assert len(a) == 9 and a == b


def test_a_worker_freezes_what_it_starts_with(monkeypatch):
    """What a worker holds when it starts (the library, the modules) lives as long as it does:
    frozen out of its garbage collections, which then walk only what each document makes."""
    import gc
    import signal

    from handouts import build

    calls = []
    monkeypatch.setattr(signal, "signal", lambda *a: calls.append("signal"))
    monkeypatch.setattr(build, "_die_with_parent", lambda: calls.append("die"))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    build._init_worker(None, False)
    assert calls[-1] == "freeze"


def test_second_build_rebuilds_nothing_and_force_rebuilds_all(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    assert run("--config", cfg, "build", "--out", out).output.startswith("built 9, unchanged 0, failed 0")
    assert run("--config", cfg, "build", "--out", out).output.startswith("built 0, unchanged 9, failed 0")
    assert run("--config", cfg, "build", "--out", out, "--force").output.startswith("built 9, unchanged 0")


def test_changing_one_exercise_rebuilds_its_sheet_and_the_booklet(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    assert run("--config", cfg, "build", "--out", out).exit_code == 0
    before = json.loads((out / ".handouts-manifest.json").read_text())["outputs"]
    text = cfg.read_text().replace(
        "Perform {reps:10 repetitions}, maintaining", "Perform {reps:10 repetitions}, keeping"
    )
    cfg.write_text(text)
    result = run("--config", cfg, "build", "--out", out)
    assert result.output.startswith("built 2, unchanged 7, failed 0"), result.output
    after = json.loads((out / ".handouts-manifest.json").read_text())["outputs"]
    changed = sorted(k for k in after if after[k] != before[k])
    assert changed == ["booklet.pdf", "sheets/wall-angels.pdf"]


def test_a_deleted_output_is_rebuilt(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    assert run("--config", cfg, "build", "--out", out).exit_code == 0
    (out / "sheets" / "cat-cow.pdf").unlink()
    assert run("--config", cfg, "build", "--out", out).output.startswith("built 1, unchanged 8")


def test_brand_change_rebuilds_everything(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    assert run("--config", cfg, "build", "--out", out).exit_code == 0
    cfg.write_text(cfg.read_text().replace("Example Physiotherapy Clinic", "Other Clinic"))
    assert run("--config", cfg, "build", "--out", out).output.startswith("built 9, unchanged 0")


def test_removed_exercise_is_reported_and_pruned(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    assert run("--config", cfg, "build", "--out", out).exit_code == 0
    text = cfg.read_text()
    start = text.index("  - id: thoracic-rotation")
    cfg.write_text(text[:start])
    result = run("--config", cfg, "build", "--out", out)
    assert result.exit_code == 0
    assert (
        "stale: sheets/thoracic-rotation.pdf (no longer in the library; --prune removes them)"
        in result.stderr
    )
    assert (out / "sheets" / "thoracic-rotation.pdf").exists()
    result = run("--config", cfg, "build", "--out", out, "--prune")
    assert "removed 1 stale output(s): sheets/thoracic-rotation.pdf" in result.output
    assert not (out / "sheets" / "thoracic-rotation.pdf").exists()


@pytest.mark.parametrize("n", [2, 3, 4])
def test_shards_together_build_everything_exactly_once(run, project, n):
    cfg = project / "exercises.yaml"
    seen: list[str] = []
    for k in range(1, n + 1):
        out = project / f"shard{k}"
        assert run("--config", cfg, "build", "--out", out, "--shard", f"{k}/{n}", "-q").exit_code == 0
        seen += list(_pdfs(out))
    assert sorted(seen) == sorted(set(seen))
    assert len(seen) == 9


@pytest.mark.parametrize("bad", ["0/2", "3/2", "x", "1/0"])
def test_bad_shard(run, tmp_path, bad):
    result = run("build", "--out", tmp_path, "--shard", bad)
    assert result.exit_code == 2 and result.stderr.startswith("--shard: ")


def test_quiet_prints_nothing_and_ci_prints_a_summary(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    assert run("--config", cfg, "build", "--out", out, "-q").output == ""
    result = run("--config", cfg, "build", "--out", out, "--force")
    assert "documents/s" in result.output


def test_batch_in_parallel_matches_serial(run, tmp_path):
    rows = ["patient,clinician,date,exercises,per_week,weeks"]
    rows += [f"P{i},Sam,2026-12-01,cat-cow:2x{5 + i % 10};wall-angels,3,6" for i in range(12)]
    csv_path = tmp_path / "p.csv"
    csv_path.write_text("\n".join(rows) + "\n")
    assert run("batch", csv_path, "--out", tmp_path / "a", "--jobs", "1", "-q").exit_code == 0
    assert run("batch", csv_path, "--out", tmp_path / "b", "--jobs", "2", "-q").exit_code == 0
    a, b = _pdfs(tmp_path / "a"), _pdfs(tmp_path / "b")
    assert len(a) == 12 and a == b
    again = run("batch", csv_path, "--out", tmp_path / "a")
    assert again.output.startswith("built 0, unchanged 12")
