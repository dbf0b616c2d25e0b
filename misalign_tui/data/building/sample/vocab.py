"""Fictional project vocabulary and the filler phrase pools of the synthetic transcripts.

Everything is made up (project names like "quillmark" or "tidewave") so a reader can tell the
sample from real data. Templates are ``str.format_map`` strings over a per-turn context; literal
braces in code are doubled.
"""

from __future__ import annotations

NAME_HEADS = ("quill", "tide", "ember", "orbit", "fern", "lumen", "pebble", "cinder", "marrow", "zephyr",
              "brindle", "sable", "thistle", "quartz", "willow", "copper", "nimbus", "harbor", "juniper",
              "kestrel", "lattice", "mosaic", "nectar", "onyx", "prism", "ripple", "saffron", "tundra")
NAME_TAILS = ("mark", "wave", "fold", "desk", "loop", "grid", "board", "cast", "forge", "stack", "base",
              "kit", "flow", "ledger", "path", "yard", "works", "hub", "scope", "line")
MODULES = ("ledger", "auth", "billing", "sync", "search", "render", "parser", "scheduler", "notifications",
           "export", "importer", "cache", "router", "settings", "profile", "upload", "metrics", "queue",
           "webhooks", "reports", "inventory", "timeline")
VERBS = ("parse", "load", "build", "render", "sync", "validate", "format", "resolve", "fetch", "merge",
         "compute", "apply", "flush", "normalize", "schedule", "collect")
NOUNS = ("Entries", "Config", "Invoice", "Token", "Layout", "Batch", "Cursor", "Session", "Payload", "Rows",
         "Index", "Badge", "Route", "Quota", "Snapshot", "Digest")
FEATURES = ("CSV export", "a dark mode toggle", "a rate limiter", "full-text search", "webhook retries",
            "CSV import", "an onboarding checklist", "a billing page", "sidebar navigation",
            "token refresh", "a caching layer", "pagination", "PDF reports", "a notification center",
            "a settings panel", "a drag-and-drop board", "markdown preview", "i18n strings",
            "image upload", "an audit log", "keyboard shortcuts", "offline mode")

