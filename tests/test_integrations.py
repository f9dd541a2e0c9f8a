"""The integration files run as written: the pre-commit hook, the GitHub Action and the project's own workflow.

Each test reads the file the way its host does (pre-commit's hook list, the Action's
`action.yml`, the workflow), builds the command or script from it, and runs that with the
installed `schema-diff` on a git repository in tmp_path. Every git command, the test's and
schema-diff's, runs with HOME and GIT_CONFIG_GLOBAL in tmp_path and without the system
configuration.

The schemas are those of `fakes`: STATUS_OLD is a string enum of "active" and "stopped", and
STATUS_NEW adds "failed", which breaks forward (old readers reject it), so it is breaking
under the default mode, full.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.cli import main
from fakes import STATUS_NEW, STATUS_OLD, GitRepository, git_environment, schema_bytes

REPOSITORY = Path(__file__).resolve().parents[1]
ACTION_FILE = REPOSITORY / "action.yml"
ACTION_INPUTS = ("old", "new", "against", "mode", "config", "format", "fail-on")

#: STATUS_OLD with a description added: a cosmetic change.
STATUS_DESCRIBED = {**STATUS_OLD, "description": "Whether the service runs."}


def installed_command() -> list[str]:
    """The installed `schema-diff` console script of the Python running the tests, else `python -m checker`."""
    script = Path(sys.executable).parent / "schema-diff"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "checker"]


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepository:
    """A repository with `schemas/status.json` (STATUS_OLD) committed; the working folder is its top."""
    environment = git_environment(tmp_path / "home")
    for name in ("HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"):
        monkeypatch.setenv(name, environment[name])
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS"):
        monkeypatch.delenv(name, raising=False)
        environment.pop(name, None)
    repository = GitRepository(tmp_path / "repo", environment)
    repository.commit({"schemas/status.json": schema_bytes(STATUS_OLD), "README.md": b"# Service schemas\n"}, "Add the status schema")
    monkeypatch.chdir(repository.root)
    return repository


# pre-commit -----------------------------------------------------------------------------------

def hook() -> dict[str, Any]:
    hooks = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    found = [entry for entry in hooks if entry.get("id") == "schema-diff"]
    assert len(found) == 1, hooks
    definition: dict[str, Any] = found[0]
    return definition


def run_hook(repository: GitRepository) -> subprocess.CompletedProcess[str]:
    """Run the hook as pre-commit does with `pass_filenames: false`: its entry followed by its args."""
    definition = hook()
    entry = shlex.split(definition["entry"])
    assert entry[0] == "schema-diff"
    command = [*installed_command(), *entry[1:], *definition.get("args", [])]
    return subprocess.run(command, cwd=repository.root, env=repository.environment, capture_output=True, text=True, timeout=60, check=False)


def test_hook_definition() -> None:
    definition = hook()

    # pre-commit installs the repository as a Python package and runs the console script.
    assert definition["language"] == "python"
    assert definition["pass_filenames"] is False
    assert definition["name"]
    assert definition["description"]
    assert re.search(definition["files"], "schemas/status.json")
    assert re.search(definition["files"], "openapi/api.yaml")
    assert not re.search(definition["files"], "src/main.py")


def test_hook_staged_breaking_change(repository: GitRepository) -> None:
    repository.write({"schemas/status.json": schema_bytes(STATUS_NEW)})
    repository.git("add", "schemas/status.json")

    completed = run_hook(repository)

    assert completed.returncode == 1, completed.stderr
    assert '"failed"' in completed.stdout


def test_hook_staged_cosmetic_change(repository: GitRepository) -> None:
    repository.write({"schemas/status.json": schema_bytes(STATUS_DESCRIBED)})
    repository.git("add", "schemas/status.json")

    completed = run_hook(repository)

    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_hook_ignores_unstaged_change(repository: GitRepository) -> None:
    # The breaking change is only in the working tree, and the commit would not contain it.
    repository.write({"schemas/status.json": schema_bytes(STATUS_NEW)})

    completed = run_hook(repository)

    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_hook_checks_staged_not_working_tree(repository: GitRepository) -> None:
    # Staged breaking change, then the working tree is set back: the commit still breaks.
    repository.write({"schemas/status.json": schema_bytes(STATUS_NEW)})
    repository.git("add", "schemas/status.json")
    repository.write({"schemas/status.json": schema_bytes(STATUS_OLD)})

    completed = run_hook(repository)

    assert completed.returncode == 1, completed.stderr


def test_hook_declared_change(repository: GitRepository) -> None:
    repository.write({
        "schemas/status.json": schema_bytes(STATUS_NEW),
        "schema-diff.toml": b'[[declared]]\nrule = "enum-value-added"\ntype = "Status"\nreason = "Readers treat unknown statuses as stopped."\n',
    })
    repository.git("add", "--all")

    completed = run_hook(repository)

    assert completed.returncode == 0, completed.stdout + completed.stderr


# The GitHub Action ----------------------------------------------------------------------------

def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION_FILE.read_text(encoding="utf-8"))
    return data


def compare_step() -> dict[str, Any]:
    steps: list[dict[str, Any]] = [step for step in action()["runs"]["steps"] if step.get("name") == "Compare schemas"]
    assert len(steps) == 1
    return steps[0]


def test_action_is_composite() -> None:
    data = action()

    assert data["name"]
    assert data["description"]
    assert data["runs"]["using"] == "composite"


@pytest.mark.parametrize("name", ACTION_INPUTS)
def test_action_input_documented(name: str) -> None:
    inputs = action()["inputs"]

    assert name in inputs
    assert isinstance(inputs[name]["description"], str)
    assert len(inputs[name]["description"].split()) >= 3


def test_action_step_receives_inputs_as_environment() -> None:
    step = compare_step()

    # Inputs pasted into the script as ${{ inputs.x }} would run as shell code; they must
    # arrive through the environment instead.
    assert step["shell"] == "bash"
    assert "${{" not in step["run"]
    for name in ACTION_INPUTS:
        variable = "INPUT_" + name.upper().replace("-", "_")
        assert re.fullmatch(r"\$\{\{\s*inputs\." + re.escape(name) + r"\s*\}\}", step["env"][variable])


def test_action_reports_in_github_format() -> None:
    assert action()["inputs"]["format"]["default"] == "github"


def action_environment(inputs: Mapping[str, str], base: Mapping[str, str], bin_folder: Path) -> dict[str, str]:
    """The step's environment as the runner builds it: each `${{ inputs.x }}` replaced by the input or its default."""
    declared = action()["inputs"]
    environment = dict(base)
    for variable, template in compare_step()["env"].items():
        name = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", template)
        assert name, template
        environment[variable] = inputs.get(name.group(1), str(declared[name.group(1)].get("default", "")))
    environment["PATH"] = os.pathsep.join([str(bin_folder), base.get("PATH", os.defpath)])
    return environment


