"""The documentation names only things that exist: README.md and every ``docs/**/*.md``.

Four checks per Markdown file; each failure names the file, the line and what is missing.

1. **Links.** Every relative link or image, ``[text](target)`` or ``![alt](target)``, outside
   code, resolves to a file or folder of the repository. A ``#anchor`` (alone, or after a
   Markdown file) must be the GitHub slug of one of that file's headings. Links with a scheme
   (``https:``, ``mailto:`` ...) are not followed.
2. **Repository paths.** Every path that starts with ``configs/``, ``tools/``,
   ``seqclr_mmocr/``, ``tests/`` or ``docs/``, in the prose, in inline code or in a fenced
   code block, exists. In a code block, ``$VAR`` and ``${VAR}`` are first replaced by a value
   assigned earlier in the same block (``VAR=value``, a value without ``$``, quotes or
   parentheses), so ``FT=$C/finetune_...py`` is checked as the config it names. Not checked:
   - a path that directly follows another path component (``../configs/...``,
     ``work_dirs/x/tools/...``): such a path is relative to something else, and links are
     checked by (1);
   - a path whose text goes on with a placeholder character (``$ < > { } * ? [``), as in
     ``configs/_base_/models/seqclr_<name>.py``, ``seqclr_mmocr/models/{algorithms,...}`` or
     ``configs/seqclr/*_demo-handwriting.py``, and a path with an upper-case placeholder
     segment (``tools/X/CONFIG``);
   - anything under ``work_dirs/`` or ``data/`` (outputs and data that the commands make).
3. **Configs.** Every path of (2) that is an experiment config (``configs/**/*.py`` outside
   ``_base_``) loads with ``mmengine.Config.fromfile`` (bases merged, ``mmocr::`` files and
   environment variables resolved; ``OWN_DATA`` set to a temporary folder, as the own-data
   configs read it), and the modules of its ``custom_imports`` exist.
4. **Tool flags.** In code blocks and inline code, every ``--flag`` that follows a
   ``tools/<name>.py`` command in the same command (continuation lines joined; a command ends
   at a newline, ``;``, ``|``, ``&`` or ``)``, after ``$(...)`` and quoted strings are set
   aside; a ``#`` comment ends it too) is defined by an ``add_argument`` call of that tool or
   of a repository module it imports (read from the syntax tree, not by running ``--help``).

The README's own-data block is also kept equal to the one in ``docs/own_data.md``.
"""

import ast
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = [REPO_ROOT / 'README.md'] + sorted((REPO_ROOT / 'docs').rglob('*.md'))
PATH_ROOTS = ('configs', 'tools', 'seqclr_mmocr', 'tests', 'docs')

FENCE = re.compile(r'^\s*(```|~~~)')
LINK = re.compile(r'!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')
INLINE_CODE = re.compile(r'`([^`\n]+)`')
REPO_PATH = re.compile(
    r'(?<![\w./-])((?:' + '|'.join(PATH_ROOTS) + r')/[\w./@+-]*)(?P<after>.?)', re.S
)
PLACEHOLDER_CHARS = set('$<>{}*?[')
UPPER_PLACEHOLDER = re.compile(r'^[A-Z][A-Z0-9_]*$')
ASSIGNMENT = re.compile(r'(?:^|\s)([A-Za-z_]\w*)=([\w./@:+,-]+)(?=\s|$)')
ASSIGNMENT_LINE = re.compile(r'^\s*(?:export\s+)?[A-Za-z_]\w*=')
VARIABLE = re.compile(r'\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)')
TOOL = re.compile(r'(?<![\w./-])(tools/[\w/.-]+\.py)\b')
FLAG = re.compile(r'(?<![\w-])(--[A-Za-z][\w-]*)')
COMMAND_SUBSTITUTION = re.compile(r'\$\([^()]*\)')
QUOTED = re.compile(r'"[^"\n]*"|\'[^\'\n]*\'')
COMMAND_END = re.compile(r'[;|&)\n]|(?:^|\s)#')


