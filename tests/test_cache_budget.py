"""The cache is bounded: a cap, least-recently-used eviction, `sdkforge cache info|prune|clear`,
and a cache that cannot be written (no permission, full disk) is a warning, never a failure.

Real files throughout; the full disk and the read-only cache are real tmpfs mounts (in a
private mount namespace, so nothing outside the test sees them), skipped where mounting is
not allowed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from proc_util import environment, many_models_spec, snapshot

from sdkforge.caches import budget, store
from sdkforge.cli import main

SPEC = ROOT / "tests" / "golden" / "tags" / "spec.yaml"
WARNING = "warning: the cache could not be written"


def _entry(root: Path, kind: str, i: int, text: str = "x" * 100) -> Path:
    key = f"{i:064x}"
    folder = {"models": "models", "renders": "renders", "plans": "plans"}.get(kind, kind)
    suffix = {"models": ".py", "renders": ".txt", "plans": ".json"}.get(kind, "")
    path = root / folder / key[:2] / f"{key}{suffix}"
    store.store_text(path, text)
    assert path.is_file()
    return path


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(budget.ENV, raising=False)
    store.account()  # what earlier tests in this process wrote is not this test's
    return store.cache_root()


def _age(path: Path, seconds_ago: float) -> None:
    when = time.time() - seconds_ago
    os.utime(path, (when, when))


def test_prune_removes_the_least_recently_used_and_a_hit_counts_as_use(root: Path) -> None:
    paths = [_entry(root, "renders", i) for i in range(6)]
    for age, path in enumerate(reversed(paths)):
        _age(path, 10_000 + 1000 * age)  # paths[0] oldest
    assert store.load_text(paths[0]) == "x" * 100  # a hit: paths[0] is now the newest
    sizes = {e.path: e.size for e in budget.entries(root)}
    done = budget.prune(sum(sizes.values()) - 2 * sizes[paths[1]], root)
    assert done.removed == 2
    assert [p.exists() for p in paths] == [True, False, False, True, True, True]


def test_a_recent_hit_is_not_written_again(root: Path) -> None:
    """Marking use costs a write at most once per TOUCH_AFTER: a warm run's hits are reads."""
    path = _entry(root, "models", 1)
    _age(path, store.TOUCH_AFTER / 2)
    before = path.stat().st_mtime
    assert store.load_text(path) is not None
    assert path.stat().st_mtime == before


def test_clear_removes_every_entry_and_nothing_else(root: Path) -> None:
    entries = [
        _entry(root, kind, i)
        for i, kind in enumerate(["black-26.1", "ruff-0.9", "models", "renders", "plans"])
    ]
    (root / "jinja").mkdir()
    (root / "jinja" / f"__jinja2_{'a' * 40}.cache").write_bytes(b"bytecode")
    foreign = [
        root / "notes.txt",
        root / "models" / "README",
        root / "models" / "zz" / f"{'0' * 64}.py",  # not a shard folder
        root / "renders" / "ab" / "mine.txt",
        root / "elsewhere" / "ab" / f"{'1' * 64}",
    ]
    for path in foreign:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not sdkforge's")
    budget.settle(root)  # makes the ledger
    assert (root / budget.LEDGER).exists()
    result = CliRunner().invoke(main, ["cache", "clear"])
    assert result.exit_code == 0 and "removed 6 entries" in result.output
    assert not any(p.exists() for p in entries) and not (root / "jinja").exists()
    assert not (root / budget.LEDGER).exists()
    assert all(p.read_text() == "not sdkforge's" for p in foreign)
    assert not (root / "plans").exists(), "folders left empty go too"