def schema_diff_folder(tmp_path: Path) -> Path:
    """A folder to put first on PATH, in which `schema-diff` is the installed command."""
    command = installed_command()
    if len(command) == 1:
        return Path(command[0]).parent
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    wrapper = folder / "schema-diff"
    wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m checker "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return folder


def run_action(inputs: Mapping[str, str], cwd: Path, base: Mapping[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the "Compare schemas" step's script with bash, as a runner does for `shell: bash`."""
    script = tmp_path / "compare-schemas.sh"
    script.write_text(compare_step()["run"], encoding="utf-8")
    environment = action_environment(inputs, base, schema_diff_folder(tmp_path))
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=60, check=False)


def test_action_breaking_change_fails(repository: GitRepository, tmp_path: Path) -> None:
    repository.write({"schemas/status.json": schema_bytes(STATUS_NEW)})

    completed = run_action({"against": "HEAD", "new": "schemas"}, repository.root, repository.environment, tmp_path)

    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.startswith("::error file=schemas/status.json,")


def test_action_cosmetic_change_passes(repository: GitRepository, tmp_path: Path) -> None:
    repository.write({"schemas/status.json": schema_bytes(STATUS_DESCRIBED)})

    completed = run_action({"against": "HEAD", "new": "schemas"}, repository.root, repository.environment, tmp_path)

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "::error" not in completed.stdout


def test_action_old_and_new(repository: GitRepository, tmp_path: Path) -> None:
    repository.write({"schemas/status.json": schema_bytes(STATUS_NEW)})

    completed = run_action({"old": "git:HEAD:schemas", "new": "schemas", "format": "text"}, repository.root,
                           repository.environment, tmp_path)

    assert completed.returncode == 1, completed.stderr
    assert '"failed"' in completed.stdout


def test_action_mode_and_config(repository: GitRepository, tmp_path: Path) -> None:
    # Under backward an added enum value is additive; and a config file can declare it instead.
    repository.write({"schemas/status.json": schema_bytes(STATUS_NEW),
                      "ci/gate.toml": b'[[declared]]\nrule = "enum-value-added"\ntype = "Status"\nreason = "Readers cope."\n'})
    arguments = {"against": "HEAD", "new": "schemas"}

    assert run_action({**arguments, "mode": "backward"}, repository.root, repository.environment, tmp_path).returncode == 0
    assert run_action({**arguments, "config": "ci/gate.toml"}, repository.root, repository.environment, tmp_path).returncode == 0


def test_action_fail_on(repository: GitRepository, tmp_path: Path) -> None:
    # An optional property removed from an open object is only potentially breaking.
    name = {"type": "string"}
    schema = {"$schema": STATUS_OLD["$schema"], "title": "Pet", "type": "object", "properties": {"name": name}}
    repository.commit({"schemas/pet.json": schema_bytes({**schema, "properties": {"name": name, "nickname": {"type": "string"}}})},
                      "Add the pet schema")
    repository.write({"schemas/pet.json": schema_bytes(schema)})
    arguments = {"against": "HEAD", "new": "schemas"}

    assert run_action(arguments, repository.root, repository.environment, tmp_path).returncode == 0
    assert run_action({**arguments, "fail-on": "potentially-breaking"}, repository.root, repository.environment, tmp_path).returncode == 1


@pytest.mark.parametrize("branch", [
    # With `against` set the script runs the --against command line; else the OLD NEW one.
    "against",
    "old",
])
@pytest.mark.parametrize("value", ["$(touch pwned)", "x' \"; `touch pwned`; touch pwned #"])
def test_action_input_stays_data(repository: GitRepository, tmp_path: Path, branch: str, value: str) -> None:
    # Bash expands every input the script uses before schema-diff checks any of them, so one
    # run with all inputs set to the same value covers each of them.
    inputs = {name: value for name in ACTION_INPUTS}
    if branch == "old":
        inputs["against"] = ""

    completed = run_action(inputs, repository.root, repository.environment, tmp_path)

    assert not (repository.root / "pwned").exists()
    assert not (tmp_path / "pwned").exists()
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stderr


def test_action_input_reaches_schema_diff_verbatim(repository: GitRepository, tmp_path: Path) -> None:
    completed = run_action({"against": "HEAD", "new": "$(touch pwned)"}, repository.root, repository.environment, tmp_path)

    # schema-diff got the text itself as PATH, found nothing there, and said so in one line.
    assert completed.returncode == 2
    assert "$(touch pwned)" in completed.stderr
    assert len(completed.stderr.splitlines()) == 1, completed.stderr
    assert not (repository.root / "pwned").exists()


# The project's own workflow -------------------------------------------------------------------

def workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPOSITORY / ".github" / "workflows" / "schemas.yml").read_text(encoding="utf-8"))
    return data