# language -> stack facts. Paths use {mod}/{stem}; code snippets are templates over {func}.
STACKS = {
    "ts": {
        "lang": "ts", "files": ("src/{mod}/{stem}.ts", "src/{mod}/{stem}.tsx", "src/lib/{stem}.ts"),
        "test_file": "src/{mod}/{stem}.test.ts", "case": "camel",
        "test": ("npm test", "pnpm test", "npx vitest run", "npm run test -- --watch=false"),
        "build": ("npm run build", "pnpm build", "npx tsc --noEmit"), "run": ("npm run dev", "pnpm dev"),
        "configs": ("tsconfig.json", ".eslintrc.json", "vite.config.ts", "package.json", ".env.local"),
        "deps": ("lodash", "axios", "moment", "zustand", "date-fns"),
        "clean": "rm -rf node_modules dist && npm install", "migrate": "npx prisma migrate reset --force",
        "errors": (
            "TypeError: Cannot read properties of undefined (reading 'amount')\n    at {func} "
            "(src/{mod}/index.ts:42:17)",
            "src/{mod}/index.ts:88:5 - error TS2339: Property 'total' does not exist on type '{noun}'.",
            "FAIL src/{mod}/{mod}.test.ts\n  x {func} > keeps the original order (12 ms)\n    AssertionError: "
            "expected [ 3, 1, 2 ] to deeply equal [ 1, 2, 3 ]",
            "Error: Cannot find module './{func}' from 'src/{mod}/index.ts'",
            "ReferenceError: window is not defined\n    at Object.<anonymous> (src/{mod}/client.ts:7:1)",
        ),
        "ok": ("Test Files  4 passed (4)\n     Tests  23 passed (23)\n  Duration  1.84s",
               "vite v5.2.8 building for production...\n✓ 212 modules transformed.\ndist/index.html  0.46 kB"),
        "code": ("export function {func}(rows: Row[]): Row[] {{\n  return rows.filter((r) => r.amount > 0);\n}}",
                 "const result = await {func}(payload);\nif (!result.ok) {{\n  throw new Error(result.error);\n}}",
                 "useEffect(() => {{\n  {func}().then(setItems);\n}}, []);"),
    },
    "py": {
        "lang": "python", "files": ("src/{pkg}/{mod}.py", "src/{pkg}/{mod}/{stem}.py", "{pkg}/{stem}.py"),
        "test_file": "tests/test_{mod}.py", "case": "snake",
        "test": ("pytest -q", "python -m pytest tests/", "uv run pytest", "tox -e py311"),
        "build": ("python -m build", "ruff check .", "mypy src"), "run": ("python -m {pkg}", "uvicorn {pkg}.app:app "
                                                                                             "--reload"),
        "configs": ("pyproject.toml", "setup.cfg", ".env", "alembic.ini", "settings.py"),
        "deps": ("requests", "pydantic", "pandas", "httpx", "rich"),
        "clean": "rm -rf .venv build && uv sync", "migrate": "alembic downgrade base && alembic upgrade head",
        "errors": (
            "Traceback (most recent call last):\n  File \"src/{pkg}/{mod}.py\", line 57, in {func}\n    total += "
            "row[\"amount\"]\nKeyError: 'amount'",
            "E       AssertionError: assert 3 == 2\n\ntests/test_{mod}.py:41: AssertionError\n===== 1 failed, 18 "
            "passed in 0.93s =====",
            "ModuleNotFoundError: No module named '{pkg}.{mod}'",
            "TypeError: {func}() got an unexpected keyword argument 'strict'",
            "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such table: {mod}",
        ),
        "ok": ("===== 24 passed in 1.12s =====", "All checks passed!"),
        "code": ("def {func}(rows: list[dict]) -> list[dict]:\n    return [r for r in rows if r.get(\"amount\", 0) > "
                 "0]",
                 "result = {func}(payload)\nif result is None:\n    raise ValueError(\"empty payload\")",
                 "@pytest.mark.parametrize(\"value\", [0, 1, 42])\ndef test_{func}(value):\n    assert "
                 "{func}([value]) is not None"),
    },
    "go": {
        "lang": "go", "files": ("internal/{mod}/{stem}.go", "pkg/{mod}/{stem}.go", "cmd/{pkg}/main.go"),
        "test_file": "internal/{mod}/{stem}_test.go", "case": "camel",
        "test": ("go test ./...", "go test ./internal/... -run Test", "make test"),
        "build": ("go build ./...", "go vet ./...", "make build"), "run": ("go run ./cmd/{pkg}",),
        "configs": ("go.mod", "config.yaml", "Makefile", ".env", "docker-compose.yml"),
        "deps": ("github.com/pkg/errors", "github.com/spf13/viper", "go.uber.org/zap"),
        "clean": "go clean -cache -modcache", "migrate": "go run ./cmd/migrate down -all",
        "errors": (
            "internal/{mod}/{mod}.go:31:9: undefined: {func}",
            "--- FAIL: Test{noun} (0.00s)\n    {mod}_test.go:27: got 3, want "
            "2\nFAIL\nFAIL\t{pkg}/internal/{mod}\t0.012s",
            "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation "
            "violation]",
        ),
        "ok": ("ok  \t{pkg}/internal/{mod}\t0.214s", "PASS\nok  \t{pkg}/pkg/{mod}\t0.031s"),
        "code": ("func {func}(rows []Row) []Row {{\n\tout := rows[:0]\n\tfor _, r := range rows {{\n"
                 "\t\tif r.Amount > 0 {{\n\t\t\tout = append(out, r)\n\t\t}}\n\t}}\n\treturn out\n}}",
                 "if err := {func}(ctx); err != nil {{\n\treturn fmt.Errorf(\"{mod}: %w\", err)\n}}"),
    },
    "rs": {
        "lang": "rust", "files": ("src/{mod}.rs", "src/{mod}/{stem}.rs", "crates/{pkg}-core/src/{stem}.rs"),
        "test_file": "tests/{mod}.rs", "case": "snake",
        "test": ("cargo test", "cargo test --workspace", "cargo nextest run"),
        "build": ("cargo build", "cargo clippy -- -D warnings"), "run": ("cargo run",),
        "configs": ("Cargo.toml", "rustfmt.toml", ".cargo/config.toml", "config.toml"),
        "deps": ("anyhow", "serde_json", "tokio", "rayon"),
        "clean": "cargo clean && rm -rf target", "migrate": "sqlx database reset -y",
        "errors": (
            "error[E0382]: borrow of moved value: `rows`\n  --> src/{mod}.rs:44:13",
            "error[E0425]: cannot find function `{func}` in this scope\n  --> src/main.rs:12:5",
            "thread '{mod}::tests::{func}' panicked at src/{mod}.rs:88:9:\nassertion `left == right` failed\n  left: "
            "3\n right: 2",
        ),
        "ok": ("test result: ok. 17 passed; 0 failed; 0 ignored", "Finished `dev` profile [unoptimized + debuginfo] "
                                                                  "target(s) in 4.21s"),
        "code": ("pub fn {func}(rows: &[Row]) -> Vec<Row> "
                 "{{\n    rows.iter().filter(|r| r.amount > 0).cloned().collect()\n}}",
                 "let result = {func}(&payload).context(\"{mod} failed\")?;"),
    },
}
STACK_WEIGHTS = (("ts", 0.52), ("py", 0.30), ("go", 0.09), ("rs", 0.09))

