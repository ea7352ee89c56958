#!/usr/bin/python3
"""Mutation testing for dcsim: plant small faults in sim/ and models/ and check that the tests notice.

usage:
  scripts/mutate.py --list                          candidate counts per folder and operator, no build
  scripts/mutate.py [--count 100] [--seed 1]        a stratified sample over folders
  scripts/mutate.py --only sim/core/stats --count 6 only files whose path starts with the prefix
  scripts/mutate.py --ids ID [ID ...]               re-run given mutants (the hash after the last ':' is
                                                    what matches, so ids survive unrelated edits)
  scripts/mutate.py --ids-from build/mutation/report.csv --status survived
  scripts/mutate.py --ids-from build/mutation/report.csv --merge-into build/mutation/report.csv
                                                    re-run the survivors and report the whole sample again

The project (git-tracked plus untracked-but-not-ignored files) is copied to build/mutation/src and built in
build/mutation/build (Release, no benchmarks); the user's tree is never touched. The baseline must pass the
whole ctest suite (cached per source digest). Each mutant is applied to the copy, built (a build failure
is "stillborn" and replaced by another draw from the same folder), run first against the Catch test files
that cover the mutated file (--filenames-as-tags, --abort), then against the whole ctest suite. Survivors
listed in tests/mutation/equivalent.txt ("ID  reason") are reported as equivalent. Reports go to
build/mutation/report.md and report.csv. Standard library only; exits 0 when it ran, 2 on harness errors.
"""
import argparse, bisect, csv, hashlib, json, math, os, random, re, shutil, signal, subprocess, sys, tempfile, time
from dataclasses import dataclass
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTATED_DIRS = ("sim/core/", "sim/io/", "models/")
KEYWORDS = {"if", "while", "for", "switch", "return", "sizeof", "catch", "alignof", "decltype", "noexcept",
            "static_assert", "operator", "this", "auto", "new", "delete", "throw", "case", "co_return",
            "requires", "alignas", "typeid", "const", "constexpr"}
COMMUTATIVE = {"min", "max", "fmin", "fmax", "hypot", "swap", "gcd", "lcm"}
SWAPS = {"<": ["<=", ">"], "<=": ["<"], ">": [">=", "<"], ">=": [">"], "==": ["!="], "!=": ["=="],
         "+": ["-"], "-": ["+"], "*": ["/"], "/": ["*"], "+=": ["-="], "-=": ["+="], "*=": ["/="],
         "/=": ["*="], "&&": ["||"], "||": ["&&"]}
OP_KIND = {"&&": "logical", "||": "logical", "+": "arithmetic", "-": "arithmetic", "*": "arithmetic",
           "/": "arithmetic", "+=": "arithmetic", "-=": "arithmetic", "*=": "arithmetic", "/=": "arithmetic"}
PUNCTS = sorted("<=> <<= >>= ->* ... :: -> ++ -- << >> <= >= == != && || += -= *= /= %= &= |= ^= .* ##"
                .split(), key=len, reverse=True)
NUM_RE = re.compile(r"\.?\d(?:[eEpP][+-]|[0-9a-zA-Z_.]|'(?=[0-9a-zA-Z]))*")
ID_RE = re.compile(r"[A-Za-z_]\w*")
RAW_RE = re.compile(r'(?:u8|u|U|L)?R"([^()\\ \t\n]{0,16})\(')
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
BOOL_OPS = {"==", "!=", "<=", ">=", "&&", "||"}
MATH_FUNCS = {"sqrt", "exp", "log", "pow", "abs", "fabs", "floor", "ceil", "clamp", "min", "max", "round",
              "log1p", "expm1", "cbrt", "lround", "llround", "hypot"}


class HarnessError(Exception):
    """A problem with the harness or the baseline, not with a mutant."""


class Interrupted(Exception):
    pass


@dataclass
class Token:
    kind: str  # id, num, str, punct
    text: str
    start: int
    end: int


@dataclass
class Mutant:
    path: str
    start: int
    end: int
    original: str
    replacement: str
    op: str
    line: int = 0
    col: int = 0
    ident: str = ""
    status: str = ""
    killed_by: str = ""
    seconds: float = 0.0
    build_s: float = 0.0
    test_s: float = 0.0
    line_before: str = ""
    line_after: str = ""
    warning: str = ""

    @property
    def key(self):
        return self.ident.rsplit(":", 1)[-1]

    @property
    def folder(self):
        return folder_of(self.path)


def brief(code, width=0):
    """Code on one line, whitespace collapsed, optionally cut to width characters."""
    one = " ".join(code.split())
    return one if not width or len(one) <= width else one[:width - 3] + "..."


def folder_of(path):
    return "/".join(path.split("/")[:-1][:2])


def id_key(ident):
    return ident.strip().rsplit(":", 1)[-1]


# ---------------------------------------------------------------------------------------------- lexing
def _skip_preprocessor(text, i):
    while True:
        j = text.find("\n", i)
        if j < 0:
            return len(text)
        if text[j - 1] != "\\":
            return j
        i = j + 1


def _quoted_end(text, i):
    quote, j = text[i], i + 1
    while j < len(text) and text[j] != quote and text[j] != "\n":
        j += 2 if text[j] == "\\" else 1
    return j + 1