@dataclass
class Fragment:
    """A piece of a Markdown file: prose, inline code or a logical line of a code block."""

    text: str
    line: int
    kind: str  # 'prose', 'inline' or 'code'


def rel(path: Path, root: Path = REPO_ROOT) -> str:
    return str(path.relative_to(root))


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', heading.strip())
    return re.sub(r'[^\w\- ]', '', text.lower()).replace(' ', '-')


def fragments(text: str) -> Iterator[Fragment]:
    """Prose lines, inline code spans and the logical lines of fenced code blocks, with the
    line (1-based) where each starts. In code, a line ending in a backslash is joined with
    the next, and ``$VAR``/``${VAR}`` take the value the block assigned them."""
    in_code, pending, pending_line, variables = False, '', 0, {}
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            in_code, pending, variables = not in_code, '', {}
            continue
        if not in_code:
            yield Fragment(line, number, 'prose')
            for span in INLINE_CODE.finditer(line):
                yield Fragment(span.group(1), number, 'inline')
            continue
        if not pending:
            pending_line = number
        if line.endswith('\\'):
            pending += line[:-1] + ' '
            continue
        logical, pending = expand(pending + line, variables), ''
        if ASSIGNMENT_LINE.match(logical):
            for name, value in ASSIGNMENT.findall(logical):
                variables[name] = value
        yield Fragment(logical, pending_line, 'code')


