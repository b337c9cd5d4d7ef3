"""The `tiepdan` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
from collections.abc import Callable, Sequence

from bot.bootstrap import configure_logging, prepare_database
from bot.settings import PROJECT_ROOT, Settings, get_settings

Command = Callable[[argparse.Namespace, Settings], int]


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Start the sandbox (without a token), the Rasa server and the bot."""
    from bot.runner import run

    asyncio.run(
        run(
            settings,
            start_rasa=not args.no_rasa,
            start_sandbox=not args.no_sandbox,
            start_console=not args.no_console,
        )
    )
    return 0


def cmd_bot(args: argparse.Namespace, settings: Settings) -> int:
    """Start only the bot, against an already running Rasa and Bot API."""
    from bot.runner import run

    asyncio.run(run(settings, start_rasa=False, start_sandbox=False, start_console=False))
    return 0


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    """Start only the staff web console (CONSOLE_HOST:CONSOLE_PORT)."""
    from bot.runner import run_console

    asyncio.run(run_console(settings))
    return 0


def cmd_sandbox(args: argparse.Namespace, settings: Settings) -> int:
    """Start only the sandbox Bot API server and its chat page."""
    from bot.sandbox.server import serve

    host, port = args.host or settings.sandbox_host, args.port or settings.sandbox_port
    print(f"Sandbox chat page: http://{host}:{port}/sandbox  (Ctrl-C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(host=host, port=port, token=settings.bot_token))
    return 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Upgrade the schema to the latest migration and seed missing FAQ answers."""
    added = prepare_database(settings)
    print(f"Database up to date; {added} FAQ answer(s) added.")
    return 0


def cmd_nlu_train(args: argparse.Namespace, settings: Settings) -> int:
    """Train the NLU model if the data or config.yml changed."""
    from nlu.train import train

    try:
        path = train(settings, force=args.force)
    except subprocess.CalledProcessError as exc:
        print(f"error: Rasa training failed (exit code {exc.returncode})", file=sys.stderr)
        return 1
    print(path)
    return 0


def cmd_nlu_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the current model with Rasa at RASA_URL (trains first if needed)."""
    import os

    from nlu.server import serve_command, serve_env
    from nlu.train import train

    model = train(settings)
    command = serve_command(settings, model)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    os.chdir(settings.var_dir)
    print(f"Serving {model.name} at {settings.rasa_url}", flush=True)
    os.execve(command[0], command, serve_env(settings))


def cmd_nlu_evaluate(args: argparse.Namespace, settings: Settings) -> int:
    """Measure the NLU on the held-out test set (and Rasa's stock pipeline with --baseline)."""
    import tempfile
    from pathlib import Path

    from bot.answering.service import thresholds_from
    from nlu.evaluate import evaluate_current, evaluate_stock, markdown

    thresholds = thresholds_from(settings)
    reports = [evaluate_current(settings, thresholds)]
    if args.baseline:
        with tempfile.TemporaryDirectory(dir=settings.models_dir, prefix=".stock-") as tmp:
            reports.append(evaluate_stock(settings, thresholds, Path(tmp), args.baseline_epochs))
    table = markdown(reports, thresholds)
    print(table)
    if args.errors:
        for text, truth, predicted, confidence in reports[0].errors:
            print(f"{truth:>20} → {predicted:<20} {confidence:.2f}  {text}")
    if args.adversarial:
        from nlu.evaluate import adversarial_markdown, evaluate_adversarial

        kinds = evaluate_adversarial(settings, thresholds)
        adversarial = adversarial_markdown(kinds)
        print(adversarial)
        table += f"\n{ADVERSARIAL_INTRO}\n\n{adversarial}"
        if args.errors:
            for text, right, predicted, confidence in kinds[-1].wrong:
                print(f"{right:>20} → {predicted:<20} {confidence:.2f}  {text}")
    if args.write:
        command = "tiepdan nlu evaluate" + (" --baseline" if args.baseline else "")
        if args.baseline_epochs:
            command += f" --baseline-epochs {args.baseline_epochs}"
        command += " --adversarial" if args.adversarial else ""
        from bot.markdown_sections import write_section  # other commands' sections stay

        write_section(Path(args.write), "# NLU benchmark", _benchmark_page(table, command))
    if args.json:
        from dataclasses import asdict

        print(json.dumps([asdict(r) for r in reports], ensure_ascii=False))
    return 0


ADVERSARIAL_INTRO = (
    "Second held-out set, `nlu/data/test/adversarial.yml` (messages written to trap the bot; "
    "never used to tune by hand), our classifier alone: per kind, the share whose top "
    "intent is right (a referral's `ref_<key>`; for a decline, out_of_scope or below the "
    "fallback rule) and the share confident and wrong (an answer or referral the fallback "
    "rule would give outright that is not an acceptable one)."
)


def _benchmark_page(table: str, command: str) -> str:
    """docs/benchmarks.md: how the figures were made, then the figures."""
    import datetime
    import os

    return (
        "# NLU benchmark\n\n"
        f"Measured {datetime.date.today():%Y-%m-%d} on this project's machine "
        f"({os.cpu_count()} cores) with `{command} --write docs/benchmarks.md`.\n"
        "Test set: `nlu/data/test/heldout.yml`, written separately from the training data "
        'and never used in training. "tiepdan (config.yml)" is this project\'s pipeline: '
        "Rasa's word and character n-gram count featurizers and its own linear classifier "
        "(`nlu/linear_intent.py`), on the text as written and accent-folded, then the "
        "off-topic check (`nlu/offtopic.py`), which the fallback rule below takes into "
        "account. Training time and peak memory are "
        "those of `rasa train nlu` for each pipeline. Rasa's stock pipeline is WhitespaceTokenizer + "
        "CountVectorsFeaturizer + DIETClassifier with default settings, trained on the "
        "examples as written; with `--baseline-epochs` only its epoch count differs (its "
        "default 300 epochs with DIET's transformer ran at 12–20 s per epoch here, over an "
        "hour). How the pipeline and thresholds were chosen: [nlu-choices.md](nlu-choices.md).\n\n"
        + table
    )


def cmd_nlu_crossval(args: argparse.Namespace, settings: Settings) -> int:
    """Cross-validate the pipeline on the training data (the held-out set is not used)."""
    from pathlib import Path

    from bot.answering.service import thresholds_from
    from nlu.crossval import out_of_fold, scored
    from nlu.evaluate import markdown
    from nlu.gate import GATE_FILE
    from nlu.gate_fit import fit_gate, gate_table

    thresholds = thresholds_from(settings)
    config = Path(args.config).resolve()
    oof = out_of_fold(settings, k=args.folds, seed=args.seed, config=config)
    report = scored(oof, thresholds)
    print(markdown([report], thresholds, examples="examples, each predicted out of fold"))
    print("(training time: mean per fold; the no-diacritics row covers every example,")
    print(" since training examples are compared in their accent-folded form)")
    if args.fit_gate:
        fit = fit_gate(settings, oof, thresholds)
        print()
        print(gate_table(fit))
        GATE_FILE.write_text(fit.gate.to_json() + "\n", encoding="utf-8")
        print(f"\nWrote {GATE_FILE.relative_to(PROJECT_ROOT)}; NLU_GATE sets the threshold.")
    return 0


def cmd_nlu_review(args: argparse.Namespace, settings: Settings) -> int:
    """List questions the bot could not answer well: candidates for new training examples."""
    from bot.db import session_scope
    from bot.faq.feedback import printable, review_queue

    prepare_database(settings)
    with session_scope(settings.database_url) as session:
        items = review_queue(session=session, limit=args.limit)
    for item in items:
        confidence = f"{item.confidence:.2f}" if item.confidence is not None else "-"
        # The intent comes from button data a client may forge: as untrusted as the text.
        intent = printable(item.intent or "-")
        print(
            f"{item.at:%Y-%m-%d %H:%M}  {item.reason:<9} {intent:<22} {confidence}  {printable(item.text)}"
        )
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Print what the bot would do with a citizen's text, as JSON."""
    from bot.ask import NluNotRunning, ask_many
    from bot.faq.intent_rules import is_intent_name

    if args.conversation and not args.jsonl:
        print("error: --conversation needs --jsonl (one turn per line)", file=sys.stderr)
        return 2
    if args.previous is not None and not is_intent_name(args.previous):
        print(f"error: --previous must be an intent name, not {args.previous!r}", file=sys.stderr)
        return 2
    if args.jsonl:
        inputs = [line.rstrip("\n") for line in sys.stdin if line.strip()]
    elif args.text:
        inputs = [" ".join(args.text)]
    else:
        print("error: give a TEXT or use --jsonl with one text per line on stdin", file=sys.stderr)
        return 2
    prepare_database(settings)
    try:
        results = ask_many(settings, inputs, previous=args.previous, conversation=args.conversation)
        for result in results:
            print(json.dumps(result, ensure_ascii=False), flush=True)
    except NluNotRunning as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    return 0


def cmd_faq_import(args: argparse.Namespace, settings: Settings) -> int:
    """Load what the bot knows from a folder `tiepdan faq export` wrote (default: the
    repository's data files): what the database lacks, or everything with --overwrite."""
    from pathlib import Path

    from bot import migrate
    from bot.audit.service import record
    from bot.db import session_scope
    from bot.faq.portable import IMPORT_ACTION, KNOWLEDGE_TARGET, import_knowledge

    directory = Path(args.directory) if args.directory else None
    if directory is not None and not directory.is_dir():
        print(f"error: {directory} is not a folder", file=sys.stderr)
        return 2
    migrate.upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        counts = import_knowledge(session=session, directory=directory, overwrite=args.overwrite)
        if directory is not None:  # a folder of their own: start-up seeding leaves it be
            record(
                session=session,
                actor="cli",
                action=IMPORT_ACTION,
                target_type=KNOWLEDGE_TARGET,
                after={"overwrite": args.overwrite, **counts},
            )
    print(
        ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()),
        "imported.",
    )
    return 0