def _literal_or_comment(text, i):
    """(end, kind) of a comment or string/char literal starting at i, or None."""
    if text.startswith("//", i):
        j = text.find("\n", i)
        return (len(text) if j < 0 else j), None
    if text.startswith("/*", i):
        j = text.find("*/", i + 2)
        return (len(text) if j < 0 else j + 2), None
    m = RAW_RE.match(text, i)
    if m:
        close = ")" + m.group(1) + '"'
        j = text.find(close, m.end())
        return (len(text) if j < 0 else j + len(close)), "str"
    m = re.match(r'(?:u8|u|U|L)?["\']', text[i:i + 3])
    if m:
        return _quoted_end(text, i + m.end() - 1), "str"
    return None


def tokenize(text):
    """C++ tokens, skipping comments, preprocessor lines and whitespace; literals become 'str' tokens."""
    toks, i, n, at_bol = [], 0, len(text), True
    while i < n:
        c = text[i]
        if c.isspace():
            at_bol = at_bol or c == "\n"
            i += 1
            continue
        if at_bol and c == "#":
            i = _skip_preprocessor(text, i)
            continue
        at_bol = False
        lit = _literal_or_comment(text, i)
        if lit:
            if lit[1]:
                toks.append(Token("str", text[i:lit[0]], i, lit[0]))
            i = lit[0]
            continue
        m = ID_RE.match(text, i) if (c.isalpha() or c == "_") else NUM_RE.match(text, i)
        if m and m.end() > i:
            toks.append(Token("id" if (c.isalpha() or c == "_") else "num", m.group(), i, m.end()))
            i = m.end()
            continue
        p = next((p for p in PUNCTS if text.startswith(p, i)), c)
        toks.append(Token("punct", p, i, i + len(p)))
        i += len(p)
    return toks


# ---------------------------------------------------------------------------------------------- operators
def _spaced(text, t):
    return t.start > 0 and text[t.start - 1].isspace() and t.end < len(text) and text[t.end].isspace()


def _string_concatenation(toks, k):
    return toks[k].text in ("+", "+=") and "str" in (toks[k - 1].kind, toks[min(k + 1, len(toks) - 1)].kind)


def gen_operator_swaps(path, text, toks):
    for k, t in enumerate(toks):
        if t.kind == "punct" and t.text in SWAPS and _spaced(text, t) and not _string_concatenation(toks, k):
            for rep in SWAPS[t.text]:
                yield Mutant(path, t.start, t.end, t.text, rep, OP_KIND.get(t.text, "relational"))


def scaled_literals(lit):
    """Replacement texts for a numeric literal: x2 (and +1 for integers); [] when not understood or 0."""
    t = lit.replace("'", "")
    m = re.fullmatch(r"(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9]\d*)([uUlLzZ]*)", t)
    if m:
        body, suffix = m.groups()
        v = int(body, 8) if re.fullmatch(r"0[0-7]+", body) else int(body, 0)
        if v == 0 or v * 2 >= 2 ** 63:
            return []
        return list(dict.fromkeys([f"{v * 2}{suffix}", f"{v + 1}{suffix}"]))
    m = re.fullmatch(r"((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([fFlL]?)", t)
    if m and re.search(r"[.eE]", m.group(1)):
        v = float(m.group(1)) * 2
        if v == 0 or math.isinf(v):
            return []
        r = repr(v)
        return [r + ("" if re.search(r"[.e]", r) else ".0") + m.group(2)]
    return []


def _is_array_declarator(toks, k):
    """toks[k] is a literal in `type name[N]` or a template argument list."""
    prev, nxt = toks[k - 1] if k else None, toks[k + 1] if k + 1 < len(toks) else None
    if prev and (prev.text == "<" or prev.text == "case") or (nxt and nxt.text == ">"):
        return True
    return (prev and prev.text == "[" and k >= 3 and toks[k - 2].kind == "id" and toks[k - 3].kind == "id"
            and toks[k - 3].text not in KEYWORDS)


def gen_constants(path, text, toks):
    for k, t in enumerate(toks):
        if t.kind == "num" and not _is_array_declarator(toks, k):
            reps = scaled_literals(t.text)
            if toks[k - 1].text == "[" and toks[k + 1].text == "]":
                reps = reps[1:]  # an index: the next element, not one twice as far (likely out of bounds)
            for rep in reps:
                yield Mutant(path, t.start, t.end, t.text, rep, "constant")


def gen_off_by_one(path, text, toks):
    for k in range(1, len(toks) - 1):
        op, lit, after = toks[k], toks[k + 1], toks[k + 2] if k + 2 < len(toks) else None
        if (op.text in ("+", "-") and _spaced(text, op) and lit.kind == "num" and lit.text == "1"
                and not (after and after.text in ("*", "/", "%", ".", "(", "[", "::"))):
            prev = toks[k - 1]
            yield Mutant(path, prev.end, lit.end, text[prev.end:lit.end], "", "offbyone")
        if op.text == "[" and _is_subscript(text, toks, k) and lit.kind == "id" and after and after.text == "]":
                yield Mutant(path, lit.start, lit.end, lit.text, f"{lit.text} + 1", "offbyone")


def _is_subscript(text, toks, k):
    """toks[k] is `[` indexing an expression (not a lambda capture, attribute or declaration)."""
    prev = toks[k - 1]
    if text[toks[k].start - 1].isspace() or prev.text in KEYWORDS:
        return False
    if prev.kind == "id":
        return not (k >= 2 and toks[k - 2].kind == "id" and toks[k - 2].text not in KEYWORDS)
    return prev.kind == "punct" and prev.text in (")", "]")