def test_settle_counts_in_the_ledger_without_walking_the_cache(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _entry(root, "models", 1)
    assert budget.settle(root) == []  # no ledger yet: one walk makes it
    assert int((root / budget.LEDGER).read_text()) == 4096

    def no_walk(root: Path) -> list[budget.Entry]:
        raise AssertionError("walked the cache while far from the cap")

    monkeypatch.setattr(budget, "entries", no_walk)
    _entry(root, "models", 2)
    assert budget.settle(root) == []
    assert (root / budget.LEDGER).read_text().split() == ["4096", "4096"]
    assert budget.settle(root) == [], "a run that wrote nothing does not touch the ledger"
    assert (root / budget.LEDGER).read_text().split() == ["4096", "4096"]


def test_a_run_past_the_cap_prunes_to_below_it(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(budget.ENV, "64K")
    for i in range(10):
        _age(_entry(root, "renders", i), 1000 - i)
    budget.settle(root)
    assert budget.usage(root).total <= budget.KEEP * 64 * 1024
    assert int((root / budget.LEDGER).read_text()) == budget.usage(root).total
    for i in range(10, 20):
        _entry(root, "renders", i)
    budget.settle(root)  # the ledger's sum passes the cap: a walk, then pruning
    assert budget.usage(root).total <= budget.KEEP * 64 * 1024
    survivors = {e.path.name for e in budget.entries(root)}
    assert f"{19:064x}.txt" in survivors and f"{0:064x}.txt" not in survivors


def test_a_run_bigger_than_the_cap_says_its_entries_will_not_be_kept(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spec whose one run outgrows the cap (Microsoft Graph under the default) would be cold
    on every run without a word: it is a warning naming the variable and a size that fits."""
    monkeypatch.setenv(budget.ENV, "64K")
    for i in range(10):  # 40 KiB: kept
        _entry(root, "renders", i)
    assert budget.settle(root) == []
    for i in range(10, 30):  # 80 KiB in one run: more than the cap keeps after pruning
        _entry(root, "renders", i)
    problems = budget.settle(root)
    assert [p.severity for p in problems] == ["warning"]
    assert "more than its cap (64.0 KiB)" in problems[0].message
    assert f"set {budget.ENV} to 1.0 MiB or more" in (problems[0].hint or "")
    assert budget.usage(root).total <= budget.KEEP * 64 * 1024


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("256M", 256 << 20),
        ("1G", 1 << 30),
        ("1.5GiB", 3 << 29),
        ("512kb", 512 << 10),
        ("1000", 1000),
    ],
)
def test_sizes(text: str, size: int) -> None:
    assert budget.parse_size(text) == size


def test_a_cap_that_is_not_a_size_is_a_warning_and_the_default(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(budget.ENV, "lots")
    limit, problems = budget.cap()
    assert limit == budget.DEFAULT_MAX and budget.ENV in problems[0].message


def test_cache_info_and_prune_commands(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(4):
        _age(_entry(root, "models", i), 100 - i)
    _entry(root, "plans", 9)
    info = CliRunner().invoke(main, ["cache", "info"])
    assert info.exit_code == 0
    assert f"location: {root}" in info.output and "256.0 MiB (default" in info.output
    assert [
        line.split()[:2] for line in info.output.splitlines() if "models" in line or "plans" in line
    ] == [["models", "4"], ["plans", "1"]]
    pruned = CliRunner().invoke(main, ["cache", "prune", "--max-size", "8K"])
    assert pruned.exit_code == 0 and "removed 3 entries" in pruned.output
    left = sorted(e.path.name for e in budget.entries(root))
    assert left == [f"{3:064x}.py", f"{9:064x}.json"], "the two most recently used stay"
    bad = CliRunner().invoke(main, ["cache", "prune", "--max-size", "big"])
    assert bad.exit_code == 2 and "not a size" in bad.output


def _generate(
    tmp_path: Path, out: Path, spec: Path = SPEC, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sdkforge", "generate", "--spec", str(spec), "--output", str(out)],
        cwd=ROOT, env=environment(tmp_path, **env), capture_output=True, text=True,
    )  # fmt: skip


def _reference(tmp_path: Path, spec: Path = SPEC) -> dict[str, bytes]:
    out = tmp_path / "reference"
    done = subprocess.run(
        [sys.executable, "-m", "sdkforge", "generate", "--spec", str(spec), "--output", str(out), "--no-cache"],
        cwd=ROOT, env=environment(tmp_path, XDG_CACHE_HOME=str(tmp_path / "unused")), capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {rel: data for rel, (data, _) in snapshot(out).items()}


def _files(out: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _) in snapshot(out).items()}


def test_a_cache_path_that_cannot_be_a_folder_is_one_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    done = _generate(tmp_path, tmp_path / "out", XDG_CACHE_HOME=str(blocker))
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(WARNING) == 1 and "Traceback" not in done.stderr
    assert _files(tmp_path / "out") == _reference(tmp_path)


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root writes through permissions (see the tmpfs test)"
)
def test_an_unwritable_cache_folder_is_one_warning(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    (xdg / "sdkforge").mkdir(parents=True)
    (xdg / "sdkforge").chmod(0o555)
    try:
        done = _generate(tmp_path, tmp_path / "out", XDG_CACHE_HOME=str(xdg))
    finally:
        (xdg / "sdkforge").chmod(0o755)
    assert done.returncode == 0 and done.stderr.count(WARNING) == 1
    assert _files(tmp_path / "out") == _reference(tmp_path)


def _mounted(options: str, at: Path, script: str) -> list[str]:
    """`sh -c script` with a tmpfs mounted at `at`, in a private mount namespace (as root,
    or as a user through a user namespace); skip where neither is allowed."""
    at.mkdir(parents=True, exist_ok=True)
    mount = f'mount -t tmpfs -o {options} tmpfs "{at}"'
    for prefix in (["unshare", "-m"], ["unshare", "-rm"]):
        try:
            probe = subprocess.run([*prefix, "sh", "-c", mount], capture_output=True)
        except FileNotFoundError:
            break
        if probe.returncode == 0:
            return [*prefix, "sh", "-c", f"{mount} && {script}"]
    pytest.skip("cannot mount a tmpfs here (needs root or user namespaces)")


def _twice(tmp_path: Path, spec: Path) -> str:
    """Shell: generate into out1 then out2 (exit codes and stderr kept in files)."""
    run = f'"{sys.executable}" -m sdkforge generate --spec "{spec}"'
    return "; ".join(
        f'{run} --output "{tmp_path}/out{i}" 2>"{tmp_path}/err{i}"; echo $? >"{tmp_path}/rc{i}"'
        for i in (1, 2)
    )


def _results(tmp_path: Path, i: int) -> tuple[int, str]:
    return int((tmp_path / f"rc{i}").read_text()), (tmp_path / f"err{i}").read_text()


def test_a_read_only_cache_is_one_warning(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    cmd = _mounted("ro,size=1m", xdg, _twice(tmp_path, SPEC))
    subprocess.run(cmd, cwd=ROOT, env=environment(tmp_path, XDG_CACHE_HOME=str(xdg)), check=True)
    reference = _reference(tmp_path)
    for i in (1, 2):
        code, err = _results(tmp_path, i)
        assert code == 0 and err.count(WARNING) == 1, err
        assert _files(tmp_path / f"out{i}") == reference


def test_a_full_disk_is_one_warning_and_leaves_no_torn_entry(tmp_path: Path) -> None:
    """The cache fills up during the first run; both runs still write the right output (a
    torn entry would be a miss, and what was written is reused by the second run)."""
    spec = many_models_spec(tmp_path / "spec.yaml", 40)
    xdg = tmp_path / "xdg"
    check = f'"{sys.executable}" -c "{_CHECK}" "{xdg / "sdkforge"}" >"{tmp_path}/entries"'
    cmd = _mounted("size=256k", xdg, f"{_twice(tmp_path, spec)}; {check}")
    subprocess.run(cmd, cwd=ROOT, env=environment(tmp_path, XDG_CACHE_HOME=str(xdg)), check=True)
    reference = _reference(tmp_path, spec)
    code, err = _results(tmp_path, 1)
    assert code == 0 and err.count(WARNING) == 1 and "No space left" in err, err
    assert _files(tmp_path / "out1") == reference == _files(tmp_path / "out2")
    assert _results(tmp_path, 2)[0] == 0
    valid, total, partial = map(int, (tmp_path / "entries").read_text().split())
    assert valid == total, "every entry left in the full cache is whole"
    assert partial == 0, "a pack that did not fit is removed, not left half-written"


_CHECK = (
    "import sys; from pathlib import Path; from sdkforge.caches import budget, packs, store; "
    "found = [e for e in budget.entries(Path(sys.argv[1])) if e.kind != 'templates']; "
    "loose = [e for e in found if e.kind != 'packs']; "
    "packed = [v for e in found if e.path.suffix == '.pack' "
    "for v in packs._read_index(str(e.path)).values()]; "
    "print(sum(store.load_text(e.path) is not None for e in loose) "
    "+ sum(packs.read(v) is not None for v in packed), len(loose) + len(packed), "
    "sum(e.path.suffix == '.tmp' for e in found))"
)


def _queue(root: Path, n: int, kind: str = "models") -> list[Path]:
    paths = [root / kind / f"{i:064x}"[:2] / f"{i:064x}.py" for i in range(n)]
    for i, path in enumerate(paths):
        store.store_later(path, f"entry {i}\n")
    return paths


def test_a_big_flush_is_one_pack_and_every_entry_reads_back(root: Path) -> None:
    """A cold run's thousands of entries are one file (`caches.packs`), not thousands."""
    paths = _queue(root, store.PACK_MIN + 5)
    assert store.load_text(paths[3]) == "entry 3\n", "a queued entry is seen before the flush"
    store.flush()
    files = [p for p in root.rglob("*") if p.is_file()]
    assert [p.parent.name for p in files] == ["packs"], files
    assert all(store.has(p) for p in paths)
    store._PACKED.clear()  # as a later run sees it: the index read from the pack file
    assert [store.load_text(p) for p in paths] == [f"entry {i}\n" for i in range(len(paths))]
    assert not store.has(root / "models" / "00" / ("f" * 64 + ".py"))
    assert store.account()[0] == budget.entries(root).__next__().size


def test_a_queue_past_its_size_is_written_mid_run(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big spec's queued texts (Microsoft Graph: 272 M characters) go in packs as they
    come, not held to the end of the run; every entry still reads back."""
    monkeypatch.setattr(store, "FLUSH_AT", 1000)
    monkeypatch.setattr(store, "_LATER", {})  # whatever an earlier test left queued
    monkeypatch.setattr(store._Queued, "chars", 0)
    paths = [root / "renders" / f"{i:064x}"[:2] / f"{i:064x}.txt" for i in range(250)]
    for i, path in enumerate(paths):
        store.store_later(path, f"entry {i:03d}\n")  # 10 characters: a pack per 100
    assert len(list((root / "packs").iterdir())) == 2, "two packs before the run's own flush"
    assert len(store._LATER) == 50
    store.flush()
    assert not store._LATER and len(list((root / "packs").iterdir())) == 2
    assert all(p.is_file() for p in paths[200:]), "the rest, under PACK_MIN, stays loose"
    store._PACKED.clear()
    assert [store.load_text(p) for p in paths] == [f"entry {i:03d}\n" for i in range(250)]


def test_a_small_flush_stays_loose_files(root: Path) -> None:
    """A warm run's few new entries do not add a pack each (packs stay few)."""
    paths = _queue(root, 3)
    store.flush()
    assert all(p.is_file() for p in paths) and not (root / "packs").exists()


def test_a_damaged_pack_entry_is_a_miss_and_a_broken_pack_is_skipped(root: Path) -> None:
    paths = _queue(root, store.PACK_MIN)
    store.flush()
    (pack,) = (root / "packs").iterdir()
    data = bytearray(pack.read_bytes())
    data[data.index(b"entry 7\n")] = ord("E")  # one entry's bytes no longer match its digest
    pack.write_bytes(bytes(data))
    store._PACKED.clear()
    assert store.load_text(paths[7]) is None
    assert store.load_text(paths[8]) == "entry 8\n"
    pack.write_bytes(bytes(data[:-10]))  # the trailer cut off: the whole pack is unreadable
    store._PACKED.clear()
    assert store.load_text(paths[8]) is None and not store.has(paths[8])


def test_a_pack_is_evicted_as_one_entry_and_a_hit_marks_it_used(root: Path) -> None:
    old = _queue(root, store.PACK_MIN)
    store.flush()
    (first,) = (root / "packs").iterdir()
    _age(first, store.TOUCH_AFTER * 3)
    for path in old:
        store._LATER.pop(path, None)
    new = [root / "renders" / "ab" / f"{'ab' + f'{i:062x}'}.txt" for i in range(store.PACK_MIN)]
    for path in new:
        store.store_later(path, "new\n")
    store.flush()
    store._PACKED.clear()
    store._TOUCHED.clear()
    assert store.load_text(old[0]) == "entry 0\n"  # the old pack is used again: now the newest
    kinds = budget.usage(root).kinds
    assert kinds["packs"][0] == 2
    second = next(p for p in (root / "packs").iterdir() if p != first)
    _age(second, store.TOUCH_AFTER * 2)
    done = budget.prune(kinds["packs"][1] - 1, root)
    assert done.removed == 1 and first.exists() and not second.exists()
    store._PACKED.clear()
    assert store.load_text(new[0]) is None and store.load_text(old[1]) == "entry 1\n"
