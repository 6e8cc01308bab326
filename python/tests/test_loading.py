"""Where the package finds libuptake.so.1: $UPTAKE_LIBRARY, next to the package, the system."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import uptake

PACKAGE = Path(uptake.__file__).resolve().parent


def run(code, env_changes, cwd):
    env = {k: v for k, v in os.environ.items()
           if k not in ("UPTAKE_LIBRARY", "LD_LIBRARY_PATH", "PYTHONPATH")}
    env.update(env_changes)
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=60)


def copy_package(tmp_path):
    target = tmp_path / "site"
    shutil.copytree(PACKAGE, target / "uptake", ignore=shutil.ignore_patterns("__pycache__",
                                                                              "libuptake.so*"))
    return target


SHOW = "import uptake; print(uptake.library_path())"


def test_uptake_library_names_the_file_and_nothing_else_is_tried(tmp_path):
    site = copy_package(tmp_path)
    result = run(SHOW, {"PYTHONPATH": str(site), "UPTAKE_LIBRARY": str(tmp_path / "nope.so"),
                        "LD_LIBRARY_PATH": str(Path(uptake.library_path()).parent)}, tmp_path)
    assert result.returncode != 0
    assert "LibraryNotFoundError" in result.stderr and "nope.so: no such file" in result.stderr
    assert "UPTAKE_LIBRARY" in result.stderr


def test_a_library_next_to_the_package_is_found(tmp_path):
    site = copy_package(tmp_path)
    (site / "uptake" / uptake.SONAME).symlink_to(uptake.library_path())
    result = run(SHOW, {"PYTHONPATH": str(site)}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == os.path.realpath(uptake.library_path())


def test_the_system_loader_is_asked_last(tmp_path):
    site = copy_package(tmp_path)
    libdir = tmp_path / "lib"
    libdir.mkdir()
    (libdir / uptake.SONAME).symlink_to(uptake.library_path())
    result = run(SHOW, {"PYTHONPATH": str(site), "LD_LIBRARY_PATH": str(libdir)}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == os.path.realpath(uptake.library_path())