def _matching(toks, k):
    """Index of the bracket closing toks[k], or None."""
    depth = 0
    for j in range(k, len(toks)):
        if toks[j].text in "([{" and toks[j].kind == "punct":
            depth += 1
        elif toks[j].text in ")]}" and toks[j].kind == "punct":
            depth -= 1
            if depth == 0:
                return j
    return None


def _split_top(toks, lo, hi):
    """Top-level comma-separated pieces of toks[lo:hi], as (first, last) index pairs."""
    parts, depth, begin = [], 0, lo
    for j in range(lo, hi):
        t = toks[j]
        if t.kind == "punct" and t.text in "([{":
            depth += 1
        elif t.kind == "punct" and t.text in ")]}":
            depth -= 1
        elif t.kind == "punct" and t.text == "," and depth == 0:
            parts.append((begin, j - 1))
            begin = j + 1
    return parts + [(begin, hi - 1)]


def _simple_arg(text, toks, a, b):
    """An argument worth swapping: an expression without nested commas, not a parameter declaration."""
    seg = toks[a:b + 1]
    for x, y in zip(seg, seg[1:]):
        if x.kind == "id" and y.kind == "id":
            return False  # a parameter declaration such as `double q`
        if x.text in ("&", "*", "&&") and not text[x.start - 1].isspace() and text[x.end].isspace():
            return False  # `const T& x`, `T* p`
    if any(t.text in ("<", ">") and not _spaced(text, t) for t in seg):
        return False  # template arguments: commas may not be top-level
    return bool(seg) and not any(t.text == "," for t in seg)


def gen_argument_swaps(path, text, toks):
    for k in range(1, len(toks)):
        t, name = toks[k], toks[k - 1]
        if not (t.text == "(" and name.kind == "id" and name.text not in KEYWORDS | COMMUTATIVE
                and name.end == t.start):
            continue
        close = _matching(toks, k)
        if close is None or close == k + 1:
            continue
        args = _split_top(toks, k + 1, close)
        for (a0, a1), (b0, b1) in zip(args, args[1:]):
            if not (_simple_arg(text, toks, a0, a1) and _simple_arg(text, toks, b0, b1)):
                continue
            first, second = text[toks[a0].start:toks[a1].end], text[toks[b0].start:toks[b1].end]
            if first != second:
                between = text[toks[a1].end:toks[b0].start]
                yield Mutant(path, toks[a0].start, toks[b1].end, first + between + second,
                             second + between + first, "argswap")


def _return_kind(text, toks, a, b):
    seg = toks[a:b + 1]
    if any(t.kind == "str" or t.text in ("?", "{", "nullptr", "this") for t in seg):
        return None
    if len(seg) == 1:
        return {"true": "bool", "false": "bool"}.get(seg[0].text, "arith" if seg[0].kind == "num" else None)
    depth, kinds = 0, set()
    for t in seg:
        depth += t.text in "([" and t.kind == "punct"
        depth -= t.text in ")]" and t.kind == "punct"
        if depth == 0 and (t.text in BOOL_OPS or (t.text in "<>" and _spaced(text, t))):
            kinds.add("bool")
        elif depth == 0 and t.text in ("+", "-", "*", "/", "%") and _spaced(text, t):
            kinds.add("arith")
    if seg[0].text == "!":
        kinds.add("bool")
    if seg[0].text == "std" and len(seg) > 2 and seg[2].text in MATH_FUNCS:
        kinds.add("arith")
    return "bool" if "bool" in kinds else ("arith" if kinds else None)


def gen_return_negation(path, text, toks):
    for k, t in enumerate(toks):
        if t.text != "return" or t.kind != "id":
            continue
        j, depth = k + 1, 0
        while j < len(toks) and not (depth == 0 and toks[j].text == ";"):
            depth += toks[j].text in "([{" and toks[j].kind == "punct"
            depth -= toks[j].text in ")]}" and toks[j].kind == "punct"
            j += 1
        if j >= len(toks) or j == k + 1:
            continue
        kind = _return_kind(text, toks, k + 1, j - 1)
        expr = text[toks[k + 1].start:toks[j - 1].end]
        if kind == "bool":
            rep = {"true": "false", "false": "true"}.get(expr, f"!({expr})")
        elif kind == "arith":
            rep = f"-({expr})"
        else:
            continue
        yield Mutant(path, toks[k + 1].start, toks[j - 1].end, expr, rep, "return")


GENERATORS = (gen_operator_swaps, gen_constants, gen_off_by_one, gen_argument_swaps, gen_return_negation)


def static_assert_spans(toks):
    """Character ranges of static_assert(...): mutating them only breaks the build."""
    spans = []
    for k, t in enumerate(toks[:-1]):
        if t.text == "static_assert" and toks[k + 1].text == "(":
            close = _matching(toks, k + 1)
            spans.append((t.start, toks[close].end if close else t.end))
    return spans