# (session title, the developer's opening request)
TITLES = (
    ("Add {feature} to {mod}", "We want {feature} in {project}. The {mod} module seems like the right home."),
    ("Fix failing {mod} tests", "The {mod} tests started failing today. Can you fix them? `{test_cmd}` shows it."),
    ("Refactor {func}", "`{func}` has become hard to follow. Could you restructure it into smaller pieces?"),
    ("Speed up {func}", "Rendering the {mod} screen takes seconds. I suspect `{func}`, please investigate."),
    ("Implement {feature}", "Time to build {feature}. Look around `{file}` and propose an approach."),
    ("Debug {mod} crash on save", "The app crashes when I save in the {mod} view:\n\n```\n{error}\n```"),
    ("Write tests for {func}", "`{func}` has zero coverage. Let's get some tests around it."),
    ("Migrate {mod} to the new client", "The old {mod} client is deprecated. Move `{file}` over to the new one."),
    ("Tidy up the {mod} module", "The {mod} module has grown messy. Can you tidy up `{file}`?"),
    ("Investigate {mod} error", "Why does `{func}` throw in the {mod} module? Here's the log:\n\n{error}"),
)

# ---- filler user turns (not pushback) -----------------------------------------------------------
REQUESTS = (
    "Can you add {feature} to the {mod} module? It should live in `{file}`.",
    "I need {feature} for {project}. Start with `{func}` in `{file}` and keep the public API the same.",
    "Let's implement {feature}. Look at how `{func}` works first and follow the same pattern.",
    "Please refactor `{func}` in `{file}` so it's easier to test.",
    "The {mod} page is slow with more than 500 rows. Can you profile `{func}` and speed it up?",
    "Write unit tests for `{func}`. Put them in `{test_file}`.",
    "Migrate `{file}` to the new {mod} client and update the call sites.",
    "Add a `--dry-run` flag to the {mod} command.",
    "Update the README with setup instructions for {feature}.",
    "Fix the failing test in `{test_file}`.",
    "Explain how `{func}` decides which rows to keep.",
    "We need {feature} before the demo on Thursday. Can you sketch a plan first?",
    "Rename `{func}` to something clearer and update the imports.",
    "Hook `{func}` up to the {mod} settings so it can be switched off.",
)
FOLLOWUPS = (
    "Thanks, now add tests for `{func}`.",
    "Great. Next, wire it into `{file}`.",
    "Looks good. Can you also handle the empty-list case?",
    "Nice. Run `{test_cmd}` and tell me what fails.",
    "Now update the docs for {feature}.",
    "Cool, let's also log a warning when `{func}` gets a null value.",
    "Perfect. Commit this with a short message.",
    "OK, that works. What's left for {feature}?",
    "Can you make the error message a bit friendlier?",
    "Let's move on to the {mod} part.",
    "Good. Please also add a changelog entry.",
)
QUESTIONS = (
    "What does `{func}` return when the cache is cold?",
    "Where is {feature} configured?",
    "Is `{file}` still used anywhere?",
    "Which of these two approaches is cheaper at runtime?",
    "How would you structure {feature} so the {mod} module can reuse it?",
    "Does `{test_cmd}` also run the integration tests?",
    "What's the difference between `{func}` and the helper in `{file}`?",
)
ACKS = ("yes", "go ahead", "ok", "ok do it", "yes please", "sounds good, go ahead", "continue", "Thanks!",
        "thanks, that works", "works now", "yep", "lgtm", "proceed", "1", "do it", "next", "keep going", "go on",
        "looks right", "perfect", "cool, next one", "sure", "great", "nice work", "ship it", "run it", "option 2",
        "both please", "ok, commit", "hmm ok", "fine by me", "👍")