def local_action_steps() -> list[tuple[list[dict[str, Any]], dict[str, Any]]]:
    """Each step that uses the action of this repository (`uses: ./`), with the steps of its job."""
    found = []
    for job in workflow()["jobs"].values():
        for step in job["steps"]:
            if step.get("uses") == "./":
                found.append((job["steps"], step))
    return found


def test_workflow_checks_out_before_action() -> None:
    # A local action exists only once the repository is checked out.
    found = local_action_steps()

    assert found
    for steps, step in found:
        assert str(steps[0].get("uses", "")).startswith("actions/checkout@")
        assert steps.index(step) > 0


def test_workflow_compares_example(tmp_path: Path) -> None:
    steps = [step for _, step in local_action_steps() if step.get("with", {}).get("old")]
    assert len(steps) == 1
    inputs = {name: str(value) for name, value in steps[0]["with"].items()}
    assert inputs["old"] == "schemas/1.5.1"
    assert inputs["new"] == "schemas/1.7.1"

    completed = run_action(inputs, REPOSITORY, os.environ, tmp_path)

    # The example's breaking changes are declared in the config, so the job passes and still reports them.
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.count("(declared)") == 8
    assert completed.stderr == ""


def test_workflow_config_has_no_stale_declarations(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPOSITORY)

    code = main(["schemas/1.5.1", "schemas/1.7.1", "--config", ".github/schema-diff.toml", "--strict"])

    assert code == 0
    assert capsys.readouterr().err == ""


def test_example_still_fails_without_config(monkeypatch: pytest.MonkeyPatch) -> None:
    # The README's first command runs in the repository's root and must still find the breaking changes.
    monkeypatch.chdir(REPOSITORY)

    assert main(["schemas/1.5.1", "schemas/1.7.1", "--format", "json"]) == 1
