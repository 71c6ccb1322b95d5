"""Secrets gate: no OpenRouter key, auth header or key fragment in any file git tracks or would add.

Scanned: every file of `git ls-files --cached --others --exclude-standard` (tracked, plus new files
that are not ignored, so a key is caught before `git add`): code, docs, notebooks with their outputs,
recordings. The key patterns are course_utils.redact's (the one definition); the rules here say where each
applies:
- everywhere: a whole OpenRouter key (`redact.KEY`) and any long piece of key material (`redact.KEY_MATERIAL`,
  20 characters or more: short masked labels such as `sk-or-v1-abc...f00` may appear in docs);
- recordings (vcrpy cassettes): any `Authorization:` header, any bearer token (`redact.BEARER`), and key
  material in a streamed response once its chunks are joined (`redact.stream_text`: a key split across
  chunks matches no line);
- notebook outputs: any key material at all (a masked or partial key).
- everywhere, with detect-secrets: other services' keys and tokens (OpenAI, AWS, GitHub, Slack, Stripe, …),
  private keys and passwords written into code. detect-secrets misses OpenRouter keys (their `sk-or-v1-`
  prefix defeats its entropy checks; /work/shared/TOOLING.md §5), which is why the rules above exist; its
  entropy detectors are off, since generation ids and base64 chart images would all match them.
Findings name the file, place and rule, never the matched text.
"""
from __future__ import annotations

import json
import re
import secrets
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from course_utils import redact, text
from course_utils.record.check import leaking_streams

ROOT = Path(__file__).resolve().parents[2]
LONG_TOKEN = 20  # characters of key material from which it is flagged outside notebook outputs too
KEY_RULES: dict[str, Callable[[str], bool]] = {
    "openrouter-key": lambda line: redact.KEY.search(line) is not None,
    "sk-or-token": lambda line: any(len(m.group(0)) >= LONG_TOKEN for m in redact.KEY_MATERIAL.finditer(line)),
}
RECORDING_RULES: dict[str, Callable[[str], bool]] = {
    # vcrpy's format; the recorder keeps no Authorization header, scrubbed or not.
    "authorization-header": lambda line: re.search(r"\bauthorization['\"]?\s*:", line, re.IGNORECASE) is not None,
    "bearer-token": lambda line: redact.BEARER.search(line) is not None,
}
# detect-secrets' detectors of fixed secret formats and keywords (not entropy, not public IP addresses).
DETECT_SECRETS_PLUGINS = (
    "AWSKeyDetector", "ArtifactoryDetector", "AzureStorageKeyDetector", "BasicAuthDetector", "CloudantDetector",
    "DiscordBotTokenDetector", "GitHubTokenDetector", "GitLabTokenDetector", "IbmCloudIamDetector",
    "IbmCosHmacDetector", "JwtTokenDetector", "KeywordDetector", "MailchimpDetector", "NpmDetector",
    "OpenAIDetector", "PrivateKeyDetector", "PypiTokenDetector", "SendGridDetector", "SlackDetector",
    "SoftlayerDetector", "SquareOAuthDetector", "StripeDetector", "TelegramBotTokenDetector", "TwilioKeyDetector")
CHART_IMAGE_LINE = r'^\s*"image/png": "'  # a notebook's base64 PNG: megabytes that cannot hold a key


@dataclass(frozen=True)
class Finding:
    """Where a rule matched: file, line (or notebook cell) and rule name; never the secret itself."""

    path: str
    place: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.place}: {self.rule}"


def repo_files(root: Path = ROOT) -> list[str]:
    """Files git tracks plus untracked files it does not ignore, relative to `root`."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=root, capture_output=True, check=True).stdout
    return sorted(name for name in listed.decode("utf-8").split("\0") if name and (root / name).is_file())


def scan(root: Path, names: Iterable[str]) -> list[Finding]:
    """Every finding in the files `names` (relative to `root`)."""
    names = list(names)
    return [finding for name in names for finding in scan_file(root / name, name)] + detect_secrets(root, names)


def detect_secrets(root: Path, names: list[str]) -> list[Finding]:
    """detect-secrets' findings (see DETECT_SECRETS_PLUGINS) in the files `names` (relative to `root`)."""
    from detect_secrets import SecretsCollection
    from detect_secrets.settings import Settings, transient_settings

    filters = [{"path": path} for path in Settings().filters]  # its default filters and heuristics
    filters.append({"path": "detect_secrets.filters.regex.should_exclude_line", "pattern": [CHART_IMAGE_LINE]})
    with transient_settings({"plugins_used": [{"name": name} for name in DETECT_SECRETS_PLUGINS],
                             "filters_used": filters}):
        collection = SecretsCollection(root=str(root))
        collection.scan_files(*names)
    return [Finding(name, f"line {secret.line_number}", f"detect-secrets: {secret.type}")
            for name, found in collection.data.items() for secret in found]