def file_mutants(path, text):
    """All mutants of one file, with line, column and stable ids."""
    toks = tokenize(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    lines = text.split("\n")
    seen, out, frozen = set(), [], static_assert_spans(toks)
    for gen in GENERATORS:
        for m in gen(path, text, toks):
            if (m.start, m.end, m.replacement) not in seen and not any(a <= m.start < b for a, b in frozen):
                seen.add((m.start, m.end, m.replacement))
                out.append(m)
    out.sort(key=lambda m: (m.start, m.end, m.op, m.replacement))
    occ = {}
    for m in out:
        m.line = bisect.bisect_right(line_starts, m.start)
        m.col = m.start - line_starts[m.line - 1] + 1
        stripped = lines[m.line - 1].strip()
        dup = sum(1 for ln in lines[:m.line - 1] if ln.strip() == stripped)  # identical earlier lines
        sig = (m.line, m.op, m.original, m.replacement)
        occ[sig] = occ.get(sig, -1) + 1
        h = hashlib.sha1("\0".join([path, stripped, str(dup), m.op, m.original, m.replacement,
                                    str(occ[sig])]).encode()).hexdigest()[:8]
        m.ident = f"{path}:{m.line}:{m.col}:{m.op}:{h}"
        first, last = line_starts[m.line - 1], text.find("\n", m.end)
        last = len(text) if last < 0 else last
        m.line_before = " ".join(text[first:last].split())
        m.line_after = " ".join((text[first:m.start] + m.replacement + text[m.end:last]).split())
    return out


def all_candidates(src, files, only, include_cli):
    dirs = MUTATED_DIRS + (("sim/cli/",) if include_cli else ())
    out = []
    for rel in files:
        if rel.endswith((".cpp", ".hpp")) and rel.startswith(dirs) and (not only or rel.startswith(tuple(only))):
            out.extend(file_mutants(rel, (src / rel).read_text(encoding="utf-8", errors="replace")))
    return out


# ---------------------------------------------------------------------------------------------- processes
def run(cmd, cwd=None, timeout=None):
    """(returncode, combined output, timed_out) of one command."""
    return run_parallel([cmd], cwd, [timeout])[0]


def run_parallel(cmds, cwd=None, timeouts=None, stop_on_failure=False):
    """[(returncode, output, timed_out)] of commands run at once, each in its own process group (killed
    on timeout or interruption). With stop_on_failure the first failure or timeout kills the others."""
    timeouts, procs, t0 = timeouts or [None] * len(cmds), [], time.time()
    outs = [tempfile.TemporaryFile() for _ in cmds]
    try:
        for cmd, out in zip(cmds, outs):
            procs.append(subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                          start_new_session=True))
        timed_out = [False] * len(cmds)
        while any(p.poll() is None for p in procs):
            for i, p in enumerate(procs):
                if p.poll() is None and timeouts[i] is not None and time.time() - t0 > timeouts[i]:
                    timed_out[i] = True
                    _kill(p)
            if stop_on_failure and any(timed_out[i] or (p.poll() or 0) != 0 for i, p in enumerate(procs)):
                for p in procs:
                    _kill(p)
            time.sleep(0.05)
        results = []
        for p, out, late in zip(procs, outs, timed_out):
            out.seek(0)
            results.append((p.wait(), out.read().decode(errors="replace"), late))
        return results
    finally:
        for p in procs:
            _kill(p)
            p.wait()
        for out in outs:
            out.close()


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _on_signal(signum, _frame):
    raise Interrupted(signal.Signals(signum).name)


# ---------------------------------------------------------------------------------------------- tree copy
def project_files(root):
    listed = []
    for args in (["ls-files"], ["ls-files", "--others", "--exclude-standard"]):
        rc, out, _ = run(["git", "-C", str(root)] + args)
        if rc != 0:
            raise HarnessError(f"git {' '.join(args)} failed:\n{out}")
        listed += out.splitlines()
    return sorted({f for f in listed if (root / f).is_file()})


def sync_tree(root, dest, files):
    """Make dest a copy of the project files, rewriting only what changed; returns a content digest."""
    digest = hashlib.sha256()
    manifest = dest / ".mutate-manifest"
    previous = set(manifest.read_text().splitlines()) if manifest.exists() else set()
    for rel in files:
        data = (root / rel).read_bytes()
        digest.update(rel.encode() + b"\0" + data + b"\0")
        target = dest / rel
        if not target.exists() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            shutil.copymode(root / rel, target)
    for rel in previous - set(files):
        (dest / rel).unlink(missing_ok=True)
    manifest.write_text("\n".join(files) + "\n")
    return digest.hexdigest()


def check_workdir(root, workdir):
    w = workdir.resolve()
    if w == root or root.is_relative_to(w):
        raise HarnessError(f"--workdir {w} must not contain the project")
    if w.is_relative_to(root):
        rc, _, _ = run(["git", "-C", str(root), "check-ignore", "-q", str(w)])
        if rc != 0:
            raise HarnessError(f"--workdir {w} is inside the project but not git-ignored")


# ---------------------------------------------------------------------------------------------- build & tests
CTEST_LINE = re.compile(r"^\s*\d+/\d+ Test\s+#\d+: (.+?) \.+\s*(\S.*?)\s+([\d.]+) sec\s*$", re.M)
CTEST_START = re.compile(r"^\s*Start\s+\d+: (.+?)\s*$", re.M)


