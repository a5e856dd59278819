"""Stage 1 of 6 (ingest): triage of a take-home submission or portfolio (a folder or an archive).

The fake-recruiter campaigns hide their loaders where opening or installing a project runs them:
``package.json`` install scripts, dependencies on their own malicious packages, an obfuscated
payload appended to ``tailwind.config.js`` or ``.eslintrc.js`` behind a wall of spaces, a VS Code
task that runs when the folder is opened, a ``setup.py`` that downloads and executes. This module
reads the submission the way a reviewer's tools would *before* running anything, and reports each
of those with its path. Nothing is executed, imported, installed or fetched; archives are read in
memory; symbolic links are never followed. ``node_modules`` is not scanned file by file (its
install scripts are the packages' own), but the packages in it are checked against the list.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import tarfile
import tomllib
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from screening.errors import ConfigError
from screening.ingest.timeout import DeadlineExceeded, time_limit
from screening.ingest.triage.archives import name_indicators
from screening.ingest.triage.filetype import kind_of, mime_type, safe_name
from screening.ingest.triage.office import clip
from screening.ingest.triage.packages import lookup
from screening.ingest.triage.zipread import BudgetExceeded, ZipBudget
from screening.model.attachments import Indicator, Triage, capped
from screening.model.limits import Limits

# npm runs these on ``npm install``, in the project and in every dependency that has them.
INSTALL_SCRIPTS = ("preinstall", "install", "postinstall")
# npm also runs these on a local ``npm install``; projects use them to build, so only a command
# that fetches, decodes or pipes into a shell is reported.
PREPARE_SCRIPTS = ("preprepare", "prepare", "postprepare")
_SUSPICIOUS_COMMAND = re.compile(
    r"\bcurl\b|\bwget\b|https?://|node\s+-e|\beval\b|base64|powershell|\|\s*(?:ba|z)?sh\b"
    r"|Invoke-|\bnc\s",
    re.IGNORECASE,
)
# Install-time commands of well-known local build tools (git hooks, patches, native builds).
_BENIGN_INSTALL = re.compile(
    r"^\s*(?:npx\s+)?(?:husky(?:\s+install)?|patch-package|node-gyp\s+rebuild|tsc(?:\s+-[-\w]+)*"
    r"|npm\s+run\s+[\w:-]+|yarn\s+[\w:-]+|pnpm\s+[\w:-]+|prisma\s+generate|ngcc|lerna\s+bootstrap"
    r"|electron-builder\s+install-app-deps|is-ci\s*\|\|\s*husky(?:\s+install)?|svelte-kit\s+sync"
    r"|nuxt\s+prepare|ts-patch\s+install)\s*(?:&&\s*\S.*)?$"
)
_SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"}
)
_CONFIG = re.compile(
    r"(?:^|/)(?:[\w.-]+\.config\.(?:js|cjs|mjs|ts|cts|mts)|\.eslintrc(?:\.\w+)?|\.babelrc\.js"
    r"|\.prettierrc\.(?:js|cjs)|gulpfile\.js|gruntfile\.js|\.stylelintrc\.js)$",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"\.(?:js|cjs|mjs|jsx|ts|tsx)$", re.IGNORECASE)
_MINIFIED = re.compile(r"(?:\.min\.js|(?:^|/)(?:dist|build|vendor|public)/)", re.IGNORECASE)
_SINK = re.compile(
    r"\beval\s*\(|\bnew\s+Function\s*\(|\bFunction\s*\(\s*[\"'`a-zA-Z_]|child_process"
    r"|\bexecSync\s*\(|\bspawn\s*\(|require\s*\(\s*[\"']vm[\"']\s*\)|\batob\s*\("
)
_BLOB = re.compile(r"[\"'`][A-Za-z0-9+/=_\-\\x%]{200,}[\"'`]")
_PADDING = re.compile(r"\S[ \t]{150,}\S")
_HEX_IDS = re.compile(r"\b_0x[0-9a-f]{4,6}\b")
_POLINRIDER = "rmcej%otb%"
_PY_EXEC = re.compile(
    r"\bexec\s*\(|\beval\s*\(|\bos\.system\s*\(|\bos\.popen\s*\(|\bsubprocess\.\w+\s*\("
    r"|__import__\s*\(|\bmarshal\.loads|\bcompile\s*\("
)
_PY_FETCH = re.compile(
    r"\burllib\.request|\burlopen\s*\(|\brequests\.(?:get|post)\s*\(|\bhttp\.client|\bsocket\."
    r"|\bcurl\b|\bwget\b|Invoke-WebRequest|\bb64decode\s*\(|\bzlib\.decompress\s*\("
)
_TASKS_RUN_ON = re.compile(r"[\"']runOn[\"']\s*:\s*[\"']folderOpen[\"']")
_REQ_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_MAX_TEXT = 2 * 1024 * 1024
_HEAD = 64


@dataclass
class _Entry:
    path: str  # relative, with forward slashes
    size: int
    read: Callable[[int], bytes]  # read(n): the first n bytes (0: all)


@dataclass
class _State:
    limits: Limits
    budget: ZipBudget
    lists_dir: Path | None = None
    indicators: list[Indicator] = field(default_factory=list)
    files: int = 0
    reason: str = ""
    npm: dict[str, str] = field(default_factory=dict)  # dependency name -> where it is declared
    pypi: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, part: str, detail: str) -> None:
        self.indicators.append(Indicator(kind=kind, part=part, detail=clip(detail)))

    def stop(self, reason: str) -> None:
        self.reason = self.reason or reason


def triage_submission(
    path: Path, limits: Limits, yara_rules: object | None = None, lists_dir: Path | None = None
) -> Triage:
    """Triage a folder or a ZIP/TAR archive of a take-home project or portfolio."""
    state = _State(limits, ZipBudget(limits.max_archive_bytes), lists_dir)
    name = safe_name(path.name)
    detected = "directory"
    try:
        with time_limit(limits.document_timeout_seconds * 6):
            if path.is_dir() and not path.is_symlink():
                entries = _walk_folder(path, state)
            else:
                data = _read_file(path, limits)
                detected = mime_type(data) or kind_of(data)
                entries = _walk_archive(data, state)
            for entry in entries:
                _check(entry, state, yara_rules)
            _check_dependencies(state)
    except DeadlineExceeded:
        state.stop(f"triage took longer than {limits.document_timeout_seconds * 6:g} seconds")
    except BudgetExceeded as exc:
        state.stop(f"{exc} (limits.max_archive_bytes)")
    except (OSError, ValueError) as exc:
        state.stop(f"the submission could not be read ({type(exc).__name__})")
    return Triage(
        name=name,
        role="submission",
        size=0,
        detected_type=detected,
        files=state.files,
        indicators=capped(state.indicators),
        complete=not state.reason,
        reason=state.reason,
    )


def _read_file(path: Path, limits: Limits) -> bytes:
    with path.open("rb") as fh:
        data = fh.read(limits.max_archive_bytes + 1)
    if len(data) > limits.max_archive_bytes:
        raise BudgetExceeded(f"{path.name} is larger than the archive limit")
    return data


def _walk_folder(root: Path, state: _State) -> Iterator[_Entry]:
    stack = [("", root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            items = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            state.stop(f"{prefix or '.'}: a folder could not be listed")
            continue
        for item in items:
            rel = f"{prefix}{item.name}"
            if item.is_symlink():
                state.indicators += name_indicators(item.name, safe_name(rel))
                continue  # never followed: a link could point anywhere on the reviewer's disk
            mode = item.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                if item.name == "node_modules":
                    _node_modules(Path(item.path), rel, state)
                elif item.name not in _SKIP_DIRS:
                    stack.append((rel + "/", Path(item.path)))
                continue
            if not stat.S_ISREG(mode):
                continue
            if state.files >= state.limits.max_nodes:
                state.stop(f"only the first {state.limits.max_nodes} files were looked at")
                return
            state.files += 1
            yield _Entry(rel, item.stat(follow_symlinks=False).st_size, _file_reader(item.path))


def _file_reader(path: str) -> Callable[[int], bytes]:
    def read(n: int) -> bytes:
        with open(path, "rb") as fh:
            return fh.read(n if n > 0 else -1)

    return read


def _node_modules(folder: Path, rel: str, state: _State) -> None:
    """Installed packages are checked by name only (``@scope/name`` included)."""
    try:
        for item in os.scandir(folder):
            if item.name.startswith("@") and item.is_dir(follow_symlinks=False):
                for inner in os.scandir(item.path):
                    state.npm.setdefault(f"{item.name}/{inner.name}", f"{rel}/{item.name}")
            elif not item.name.startswith("."):
                state.npm.setdefault(item.name, rel)
    except OSError:
        state.stop(f"{rel}: could not be listed")


def _walk_archive(data: bytes, state: _State) -> Iterator[_Entry]:
    head = data[:8]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        yield from _walk_zip(data, state)
    else:
        yield from _walk_tar(data, state)


def _walk_zip(data: bytes, state: _State) -> Iterator[_Entry]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if _skipped_dir(info.filename, state):
                continue
            if state.files >= state.limits.max_nodes:
                state.stop(f"only the first {state.limits.max_nodes} files were looked at")
                return
            state.files += 1
            if info.flag_bits & 0x1:
                state.add("encrypted_archive", safe_name(info.filename), "member is encrypted")
                continue
            yield _Entry(info.filename, info.file_size, _zip_reader(archive, info, state))


def _zip_reader(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, state: _State
) -> Callable[[int], bytes]:
    def read(n: int) -> bytes:
        if n > 0:
            with archive.open(info) as fh:
                return fh.read(n)
        state.budget.take(info)
        return archive.read(info)

    return read


def _walk_tar(data: bytes, state: _State) -> Iterator[_Entry]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        for member in tar:
            if member.offset_data > state.budget.remaining:
                state.stop("the archive expands beyond limits.max_archive_bytes")
                return
            if not member.isfile() or _skipped_dir(member.name, state):
                continue
            if state.files >= state.limits.max_nodes:
                state.stop(f"only the first {state.limits.max_nodes} files were looked at")
                return
            state.files += 1
            content = tar.extractfile(member)  # in memory; nothing is written to disk
            body = content.read(min(member.size, _MAX_TEXT)) if content is not None else b""
            yield _Entry(member.name, member.size, _bytes_reader(body))


def _bytes_reader(body: bytes) -> Callable[[int], bytes]:
    def read(n: int) -> bytes:
        return body[:n] if n > 0 else body

    return read


def _skipped_dir(path: str, state: _State) -> bool:
    parts = path.split("/")
    if "node_modules" in parts[:-1]:
        index = parts.index("node_modules")
        rest = parts[index + 1 :]
        if rest and rest[0].startswith("@") and len(rest) > 1:
            state.npm.setdefault(f"{rest[0]}/{rest[1]}", "/".join(parts[: index + 1]))
        elif rest:
            state.npm.setdefault(rest[0], "/".join(parts[: index + 1]))
        return True
    return any(p in _SKIP_DIRS for p in parts[:-1])


def _check(entry: _Entry, state: _State, yara_rules: object | None) -> None:
    path = entry.path
    shown = safe_name(path)
    base = path.rsplit("/", 1)[-1]
    lowered = path.lower()
    state.indicators += [i for i in name_indicators(base, shown) if i.kind != "executables"]
    head = entry.read(_HEAD)
    kind = kind_of(head)
    if kind == "executable":
        state.add("executables", shown, "a compiled program in the submission")
    elif kind == "shortcut":
        state.add("shortcut", shown, "Windows shortcut")
    interesting = (
        base == "package.json"
        or base == "package-lock.json"
        or base in ("setup.py", "pyproject.toml", "hatch_build.py", "Pipfile")
        or (base.startswith("requirements") and base.endswith(".txt"))
        or lowered.endswith(".vscode/tasks.json")
        or _CONFIG.search(path) is not None
        or (_SOURCE.search(path) is not None and _MINIFIED.search(path) is None)
    )
    if not interesting and yara_rules is None:
        return
    if entry.size > _MAX_TEXT:
        return
    data = entry.read(0)
    if yara_rules is not None:
        _yara(yara_rules, data, shown, state)
    if not interesting:
        return
    text = data.decode("utf-8", errors="replace")
    if base == "package.json":
        _package_json(text, shown, state)
    elif base == "package-lock.json":
        _package_lock(text, state)
    elif base == "pyproject.toml":
        _pyproject(text, shown, state)
    elif base.startswith("requirements") or base == "Pipfile":
        for line in text.splitlines():
            match = _REQ_LINE.match(line)
            if match and not line.lstrip().startswith(("-", "#", "[")):
                state.pypi.setdefault(match.group(1), shown)
    elif lowered.endswith(".vscode/tasks.json"):
        _tasks(text, shown, state)
    if base in ("setup.py", "hatch_build.py"):
        _build_script(text, shown, state)
    if _CONFIG.search(path) or _SOURCE.search(path):
        _loader(text, shown, state, config=_CONFIG.search(path) is not None)


def _package_json(text: str, where: str, state: _State) -> None:
    try:
        manifest = json.loads(text)
    except ValueError:
        return
    if not isinstance(manifest, dict):
        return
    scripts = manifest.get("scripts")
    if isinstance(scripts, dict):
        for hook in INSTALL_SCRIPTS + PREPARE_SCRIPTS:
            command = scripts.get(hook)
            if not isinstance(command, str) or _BENIGN_INSTALL.match(command):
                continue
            if hook in INSTALL_SCRIPTS or _SUSPICIOUS_COMMAND.search(command):
                state.add("install_scripts", f"{where} scripts.{hook}", command)
    for section in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
        deps = manifest.get(section)
        if isinstance(deps, dict):
            for dep in deps:
                state.npm.setdefault(str(dep), f"{where} {section}")


def _package_lock(text: str, state: _State) -> None:
    try:
        lock = json.loads(text)
    except ValueError:
        return
    packages = lock.get("packages") if isinstance(lock, dict) else None
    if isinstance(packages, dict):
        for key in packages:
            if "node_modules/" in key:
                state.npm.setdefault(key.rsplit("node_modules/", 1)[-1], "package-lock.json")


def _pyproject(text: str, where: str, state: _State) -> None:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return
    project = data.get("project") or {}
    deps = list(project.get("dependencies") or [])
    for group in (project.get("optional-dependencies") or {}).values():
        deps += list(group or [])
    poetry = ((data.get("tool") or {}).get("poetry") or {}).get("dependencies") or {}
    deps += [str(name) for name in poetry]
    for dep in deps:
        match = _REQ_LINE.match(str(dep))
        if match:
            state.pypi.setdefault(match.group(1), where)
    backend = data.get("build-system") or {}
    if backend.get("backend-path"):
        state.add(
            "build_hooks",
            f"{where} build-system",
            f"in-tree build backend {backend.get('build-backend', '?')} runs on install",
        )


def _tasks(text: str, where: str, state: _State) -> None:
    if not _TASKS_RUN_ON.search(text):
        return
    commands = re.findall(r"[\"']command[\"']\s*:\s*[\"']((?:[^\"'\\]|\\.){0,300})", text)
    detail = "runs on folder open: " + (commands[0] if commands else "a task")
    state.add("folder_open_tasks", where, detail)


def _build_script(text: str, where: str, state: _State) -> None:
    execs = _PY_EXEC.findall(text)
    fetches = _PY_FETCH.findall(text)
    if fetches and execs:
        state.add(
            "build_hooks",
            where,
            f"fetches or decodes ({fetches[0].strip()}) and executes ({execs[0].strip()})",
        )
    elif fetches and any(f.strip() in ("curl", "wget") for f in fetches):
        state.add("build_hooks", where, f"downloads with {fetches[0]}")


def _loader(text: str, where: str, state: _State, *, config: bool) -> None:
    if _POLINRIDER in text:
        state.add("config_loaders", where, f"carries the PolinRider marker {_POLINRIDER}")
        return
    sink = _SINK.search(text)
    if sink is None:
        return
    padded = _PADDING.search(text)
    blob = _BLOB.search(text)
    hex_ids = len(_HEX_IDS.findall(text)) >= 20
    if padded:
        spaces = len(padded.group(0)) - 2
        state.add(
            "config_loaders",
            where,
            f"code hidden after {spaces} spaces on one line, calling {sink.group(0).strip()}",
        )
    elif config and (blob or hex_ids):
        shape = f"a {len(blob.group(0))}-character encoded string" if blob else "_0x identifiers"
        state.add("config_loaders", where, f"{shape} and {sink.group(0).strip()} in a config file")


def _check_dependencies(state: _State) -> None:
    for name, osv in lookup("npm", state.npm, state.lists_dir):
        state.add("malicious_packages", state.npm[name], f"npm {name} ({osv})")
    for name, osv in lookup("PyPI", state.pypi, state.lists_dir):
        state.add("malicious_packages", state.pypi[name], f"PyPI {name} ({osv})")


def _yara(rules: object, data: bytes, where: str, state: _State) -> None:
    try:
        matches = rules.match(data=data, timeout=5)  # type: ignore[attr-defined]
    except Exception:
        state.stop(f"{where}: YARA matching failed")
        return
    for match in matches:
        state.add("yara", where, f"rule {match.rule}")


def compile_yara(paths: Sequence[Path]) -> object:
    """The user's YARA rule files, compiled (the 'yara' extra); ``ConfigError`` when unusable."""
    try:
        import yara
    except ImportError:
        raise ConfigError(
            "YARA rules need the 'yara' extra: pip install 'screening[yara]'"
        ) from None
    try:
        return yara.compile(filepaths={f"r{i}": str(p) for i, p in enumerate(paths)})
    except Exception as exc:  # yara.Error and file errors: name the problem, not a traceback
        raise ConfigError(f"cannot compile the YARA rules: {exc}") from None