def cmd_faq_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write what the bot knows (answers, topics, units, canned replies, training examples)
    as YAML files in the repository's format into DIR."""
    from pathlib import Path

    from bot.db import session_scope
    from bot.faq.portable import export_knowledge

    prepare_database(settings)
    with session_scope(settings.database_url) as session:
        files = export_knowledge(session=session, directory=Path(args.directory))
    print(f"{len(files)} file(s) written to {args.directory}")
    return 0


def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    """Delete questions past QUESTION_RETENTION_DAYS and attachment files nothing refers to."""
    from bot import migrate
    from bot.db import session_scope
    from bot.retention.service import purge

    migrate.upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        done = purge(
            session=session,
            var_dir=settings.var_dir,
            question_days=settings.question_retention_days,
            draft_days=settings.draft_retention_days,
            case_years=settings.case_personal_data_years,
            dry_run=args.dry_run,
        )
    verb = "would delete" if args.dry_run else "deleted"
    print(
        f"{verb} {done.questions} question(s) older than {settings.question_retention_days} "
        f"days, {len(done.pending)} draft(s) untouched for {settings.draft_retention_days} "
        f"days and {done.files} unreferenced attachment file(s) ({done.bytes} bytes); "
        f"personal data of {done.cases} case(s) closed over "
        f"{settings.case_personal_data_years} year(s) ago"
    )
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Back up the database and the attachment files into DIR (new or empty), safely while
    the bot runs. The backup holds personal data: store it encrypted or offline."""
    from pathlib import Path

    from bot.backup.errors import BackupError
    from bot.backup.service import backup

    try:
        done = backup(
            database_url=settings.database_url,
            var_dir=settings.var_dir,
            directory=Path(args.directory),
        )
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts = done.counts
    print(
        f"Backed up {counts.cases} case(s), {counts.attachments} attachment(s), "
        f"{counts.events} event(s) ({done.dialect}, revision {done.revision}) and "
        f"{len(done.files) - 1} attachment file(s) into {args.directory}"
    )
    if done.missing:
        print(
            f"WARNING: {len(done.missing)} attachment file(s) the database refers to are "
            "missing or damaged in VAR_DIR and are NOT in this backup:",
            *done.missing,
            sep="\n  ",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Restore a backup from DIR into DATABASE_URL and VAR_DIR. Stop the bot and the
    console first. Every file is checked against the manifest before anything is touched."""
    from pathlib import Path

    from bot.backup.errors import BackupError
    from bot.backup.service import restore

    try:
        done = restore(
            database_url=settings.database_url,
            var_dir=settings.var_dir,
            directory=Path(args.directory),
            force=args.force,
        )
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts, made = done.counts, done.manifest
    print(
        f"Restored {counts.cases} case(s), {counts.attachments} attachment(s), "
        f"{counts.events} event(s) and {done.files} attachment file(s) ({done.bytes} bytes) "
        f"from the backup of {made.created_at:%Y-%m-%d %H:%M} UTC"
    )
    if done.migrated_to:
        print(f"Schema upgraded from revision {made.revision} to {done.migrated_to}")
    if made.missing:
        print(
            f"WARNING: {len(made.missing)} attachment file(s) were already missing when "
            "this backup was made",
            file=sys.stderr,
        )
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """Measure NLU and round-trip latency against a running `tiepdan run`."""
    from bot.bench import run_bench

    report = asyncio.run(run_bench(settings, rounds=args.rounds))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def cmd_bench_console(args: argparse.Namespace, settings: Settings) -> int:
    """Seed realistic cases into PostgreSQL and time the staff inbox (service and page)."""
    from pathlib import Path

    from bot.console_bench import SECTION, markdown, run_console_bench
    from bot.markdown_sections import write_section

    report = asyncio.run(
        run_console_bench(cases=args.cases, rounds=args.rounds, database_url=args.database_url)
    )
    command = f"tiepdan bench console --cases {args.cases} --rounds {args.rounds}"
    print(markdown(report, command))
    if args.write:
        write_section(Path(args.write), SECTION, markdown(report, command))
    return 0