class Project:
    def __init__(self, args):
        self.args, self.src, self.build = args, args.workdir.resolve(), args.builddir.resolve()
        self.tests_bin = self.build / "tests" / "dcsim_tests"
        self.baseline = {}

    def configure(self):
        if (self.build / "CMakeCache.txt").exists():
            return
        rc, out, _ = run(["cmake", "-S", str(self.src), "-B", str(self.build), "-DCMAKE_BUILD_TYPE=Release",
                          "-DDCSIM_BUILD_BENCH=OFF", "-DDCSIM_BUILD_TESTS=ON"])
        if rc != 0:
            raise HarnessError(f"cmake configure failed:\n{out[-4000:]}")

    def compile(self):
        rc, out, _ = run(["cmake", "--build", str(self.build), "-j", str(self.args.jobs)])
        return rc == 0, out

    def ctest(self, stop_on_failure, per_test=None, overall=None, exclude=()):
        cmd = ["ctest", "-j", str(self.args.jobs)] + (["--stop-on-failure"] if stop_on_failure else [])
        cmd += ["--timeout", str(int(per_test))] if per_test else []
        cmd += ["-E", "^(" + "|".join(cmake_regex_escape(n) for n in sorted(exclude)) + ")$"] if exclude else []
        return run(cmd, cwd=self.build, timeout=overall)

    def catch(self, shards, timeouts):
        """Run Catch tag groups in parallel processes; the first failure stops the others."""
        cmds = [[str(self.tests_bin), "--filenames-as-tags", "--abort", "-r", "xml",
                 ",".join(f"[#{t}]" for t in sorted(tags))] for tags in shards]
        return run_parallel(cmds, self.build / "tests", timeouts, stop_on_failure=True)

    def list_tag(self, tag):
        rc, out, _ = run([str(self.tests_bin), "--list-test-names-only", "--filenames-as-tags", f"[#{tag}]"])
        return [ln.strip() for ln in out.splitlines() if ln.strip()] if rc >= 0 else []


def cmake_regex_escape(s):
    return re.sub(r"([][^$.*+?|()\\])", r"\\\1", s)


def shard_tags(tags, seconds_of, n):
    """Split tags into at most n groups of similar baseline duration (longest first, greedy)."""
    bins = [[0.0, []] for _ in range(max(1, min(n, len(tags))))]
    for tag in sorted(tags, key=lambda t: (-seconds_of(t), t)):
        low = min(bins, key=lambda b: b[0])
        low[0] += seconds_of(tag)
        low[1].append(tag)
    return bins


def ctest_results(out):
    """[(name, status, seconds)] from ctest's progress lines."""
    return [(m.group(1), m.group(2).strip("*").strip(), float(m.group(3))) for m in CTEST_LINE.finditer(out)]


def establish_baseline(proj, digest, test_tags):
    """Build the unmutated copy and require a clean ctest run (cached per source digest)."""
    print("baseline: building ...", flush=True)
    t0 = time.time()
    ok, out = proj.compile()
    if not ok:
        raise HarnessError(f"baseline build failed (is the project itself broken?):\n{out[-6000:]}")
    print(f"baseline: built in {time.time() - t0:.0f} s", flush=True)
    cache = proj.args.outdir / "baseline.json"
    if cache.exists() and not proj.args.rebaseline:
        data = json.loads(cache.read_text())
        if data.get("digest") == digest:
            print("baseline: suite passed before on this exact source tree (cached; --rebaseline to rerun)")
            proj.baseline = data
            return
    print("baseline: running the whole ctest suite ...", flush=True)
    t0 = time.time()
    rc, out, _ = proj.ctest(stop_on_failure=False)
    wall, results = time.time() - t0, ctest_results(out)
    failed = [f"{n} ({s})" for n, s, _ in results if s != "Passed"]
    if rc != 0 or failed or not results:
        raise HarnessError("the baseline does not pass its own suite; fix that first:\n  " +
                           "\n  ".join(failed or [out[-3000:]]))
    by_tag = {tag: proj.list_tag(tag) for tag in test_tags}
    proj.baseline = {"digest": digest, "wall": wall, "durations": {n: s for n, _, s in results},
                     "tags": by_tag}
    cache.write_text(json.dumps(proj.baseline, indent=1))
    print(f"baseline: {len(results)} tests passed in {wall:.0f} s", flush=True)


def catch_failure(xml):
    """The name of the first failing (or crashed) Catch test case in XML reporter output."""
    current = None
    for m in re.finditer(r'<TestCase name="([^"]*)"|<OverallResult success="(true|false)"', xml):
        if m.group(1) is not None:
            current = unescape(m.group(1))
        elif m.group(2) == "false":
            return current
        else:
            current = None
    return current


def ctest_failure(out, timed_out):
    results = ctest_results(out)
    bad = [(n, s) for n, s, _ in results if s != "Passed"]
    if bad:
        name, status = bad[0]
        if "Timeout" in status:
            return f"timeout in {name}"
        return name if status == "Failed" else f"{name} ({status})"
    if timed_out:
        finished = {n for n, _, _ in results}
        running = [n for n in CTEST_START.findall(out) if n not in finished]
        return "timeout in " + (", ".join(running) or "ctest")
    return None


# ---------------------------------------------------------------------------------------------- coverage
def include_graph(src, files):
    graph = {}
    for rel in files:
        if not rel.endswith((".cpp", ".hpp")):
            continue
        deps = set()
        for inc in INCLUDE_RE.findall((src / rel).read_text(encoding="utf-8", errors="replace")):
            near = os.path.normpath(os.path.join(os.path.dirname(rel), inc))
            deps.add(inc if (src / inc).is_file() else near)
        graph[rel] = deps
    return graph