PASTES = (
    "I get this when I run `{run_cmd}`:\n\n```\n{error}\n```",
    "```\n{error}\n```",
    "build fails:\n```\n{error}\n```\nany idea?",
    "Getting this in CI now:\n\n{error}",
)
# Optional second sentence of a filler request (neutral: no pushback-like words).
DETAILS = (
    "Keep the old behaviour behind a feature flag.", "The staging deploy is on Friday.",
    "Use the logger from `{file}` for any messages.", "It only needs to work for the admin role for now.",
    "Performance matters here, the table can have 50k rows.", "Please keep the commit small.",
    "We use 2-space indentation in this repo.", "The design mock is in the ticket.",
    "Let me know when it's ready.", "I'll review it after lunch.",
    "Feel free to add a helper if it makes things clearer.", "Both Chrome and Safari need to work.",
    "The API returns dates as ISO strings.", "There's an example in `{file}`.",
    "Maybe write a quick test first.", "Use the existing error type for failures.",
    "Prefer small functions over one big one.", "Product wants this behind the beta toggle.",
    "Add a short docstring too.", "It's fine to skip the migration for now.",
    "The {mod} team owns that code, so keep the interface stable.", "Target is the v2 release branch.",
    "Think about the mobile layout as well.", "Logs go to stdout in production.",
    "We can clean up the naming later.", "A TODO comment is fine for the edge cases.",
    "Check how `{func}` handles it for reference.", "Our CI runs `{test_cmd}` on every push.",
    "Timezones are always UTC in the database.", "The customer demo uses the {mod} screen.",
)
# Innocent turns that contain pushback-like words but are not pushback (for precision checks).
INNOCENT = (
    "No problem. Next, let's add pagination to the {mod} list.",
    "Don't forget to add tests for `{func}`.",
    "No rush. When you're done, can you also update the changelog?",
    "Stop the dev server when you're done and run `{build_cmd}` once.",
    "That's not a bad idea, go ahead with the second option.",
    "Why does `{func}` take a callback? Just curious, no need to change it.",
    "Don't change anything yet, just explain what `{func}` does.",
    "No, that's all for the {mod} part. Now the settings page.",
    "Revert-safe migrations are the goal here: add a down step for each one.",
    "Again, great work. Let's move to {feature}.",
    "Undo/redo for the editor is next: start with `{func}`.",
    "It's wrong in the upstream docs too, so don't worry about it.",
    "I said in the ticket that we target Node 20, so that's fine.",
    "Never mind the lint warnings for now, they're pre-existing.",
)

# ---- filler agent turns ---------------------------------------------------------------------------
OPENERS = (
    "I'll start by looking at `{file}`.", "Let me check how `{func}` is used across the codebase.",
    "Good idea. I'll update `{file}` first.", "Let me run the tests to see the current state.",
    "I'll search the project for `{func}`.", "Understood. Here's what I'll do:",
    "Let me read the relevant files first.", "Sure, I'll take a look.",
    "I'll trace where the {mod} data comes from.", "Let me reproduce the error first.",
    "Makes sense. I'll wire `{func}` into the {mod} flow.", "I'll check the current tests for `{func}`.",
    "Let me look at the {mod} module's entry point.", "First I'll find every caller of `{func}`.",
    "I'll compare `{file}` with the other implementations.", "Let me check the git history of `{file}`.",
)
EXPLAINS = (
    "The function was mutating its input array, so the second render saw stale data.",
    "I've extracted the parsing logic into `{func}` so it can be tested on its own.",
    "This keeps the public API of the {mod} module unchanged.",
    "The failing case was an empty list, which `{func}` did not guard against.",
    "`{file}` imports the helper twice; I kept the named import and removed the default one.",
    "The {mod} client retries three times with exponential backoff before giving up.",
    "I added a small guard so that `{func}` returns early when there is nothing to do.",
    "Both call sites now pass the options object instead of positional arguments.",
    "The new test covers the ordering bug reported in the issue.",
    "I kept the change minimal so it is easy to review.",
    "`{func}` is only called from `{file}`, so the change is local.",
    "The {mod} module already had a helper for this, so I reused it.",
    "I moved the constants to the top of `{file}` and documented them.",
    "The type of the second argument was too loose; it now only accepts the {mod} options.",
    "I added logging around the retry so failures show up in the console.",
)
CLOSERS = (
    "Summary of changes:\n- Updated `{file}`\n- Added a test for `{func}`",
    "Let me know if you want me to also update the docs.",
    "Want me to continue with the next step?",
    "You can try it with `{run_cmd}`.",
    "Next I can add tests for the edge cases if you like.",
    "That should cover the {mod} part.",
)
TOOLS_READ = ("Read", "Read file", "read_file", "View")
TOOLS_EDIT = ("Edit", "Edit file", "MultiEdit", "Write", "apply_patch")
TOOLS_SEARCH = ("Grep", "Glob", "codebase_search", "grep_search")
TOOLS_SHELL = ("Bash", "exec_command", "run_terminal_cmd", "Shell")


def stem_of(func: str) -> str:
    """A file stem from a function name (``parseEntries`` / ``parse_entries`` -> ``entries``)."""
    for i in range(1, len(func)):
        if func[i].isupper():
            return func[i:].lower()
    return func.split("_")[-1]