def expand(line: str, variables: Dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        return variables.get(name, match.group(0))

    return VARIABLE.sub(value, line)


def headings(path: Path) -> Set[str]:
    """The GitHub anchors of a Markdown file's headings (duplicates numbered as GitHub does)."""
    seen: Dict[str, int] = {}
    anchors = set()
    for fragment in fragments(path.read_text(encoding='utf-8')):
        match = re.match(r'^#{1,6}\s+(.*?)\s*#*\s*$', fragment.text)
        if fragment.kind == 'prose' and match:
            slug = github_slug(match.group(1))
            anchors.add(slug if slug not in seen else f'{slug}-{seen[slug]}')
            seen[slug] = seen.get(slug, 0) + 1
    return anchors


def strip_code(line: str) -> str:
    return INLINE_CODE.sub(lambda m: ' ' * len(m.group(0)), line)


def broken_links(path: Path, root: Path = REPO_ROOT) -> List[str]:
    problems = []
    for fragment in fragments(path.read_text(encoding='utf-8')):
        if fragment.kind != 'prose':
            continue
        for match in LINK.finditer(strip_code(fragment.text)):
            target = match.group(1)
            if re.match(r'^[a-zA-Z][a-zA-Z+.-]*:', target):
                continue
            file_part, _, anchor = target.partition('#')
            linked = (path.parent / file_part).resolve() if file_part else path
            where = f'{rel(path, root)}:{fragment.line}'
            if not linked.exists():
                problems.append(f'{where}: link target {target!r} does not exist')
            elif anchor and linked.suffix == '.md' and anchor not in headings(linked):
                problems.append(
                    f'{where}: link {target!r}: {rel(linked, root)} has no heading with anchor '
                    f'#{anchor}'
                )
    return problems


def named_paths(path: Path) -> List[Tuple[str, int]]:
    """The repository paths a Markdown file names, with their lines (rule 2 above)."""
    found = []
    for fragment in fragments(path.read_text(encoding='utf-8')):
        text = strip_code(fragment.text) if fragment.kind == 'prose' else fragment.text
        for match in REPO_PATH.finditer(text):
            name = match.group(1).rstrip('.,')
            after = match.group('after') if name == match.group(1) else '.'
            if after in PLACEHOLDER_CHARS:
                continue
            if any(UPPER_PLACEHOLDER.match(part) for part in name.split('/')):
                continue
            found.append((name, fragment.line))
    return found


def missing_paths(path: Path, root: Path = REPO_ROOT) -> List[str]:
    return [
        f'{rel(path, root)}:{line}: {name} does not exist'
        for name, line in named_paths(path)
        if not (root / name).exists()
    ]


def is_experiment_config(name: str, root: Path = REPO_ROOT) -> bool:
    return (
        name.startswith('configs/')
        and name.endswith('.py')
        and '_base_' not in name.split('/')
        and (root / name).is_file()
    )


@lru_cache(maxsize=None)
def config_error(name: str, root: Path = REPO_ROOT) -> Optional[str]:
    """Why a config does not load, or None. Its ``custom_imports`` are looked up, not
    imported (importing the plug-in would take most of this test's time):
    ``tests/test_every_config_builds.py`` builds the models."""
    from mmengine.config import Config

    try:
        config = Config.fromfile(str(root / name), import_custom_modules=False)
    except Exception as error:  # noqa: BLE001 - any failure to load is the finding
        return f'{type(error).__name__}: {error}'
    imports = config.get('custom_imports', {}).get('imports', [])
    missing = [module for module in imports if importlib.util.find_spec(module) is None]
    return f'custom_imports names no module {missing}' if missing else None


def imported_repo_modules(tool: Path, tree: ast.AST, root: Path) -> List[Path]:
    """Repository files that a tool imports: siblings (``from _vis_common import``) and
    package modules (``from seqclr_mmocr.x import``)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    files = []
    for name in names:
        parts = name.split('.')
        for candidate in (
            tool.parent.joinpath(*parts).with_suffix('.py'),
            root.joinpath(*parts).with_suffix('.py'),
            root.joinpath(*parts, '__init__.py'),
        ):
            if candidate.is_file():
                files.append(candidate)
                break
    return files


@lru_cache(maxsize=None)
def tool_flags(tool: str, root: Path = REPO_ROOT) -> Set[str]:
    """The ``--flags`` of every ``add_argument`` call in a tool and the modules it imports."""
    path = root / tool
    tree = ast.parse(path.read_text(encoding='utf-8'))
    flags = set()
    for source in [tree] + [
        ast.parse(module.read_text(encoding='utf-8'))
        for module in imported_repo_modules(path, tree, root)
    ]:
        for node in ast.walk(source):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == 'add_argument'
            ):
                flags.update(
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and arg.value.startswith('--')
                )
    return flags


def tool_commands(text: str) -> Iterator[Tuple[str, List[str]]]:
    """Each ``tools/<name>.py`` command in a line of code, with the flags given to it."""
    text = QUOTED.sub('""', COMMAND_SUBSTITUTION.sub('X', text))
    for match in TOOL.finditer(text):
        rest = text[match.end() :]
        end = COMMAND_END.search(rest)
        yield match.group(1), FLAG.findall(rest[: end.start()] if end else rest)


def unknown_flags(path: Path, root: Path = REPO_ROOT) -> List[str]:
    problems = []
    for fragment in fragments(path.read_text(encoding='utf-8')):
        if fragment.kind == 'prose':
            continue
        for tool, flags in tool_commands(fragment.text):
            if not (root / tool).is_file():
                continue  # reported by the path check
            known = tool_flags(tool, root)
            problems += [
                f'{rel(path, root)}:{fragment.line}: {tool} has no option {flag}'
                for flag in flags
                if flag not in known
            ]
    return problems


DOC_IDS = [rel(path) for path in DOC_FILES]


def test_the_documentation_is_there():
    names = set(DOC_IDS)
    assert {'README.md', 'docs/README.md', 'docs/own_data.md', 'docs/get_started.md'} <= names
    assert len(DOC_FILES) >= 10


@pytest.mark.parametrize('path', DOC_FILES, ids=DOC_IDS)
def test_every_relative_link_resolves(path):
    problems = broken_links(path)
    assert not problems, '\n'.join(problems)


@pytest.mark.parametrize('path', DOC_FILES, ids=DOC_IDS)
def test_every_repository_path_named_exists(path):
    problems = missing_paths(path)
    assert not problems, '\n'.join(problems)


@pytest.mark.parametrize('path', DOC_FILES, ids=DOC_IDS)
def test_every_config_named_builds(path, monkeypatch, tmp_path):
    monkeypatch.setenv('OWN_DATA', str(tmp_path))
    monkeypatch.delenv('OWN_DATA_LABELS', raising=False)
    monkeypatch.delenv('OWN_DATA_UNLABELED', raising=False)
    problems = []
    for name, line in named_paths(path):
        if is_experiment_config(name):
            error = config_error(name)
            if error:
                problems.append(f'{rel(path)}:{line}: {name} does not build: {error}')
    assert not problems, '\n'.join(problems)


@pytest.mark.parametrize('path', DOC_FILES, ids=DOC_IDS)
def test_every_tool_flag_used_is_defined(path):
    problems = unknown_flags(path)
    assert not problems, '\n'.join(problems)


def own_data_block(path: Path) -> str:
    text = path.read_text(encoding='utf-8')
    section = re.split(r'^## ', text.split('\n## Your own data\n', 1)[-1], flags=re.M)[0]
    if path.name == 'own_data.md':
        section = text.split('\n## The commands\n', 1)[1].split('\n## ', 1)[0]
    return re.search(r'```bash\n(.*?)```', section, re.S).group(1)


def test_the_own_data_guide_shows_the_readme_block_as_tested():
    readme_block = own_data_block(REPO_ROOT / 'README.md')
    guide_block = own_data_block(REPO_ROOT / 'docs' / 'own_data.md')
    assert guide_block == readme_block, (
        'docs/own_data.md: its command block differs from the README\'s "Your own data" block, '
        'which tests/test_own_data_readme.py runs'
    )


def test_the_checks_find_what_is_broken(tmp_path, monkeypatch):
    """Each check reports a broken link, anchor, path, config and flag, naming file and line,
    on a copy of the repository's layout holding one bad page and one bad config."""
    root = tmp_path / 'repo'
    (root / 'docs').mkdir(parents=True)
    (root / 'configs' / 'own_data').mkdir(parents=True)
    (root / 'tools').symlink_to(REPO_ROOT / 'tools')
    (root / 'docs' / 'own_data.md').write_text('# Your own data\n', encoding='utf-8')
    (root / 'configs' / 'own_data' / 'bad.py').write_text(
        "_base_ = ['./no_such_base.py']\n", encoding='utf-8'
    )
    doc = root / 'docs' / 'probe.md'
    doc.write_text(
        '# Probe\n'
        '\n'
        'See [the guide](own_data.md), [a gap](no_such_page.md), [here](#probe) and '
        '[nowhere](own_data.md#no-such-heading).\n'
        'Paths: `tools/infer.py`, `tools/no_such_tool.py`, `configs/seqclr/<name>.py`.\n'
        '\n'
        '```bash\n'
        'C=configs/own_data\n'
        '.venv/bin/python tools/infer.py $C/bad.py CKPT imgs \\\n'
        '    --out-dir work_dirs/x --no-such-flag "a (b)" --save-pred  # --not-a-flag\n'
        '```\n',
        encoding='utf-8',
    )
    monkeypatch.setenv('OWN_DATA', str(tmp_path))
    configs = [name for name, _ in named_paths(doc) if is_experiment_config(name, root)]

    assert broken_links(doc, root) == [
        "docs/probe.md:3: link target 'no_such_page.md' does not exist",
        "docs/probe.md:3: link 'own_data.md#no-such-heading': docs/own_data.md has no "
        'heading with anchor #no-such-heading',
    ]
    assert missing_paths(doc, root) == ['docs/probe.md:4: tools/no_such_tool.py does not exist']
    assert unknown_flags(doc, root) == [
        'docs/probe.md:8: tools/infer.py has no option --no-such-flag'
    ]
    assert configs == ['configs/own_data/bad.py']
    assert config_error(configs[0], root) is not None
    own_data_config = rel(sorted((REPO_ROOT / 'configs' / 'own_data').glob('*.py'))[0])
    assert config_error(own_data_config) is None


def test_github_slugs():
    assert github_slug('Mixed precision: `--amp`') == 'mixed-precision---amp'
    assert github_slug('Reading new images: `tools/infer.py`') == 'reading-new-images-toolsinferpy'
    assert github_slug('Labels, other configs, inference') == 'labels-other-configs-inference'