def closure(graph, start):
    seen, todo = set(), [start]
    while todo:
        for d in graph.get(todo.pop(), ()):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def covering_tags(path, graph, test_tags):
    """Catch file tags (test file stems) of the tests likely to cover a source file."""
    stem, parent = Path(path).stem, Path(path).parent.name
    headers = {path} if path.endswith(".hpp") else {str(Path(path).with_suffix(".hpp"))}
    tags = {t for t in test_tags if t in (f"test_{stem}", f"test_{parent}")}
    for tag in test_tags:
        if headers & closure(graph, f"tests/unit/{tag}.cpp"):
            tags.add(tag)
    return tags


# ---------------------------------------------------------------------------------------------- one mutant
def execute_mutant(proj, m, tags, log_dir):
    """Apply, build and test one mutant, filling in status, killed_by and timings; always restores."""
    target = proj.src / m.path
    original = target.read_bytes()
    text = original.decode()
    t0 = time.time()
    try:
        target.write_text(text[:m.start] + m.replacement + text[m.end:])
        ok, out = proj.compile()
        m.build_s = time.time() - t0
        log = [out]
        if not ok:
            discovery = "Error running test executable" in out
            m.status, m.killed_by = ("killed", "test discovery (dcsim_tests fails to list)") if discovery \
                else ("stillborn", "")
        else:
            m.status, m.killed_by = run_tests(proj, tags, log)
        (log_dir / f"{m.key}.log").write_text("\n".join(log))
    finally:
        target.write_bytes(original)
        os.utime(target)
        m.seconds = time.time() - t0
        m.test_s = m.seconds - m.build_s


def run_tests(proj, tags, log):
    """(status, killed_by): the covering Catch files first (sharded over --jobs), then the rest of ctest."""
    base, done_names = proj.baseline, []
    tags = [t for t in tags if base["tags"].get(t)]
    if tags:
        secs = lambda t: sum(base["durations"].get(n, 1.0) for n in base["tags"][t])
        shards = shard_tags(tags, secs, proj.args.jobs)
        results = proj.catch([s[1] for s in shards], [proj.args.timeout_factor * s[0] + 10 for s in shards])
        log.extend(out for _, out, _ in results)
        for rc, out, timed_out in results:
            if timed_out:
                return "killed", f"timeout in {catch_failure(out) or 'dcsim_tests'}"
        for rc, out, _ in results:
            if rc > 0 or (rc < 0 and rc != -signal.SIGKILL):
                return "killed", catch_failure(out) or f"dcsim_tests exit status {rc}"
        done_names = [] if proj.args.full_ctest else [n for t in tags for n in base["tags"][t]]
    per_test = 4 * max(base["durations"].values()) + 30
    rc, out, timed_out = proj.ctest(True, per_test, proj.args.timeout_factor * base["wall"] + 60, done_names)
    log.append(out)
    name = ctest_failure(out, timed_out)
    if name or rc != 0:
        return "killed", name or f"ctest exit status {rc}"
    return "survived", ""


# ---------------------------------------------------------------------------------------------- sampling
def allocate(counts, total, min_per, rng):
    """Mutants per folder: at least min_per (or all a folder has), the rest proportional to counts."""
    floor_ = {f: min(min_per, n) for f, n in counts.items()}
    quota = dict.fromkeys(counts, 0)
    if sum(floor_.values()) >= total:
        order = sorted(counts)
        rng.shuffle(order)
        left = total
        while left > 0:
            for f in order:
                if left and quota[f] < floor_[f]:
                    quota[f], left = quota[f] + 1, left - 1
        return quota
    quota, rest, grand = dict(floor_), total - sum(floor_.values()), sum(counts.values())
    while rest > 0 and any(quota[f] < counts[f] for f in counts):
        open_ = [f for f in sorted(counts) if quota[f] < counts[f]]
        shares = {f: rest * counts[f] / grand for f in open_}
        whole = {f: min(int(shares[f]), counts[f] - quota[f]) for f in open_}
        if sum(whole.values()) == 0:  # hand out the largest remainders one by one
            f = max(open_, key=lambda g: (shares[g] - int(shares[g]), counts[g]))
            whole[f] = 1
        for f, k in whole.items():
            quota[f], rest = quota[f] + k, rest - k
    return quota


class Sampler:
    def __init__(self, candidates, count, min_per, seed):
        rng = random.Random(seed)
        self.queues = {}
        for m in sorted(candidates, key=lambda m: m.ident):
            self.queues.setdefault(m.folder, []).append(m)
        for f in sorted(self.queues):
            rng.shuffle(self.queues[f])
        self.quota = allocate({f: len(q) for f, q in self.queues.items()}, count, min_per, rng)

    def initial(self):
        out = []
        for f in sorted(self.queues):
            out += self.queues[f][:self.quota[f]]
            del self.queues[f][:self.quota[f]]
        return out

    def replacement(self, folder):
        """Another draw from the same folder, else from the folder with most left; None when exhausted."""
        if not self.queues.get(folder):
            folder = max(sorted(self.queues), key=lambda f: len(self.queues[f]), default=None)
        return self.queues[folder].pop(0) if folder and self.queues[folder] else None