def cmd_bench_understanding(args: argparse.Namespace, settings: Settings) -> int:
    """Score the held-out adversarial messages and dialogues with the running NLU."""
    from bot.bench_understanding import main as bench_understanding

    return bench_understanding(args, settings)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="tiepdan", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(
        parent: argparse._SubParsersAction[argparse.ArgumentParser], name: str, fn: Command
    ) -> argparse.ArgumentParser:
        command = parent.add_parser(name, help=fn.__doc__, description=fn.__doc__)
        command.set_defaults(func=fn)
        return command

    run = add(sub, "run", cmd_run)
    run.add_argument("--no-rasa", action="store_true", help="use the Rasa server at RASA_URL")
    run.add_argument(
        "--no-sandbox", action="store_true", help="use the Bot API at TELEGRAM_API_BASE_URL"
    )
    run.add_argument(
        "--no-console", action="store_true", help="do not serve the staff console here"
    )
    add(sub, "bot", cmd_bot)
    add(sub, "console", cmd_console)
    sandbox = add(sub, "sandbox", cmd_sandbox)
    sandbox.add_argument("--host", help="default SANDBOX_HOST")
    sandbox.add_argument("--port", type=int, help="default SANDBOX_PORT")

    db = sub.add_parser("db", help="database schema").add_subparsers(
        dest="db_command", required=True
    )
    add(db, "upgrade", cmd_db_upgrade)

    nlu = sub.add_parser("nlu", help="the Rasa NLU model").add_subparsers(
        dest="nlu_command", required=True
    )
    train = add(nlu, "train", cmd_nlu_train)
    train.add_argument("--force", action="store_true", help="train even if the model is up to date")
    add(nlu, "serve", cmd_nlu_serve)
    review = add(nlu, "review", cmd_nlu_review)
    review.add_argument("--limit", type=int, default=100, help="at most this many items")
    evaluate = add(nlu, "evaluate", cmd_nlu_evaluate)
    evaluate.add_argument(
        "--baseline", action="store_true", help="also train and measure Rasa's stock pipeline"
    )
    evaluate.add_argument(
        "--baseline-epochs",
        type=int,
        help="train the stock pipeline this many epochs (default 300)",
    )
    evaluate.add_argument("--write", metavar="PATH", help="write the table as Markdown to PATH")
    evaluate.add_argument("--errors", action="store_true", help="list every misclassified example")
    evaluate.add_argument(
        "--adversarial",
        action="store_true",
        help="also score the classifier on nlu/data/test/adversarial.yml, per kind",
    )
    evaluate.add_argument("--json", action="store_true", help="also print the figures as JSON")

    crossval = add(nlu, "crossval", cmd_nlu_crossval)
    crossval.add_argument("--folds", type=int, default=4, help="number of folds (default 4)")
    crossval.add_argument("--seed", type=int, default=7, help="shuffling seed (default 7)")
    crossval.add_argument(
        "--config", default=str(PROJECT_ROOT / "config.yml"), help="the Rasa pipeline to measure"
    )
    crossval.add_argument(
        "--fit-gate",
        action="store_true",
        help="also fit the answer gate on the out-of-fold predictions, print what each "
        "NLU_GATE would cost and save, and write it to nlu/gate.json",
    )

    ask = add(sub, "ask", cmd_ask)
    ask.add_argument("text", nargs="*", help="the citizen's text")
    ask.add_argument("--jsonl", action="store_true", help="read one text per line from stdin")
    ask.add_argument(
        "--previous",
        metavar="INTENT",
        help="the procedure the conversation is about (as if just answered): a text naming "
        "only an aspect, a unit or a circumstance is answered for it",
    )
    ask.add_argument(
        "--conversation",
        action="store_true",
        help="with --jsonl: the lines are one chat's turns, each following up the procedure "
        "the line before was answered with (--previous applies to the first line)",
    )

    faq = sub.add_parser("faq", help="FAQ answers").add_subparsers(
        dest="faq_command", required=True
    )
    faq_import = add(faq, "import", cmd_faq_import)
    faq_import.add_argument(
        "directory", nargs="?", metavar="DIR", help="an exported folder (default: the repository's)"
    )
    faq_import.add_argument(
        "--overwrite", action="store_true", help="replace what is already in the database"
    )
    faq_export = add(faq, "export", cmd_faq_export)
    faq_export.add_argument("directory", metavar="DIR", help="the folder to write into")

    purge = add(sub, "purge", cmd_purge)
    purge.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    backup = add(sub, "backup", cmd_backup)
    backup.add_argument("directory", metavar="DIR", help="a new or empty folder")
    restore = add(sub, "restore", cmd_restore)
    restore.add_argument("directory", metavar="DIR", help="a folder `tiepdan backup` wrote")
    restore.add_argument(
        "--force", action="store_true", help="replace the cases the database already holds"
    )

    bench = add(sub, "bench", cmd_bench)
    bench.add_argument("--rounds", type=int, default=30, help="messages per measurement")
    bench_sub = bench.add_subparsers(dest="bench_command")
    console_bench = add(bench_sub, "console", cmd_bench_console)
    console_bench.add_argument("--cases", type=int, default=100_000, help="cases to seed")
    console_bench.add_argument(
        "--database-url", help="use this database (default: a temporary PostgreSQL database)"
    )
    console_bench.add_argument("--rounds", type=int, default=30, help="timed rounds per request")
    console_bench.add_argument("--write", metavar="PATH", help="put the figures into PATH")
    understanding = add(bench_sub, "understanding", cmd_bench_understanding)
    understanding.add_argument("--json", action="store_true", help="print the figures as JSON")
    understanding.add_argument("--write", metavar="PATH", help="put the figures into PATH")
    understanding.add_argument(
        "--sets",
        metavar="DIR",
        help="score the adversarial.yml and dialogues.yml of DIR instead (e.g. nlu/data/dev, "
        "the development sets; a missing file is skipped)",
    )

    from bot.training.activation_cli import add_activation_commands

    add_activation_commands(nlu, bench_sub, add)  # nlu models, nlu activate, bench activate
    from bot.bench_load import add_load_command

    add_load_command(bench_sub, add)  # bench load (issue 10)
    from bot.staff.cli import add_staff_commands

    add_staff_commands(sub, add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tiepdan` command."""
    args = build_parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings)
    result: int = args.func(args, settings)
    return result


if __name__ == "__main__":
    sys.exit(main())