def scan_file(path: Path, name: str) -> list[Finding]:
    content = path.read_bytes().decode("utf-8", errors="replace")
    rules = dict(KEY_RULES)
    if _is_recording(name, content):
        rules.update(RECORDING_RULES)
    findings = [Finding(name, f"line {number}", rule)
                for number, line in enumerate(content.splitlines(), 1)
                for rule, matches in rules.items() if matches(line)]
    if _is_recording(name, content):
        findings += [Finding(name, f"interaction {n}", "sk-or-in-stream") for n in leaking_streams(content)]
    if name.endswith(".ipynb"):
        findings += _scan_outputs(name, content)
    return findings


def _is_recording(name: str, content: str) -> bool:
    """A vcrpy cassette: a YAML file with an `interactions:` list."""
    return name.endswith((".yaml", ".yml")) and re.search(r"^interactions:", content, re.MULTILINE) is not None


def _scan_outputs(name: str, content: str) -> list[Finding]:
    try:
        cells = json.loads(content).get("cells", [])
    except ValueError:
        return [Finding(name, "file", "unreadable-notebook")]
    return [Finding(name, f"cell {index} output", "sk-or-in-output")
            for index, cell in enumerate(cells)
            for output in cell.get("outputs", [])
            if redact.KEY_MATERIAL.search(json.dumps(output, ensure_ascii=False))]


# -- the gate ----------------------------------------------------------------------------------------------

def test_repository_holds_no_secrets():
    names = repo_files()
    assert any(name.endswith(".ipynb") for name in names) and "README.md" in names
    findings = scan(ROOT, names)
    assert not findings, "key material found:\n" + "\n".join(map(str, findings))


def test_dotenv_is_ignored_by_git():
    assert subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT).returncode == 0
    assert subprocess.run(["git", "check-ignore", "-q", ".env.example"], cwd=ROOT).returncode == 1


# -- the scanner finds what it must, and only that -------------------------------------------------------------

def _planted_key() -> str:
    return "sk-or-v1-" + secrets.token_hex(32)


def _cassette(headers: str) -> str:
    return ("interactions:\n- request:\n    body: '{\"model\": \"m/x\"}'\n    headers:\n" + headers
            + "    method: POST\n    uri: https://openrouter.ai/api/v1/chat/completions\n"
            "  response:\n    body:\n      string: '{}'\n    status:\n      code: 200\nversion: 1\n")


def _notebook_with_output(printed: str) -> str:
    """A copy of the first course notebook whose first code cell printed `printed`."""
    notebook = json.loads(sorted((ROOT / "notebooks").glob("*.ipynb"))[0].read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": [printed + "\n"]}]
    return json.dumps(notebook, ensure_ascii=False, indent=1)


def _scan_planted(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, str]]:
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    return {(f.path, f.rule) for f in scan(tmp_path, files)}


def test_scanner_fails_on_planted_keys(tmp_path):
    key = _planted_key()
    found = _scan_planted(tmp_path, {
        "course_utils/settings.py": f'API_KEY = "{key}"\n',
        "docs/notes.md": f"old key: sk-or-{secrets.token_hex(12)}\n",
        "notebooks/99_leak.ipynb": _notebook_with_output(f"key = {key}"),
        "course_utils/recordings/99_leak.yaml": _cassette(f"      authorization:\n      - Bearer {key}\n"),
        "course_utils/recordings/99_header.yaml": _cassette("      Authorization:\n      - '[REDACTED]'\n"),
        "course_utils/recordings/99_bearer.yaml": _cassette(f"      x-note:\n      - Bearer {secrets.token_hex(8)}\n"),
    })
    assert found == {
        ("course_utils/settings.py", "openrouter-key"), ("course_utils/settings.py", "sk-or-token"),
        ("course_utils/settings.py", "detect-secrets: Secret Keyword"),
        ("docs/notes.md", "sk-or-token"),
        ("notebooks/99_leak.ipynb", "openrouter-key"), ("notebooks/99_leak.ipynb", "sk-or-token"),
        ("notebooks/99_leak.ipynb", "sk-or-in-output"),
        ("course_utils/recordings/99_leak.yaml", "openrouter-key"),
        ("course_utils/recordings/99_leak.yaml", "sk-or-token"),
        ("course_utils/recordings/99_leak.yaml", "authorization-header"),
        ("course_utils/recordings/99_leak.yaml", "bearer-token"),
        ("course_utils/recordings/99_header.yaml", "authorization-header"),
        ("course_utils/recordings/99_bearer.yaml", "bearer-token"),
    }