# ---------------------------------------------------------------------------------------------- reports
def read_equivalents(path):
    eq = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                ident, _, reason = line.strip().partition(" ")
                eq[id_key(ident)] = reason.strip() or "(no reason given)"
    return eq


def folder_rows(done):
    rows = {}
    for m in done:
        if m.status != "stillborn":
            r = rows.setdefault(m.folder, {"mutants": 0, "killed": 0, "equivalent": 0, "survived": 0})
            r["mutants"] += 1
            r[m.status] += 1
    return rows


def score(r):
    denom = r["mutants"] - r["equivalent"]
    return f"{100 * r['killed'] / denom:.0f} %" if denom else "n/a"


def markdown_report(done, meta):
    rows = folder_rows(done)
    out = ["# Mutation testing report", "", f"- command: `{meta['command']}`", f"- seed: {meta['seed']}, "
           f"count: {meta['count']}, wall time: {meta['wall']:.0f} s, stillborn: "
           f"{sum(m.status == 'stillborn' for m in done)}", "",
           "| folder | mutants | killed | equivalent | survived | score |", "|---|---:|---:|---:|---:|---:|"]
    total = {"mutants": 0, "killed": 0, "equivalent": 0, "survived": 0}
    for f in sorted(rows):
        r = rows[f]
        out.append(f"| {f} | {r['mutants']} | {r['killed']} | {r['equivalent']} | {r['survived']} | {score(r)} |")
        for k in total:
            total[k] += r[k]
    out.append(f"| **total** | {total['mutants']} | {total['killed']} | {total['equivalent']} | "
               f"{total['survived']} | {score(total)} |")
    survivors = [m for m in done if m.status == "survived"]
    out += ["", f"## Survivors ({len(survivors)})", ""]
    for m in survivors:
        out += [f"- `{m.ident}` {m.path}:{m.line} {m.op}", f"  - original: `{m.line_before}`",
                f"  - mutated:  `{m.line_after}`"]
    warned = [m for m in done if m.warning]
    if warned:
        out += ["", "## Warnings", ""] + [f"- `{m.ident}`: {m.warning}" for m in warned]
    equivalents = [m for m in done if m.status == "equivalent"]
    if equivalents:
        out += ["", "## Equivalent", ""] + [f"- `{m.ident}`: {m.killed_by}" for m in equivalents]
    return "\n".join(out) + "\n"


def merged_with(base_csv, done):
    """The mutants of an earlier report, each replaced by its re-run in `done` where there is one."""
    rerun = {id_key(m.ident): m for m in done}
    merged = []
    with open(base_csv, newline="") as fh:
        for row in csv.DictReader(fh):
            m = rerun.pop(id_key(row["id"]), None)
            if m is None:
                m = Mutant(path=row["file"], start=0, end=0, original=row["original"], replacement=row["mutated"],
                           op=row["op"], line=int(row["line"]), ident=row["id"], status=row["status"],
                           killed_by=row["killed_by"], seconds=float(row["seconds"] or 0))
            merged.append(m)
    return merged + list(rerun.values())


def write_reports(done, meta, outdir):
    with open(outdir / "report.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "folder", "file", "line", "op", "original", "mutated", "status", "killed_by", "seconds"])
        for m in done:
            w.writerow([m.ident, m.folder, m.path, m.line, m.op, brief(m.original), brief(m.replacement),
                        m.status, m.killed_by, f"{m.seconds:.1f}"])
    md = markdown_report(done, meta)
    (outdir / "report.md").write_text(md)
    print("\n" + md)
    timed = [m for m in done if m.status != "stillborn"]
    if timed:
        print(f"average per compiled mutant: build {sum(m.build_s for m in timed) / len(timed):.0f} s, "
              f"tests {sum(m.test_s for m in timed) / len(timed):.0f} s")
    print(f"reports: {outdir / 'report.md'}, {outdir / 'report.csv'}")


# ---------------------------------------------------------------------------------------------- main
def list_candidates(candidates):
    table = {}
    for m in candidates:
        table.setdefault(m.folder, {}).setdefault(m.op, 0)
        table[m.folder][m.op] += 1
    ops = sorted({m.op for m in candidates})
    print(f"{'folder':<22}" + "".join(f"{o:>12}" for o in ops) + f"{'total':>8}")
    for f in sorted(table):
        print(f"{f:<22}" + "".join(f"{table[f].get(o, 0):>12}" for o in ops) + f"{sum(table[f].values()):>8}")
    print(f"{'total':<22}" + "".join(f"{sum(t.get(o, 0) for t in table.values()):>12}" for o in ops)
          + f"{len(candidates):>8}")


def select(args, candidates, sampler):
    if args.ids or args.ids_from:
        wanted = [id_key(i) for i in args.ids or []]
        if args.ids_from:
            with open(args.ids_from, newline="") as fh:
                wanted += [id_key(r["id"]) for r in csv.DictReader(fh) if r["status"] == args.status]
        by_key = {m.key: m for m in candidates}
        for k in wanted:
            if k not in by_key:
                print(f"warning: mutant {k} no longer exists (its line changed or went away)")
        return [by_key[k] for k in dict.fromkeys(wanted) if k in by_key], None
    return sampler.initial(), sampler


def run_all(proj, pending, sampler, target, graph, test_tags, equivalents, done):
    """Run mutants in file order (fewer recompiles), appending each finished one to done."""
    pending = sorted(pending, key=lambda m: (m.path, m.start))
    log_dir = proj.args.outdir / "logs"
    log_dir.mkdir(exist_ok=True)
    while pending:
        m = pending.pop(0)
        compiled = sum(x.status != "stillborn" for x in done)
        print(f"[{compiled + 1}/{target}] {m.path}:{m.line} {m.op} '{brief(m.original, 50)}' -> "
              f"'{brief(m.replacement, 50)}' ... ",
              end="", flush=True)
        execute_mutant(proj, m, covering_tags(m.path, graph, test_tags), log_dir)
        if m.status == "survived" and m.key in equivalents:
            m.status, m.killed_by = "equivalent", equivalents[m.key]
        elif m.status == "killed" and m.key in equivalents:
            m.warning = f"listed in {proj.args.equivalent.name} but killed: remove the entry"
            print(f"(warning: {m.warning}) ", end="")
        what = f'killed by "{m.killed_by}"' if m.status == "killed" else m.status
        print(f"{what} ({m.seconds:.0f} s)", flush=True)
        done.append(m)
        if m.status == "stillborn" and sampler:
            extra = sampler.replacement(m.folder)
            if extra:
                keys = [(x.path, x.start) for x in pending]
                pending.insert(bisect.bisect(keys, (extra.path, extra.start)), extra)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("--seed", type=int, default=1, help="sampling seed (default 1)")
    p.add_argument("--count", type=int, default=100, help="compiled mutants to run (default 100)")
    p.add_argument("--min-per-folder", type=int, default=5, help="at least this many per folder (default 5)")
    p.add_argument("--only", action="append", metavar="PATH_PREFIX", help="restrict to files with this prefix")
    p.add_argument("--include-cli", action="store_true", help="also mutate sim/cli/")
    p.add_argument("--ids", nargs="+", metavar="ID", help="run exactly these mutants")
    p.add_argument("--ids-from", metavar="REPORT.csv", help="run the mutants of a report with --status")
    p.add_argument("--status", default="survived", help="status selected by --ids-from (default survived)")
    p.add_argument("--list", action="store_true", help="print candidate counts per folder and op, no build")
    p.add_argument("--jobs", type=int, default=2, help="build and ctest parallelism (default 2)")
    p.add_argument("--workdir", type=Path, default=ROOT / "build/mutation/src", help="copy of the sources")
    p.add_argument("--builddir", type=Path, default=ROOT / "build/mutation/build", help="build directory")
    p.add_argument("--outdir", type=Path, default=ROOT / "build/mutation", help="reports, logs, cache")
    p.add_argument("--equivalent", type=Path, default=ROOT / "tests/mutation/equivalent.txt",
                   help="equivalent-mutant list (default tests/mutation/equivalent.txt)")
    p.add_argument("--timeout-factor", type=float, default=3.0,
                   help="test timeout = factor x baseline time of the selection + slack (default 3)")
    p.add_argument("--full-ctest", action="store_true",
                   help="run all of ctest after the Catch stage, not only the cases it did not run")
    p.add_argument("--rebaseline", action="store_true", help="rerun the baseline suite even if cached")
    p.add_argument("--merge-into", metavar="REPORT.csv",
                   help="report the mutants of this earlier report, with the ones run now replacing theirs "
                        "(re-run the survivors after adding tests: --ids-from R.csv --merge-into R.csv)")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    started = time.time()
    files = project_files(ROOT)
    if args.list:
        list_candidates(all_candidates(ROOT, files, args.only, args.include_cli))
        return 0
    check_workdir(ROOT, args.workdir)
    args.outdir.mkdir(parents=True, exist_ok=True)
    args.workdir.mkdir(parents=True, exist_ok=True)
    digest = sync_tree(ROOT, args.workdir, files)
    proj = Project(args)
    candidates = all_candidates(proj.src, files, args.only, args.include_cli)
    if not candidates:
        raise HarnessError("no mutants: check --only")
    sampler = Sampler(candidates, args.count, args.min_per_folder, args.seed)
    pending, sampler = select(args, candidates, sampler)
    test_tags = sorted(Path(f).stem for f in files if re.fullmatch(r"tests/unit/test_\w+\.cpp", f))
    proj.configure()
    establish_baseline(proj, digest, test_tags)
    graph = include_graph(proj.src, files)
    target = len(pending) if sampler is None else min(args.count, len(candidates))
    done = []
    try:
        run_all(proj, pending, sampler, target, graph, test_tags, read_equivalents(args.equivalent), done)
    finally:
        meta = {"command": " ".join(["scripts/mutate.py"] + argv), "seed": args.seed, "count": target,
                "wall": time.time() - started}
        if done and args.merge_into:
            base = Path(args.merge_into)
            shutil.copyfile(base, args.outdir / "report.before-merge.csv")
            meta["command"] += f" (merged into the {sum(1 for _ in open(base)) - 1} mutants of {base.name})"
            done = merged_with(args.outdir / "report.before-merge.csv", done)
        if done:
            write_reports(done, meta, args.outdir)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        sys.exit(main(sys.argv[1:]))
    except HarnessError as e:
        print(f"mutate.py: {e}", file=sys.stderr)
        sys.exit(2)
    except Interrupted as e:
        print(f"\nmutate.py: interrupted ({e}); the mutated file was restored", file=sys.stderr)
        sys.exit(130)