def _stream_cassette(pieces: list[str]) -> str:
    """A cassette of one streamed answer whose content arrives in `pieces`, one SSE chunk each."""
    import yaml

    body = "".join(f"data: {json.dumps({'choices': [{'delta': {'content': p}}]})}\n\n" for p in pieces)
    interaction = {"request": {"body": "{}", "headers": {}, "method": "POST",
                               "uri": "https://openrouter.ai/api/v1/chat/completions"},
                   "response": {"body": {"string": body + "data: [DONE]\n\n"}, "headers": {},
                                "status": {"code": 200, "message": "OK"}}}
    return yaml.safe_dump({"interactions": [interaction], "version": 1})


def test_scanner_joins_a_streamed_answer_before_looking_for_a_key(tmp_path):
    """A proxy echoing the key (or a prompt holding it) streams it a few characters per chunk: no line matches."""
    key = _planted_key()
    found = _scan_planted(tmp_path, {
        "course_utils/recordings/99_echo.yaml": _stream_cassette(["鍵: ", *(key[i:i + 4] for i in range(0, 73, 4))]),
        "course_utils/recordings/99_prose.yaml": _stream_cassette(["キーは「sk-or-", "v1-」で", "始まります"]),
    })
    assert found == {("course_utils/recordings/99_echo.yaml", "sk-or-in-stream")}


def test_scanner_fails_on_other_services_secrets(tmp_path):
    """detect-secrets' part: keys of other services and private keys, built here so none sits in the repo."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    aws = "AKIA" + "".join(secrets.choice(alphabet) for _ in range(16))
    github = "ghp_" + secrets.token_hex(18)
    pem = "-----BEGIN " + "RSA PRIVATE KEY-----\n" + secrets.token_hex(32) + "\n-----END RSA PRIVATE KEY-----\n"
    found = _scan_planted(tmp_path, {
        "tools/aws.py": f'ACCESS = "{aws}"\n',
        "notebooks/99_token.ipynb": _notebook_with_output(f"token: {github}"),
        "docs/server.pem": pem,
    })
    assert {path for path, _ in found} == {"tools/aws.py", "notebooks/99_token.ipynb", "docs/server.pem"}
    assert {rule for _, rule in found} >= {"detect-secrets: AWS Access Key", "detect-secrets: GitHub Token",
                                           "detect-secrets: Private Key"}


def test_scanner_flags_a_masked_key_in_an_output_only(tmp_path):
    masked = "sk-or-v1-" + secrets.token_hex(2)[:3] + "..." + secrets.token_hex(2)[:3]
    found = _scan_planted(tmp_path, {"notebooks/99_masked.ipynb": _notebook_with_output(f"label: {masked}"),
                                     "docs/masked.md": f"The key list shows labels like {masked}.\n"})
    assert found == {("notebooks/99_masked.ipynb", "sk-or-in-output")}


def test_scanner_accepts_the_course_texts_about_keys(tmp_path):
    texts = [text.DOCUMENT_PLACEHOLDER, *text.KEYS.values(), *(m["cause"] for m in text.ERRORS.values()),
             "api_key = \"sk-or-v1-…\"", "Bearer [REDACTED]"]
    found = _scan_planted(tmp_path, {
        "notebooks/99_texts.ipynb": _notebook_with_output("\n".join(texts)),
        "course_utils/recordings/99_clean.yaml": _cassette("      content-type:\n      - application/json\n"),
    })
    assert found == set()


def test_git_lists_new_files_for_the_scan(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text(".env\n", encoding="utf-8")
    (tmp_path / ".env").write_text(f"OPENROUTER_API_KEY={_planted_key()}\n", encoding="utf-8")
    (tmp_path / "new.py").write_text(f'KEY = "{_planted_key()}"\n', encoding="utf-8")
    names = repo_files(tmp_path)
    assert names == [".gitignore", "new.py"]
    assert {f.rule for f in scan(tmp_path, names)} == {"openrouter-key", "sk-or-token"}
