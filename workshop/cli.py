"""The ``workshop`` command: a thin layer over the services."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click

from workshop import clock
from workshop.domain.agenda import TemplateError, check_template, find_template, list_templates, load_template

DEMO_FILE = "demo-workshops.json"
log = logging.getLogger(__name__)


def _app():
    from workshop import create_app

    return create_app()


def _sessions_dir() -> Path:
    from workshop.config import PROJECT_ROOT

    return Path(os.environ.get("WORKSHOP_SESSIONS_DIR") or PROJECT_ROOT / "sessions")


DEFAULT_HOST = "0.0.0.0"  # every interface: phones on the venue's Wi-Fi reach the laptop
DEFAULT_PORT = 5000


def _base_url(app) -> str:
    """Where the links this command prints point: WORKSHOP_PUBLIC_URL; else the address that the
    server running now on this database recorded (its real port); else what `workshop serve`
    would serve with HOST and PORT (the LAN address on every interface, port 5000)."""
    from workshop import address

    public = app.config.get("WORKSHOP_PUBLIC_URL")
    if public:
        return public.rstrip("/")
    running = address.running_server_url(Path(app.instance_path), app.config["SQLALCHEMY_DATABASE_URI"])
    if running:
        return running
    host = os.environ.get("HOST") or DEFAULT_HOST
    try:
        port = int(os.environ.get("PORT") or DEFAULT_PORT)
    except ValueError:
        raise click.ClickException(f"PORT={os.environ['PORT']!r} is not a port number") from None
    return address.server_url(host, port)


def workshop_urls(base: str, code: str, facilitator_key: str) -> dict:
    return {
        "join": f"{base}/j/{code}",
        "board": f"{base}/w/{code}/board",
        "facilitate": f"{base}/w/{code}/facilitate?key={facilitator_key}",
        "results": f"{base}/w/{code}/results.html",
        "cards": f"{base}/w/{code}/cards",
    }


def _resolve(template: str) -> Path:
    try:
        return find_template(template, _sessions_dir())
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None


@click.group()
def main() -> None:
    """Live facilitation for Open Space and World Café workshops."""


@main.command()
def templates() -> None:
    """List the workshop templates in sessions/, one a line."""
    for path in list_templates(_sessions_dir()):
        click.echo(path.stem)


@main.command()
@click.argument("template")
def check(template: str) -> None:
    """Validate a template; print one line per problem, naming the file and the place."""
    problems = check_template(_resolve(template))
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{template}: OK")


@main.command()
@click.argument("template")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (code, keys, URLs).")
@click.option("--code", default=None, help="Choose the workshop code instead of a random one.")
def new(template: str, as_json: bool, code: str | None) -> None:
    """Create a workshop from a template and print its code, keys and URLs."""
    from workshop.agenda.workshops import create_workshop
    from workshop.domain.errors import WorkshopError
    from workshop.extensions import db

    try:
        spec = load_template(_resolve(template))
    except TemplateError as error:
        raise click.ClickException(str(error)) from None
    app = _app()
    with app.app_context():
        try:
            workshop, keys = create_workshop(spec, clock.now(), code=code)
        except WorkshopError as error:
            from workshop.messages import describe

            with app.test_request_context():
                raise click.ClickException(describe(error)) from None
        db.session.commit()
        result = {
            "code": workshop.code,
            "title": workshop.title,
            "facilitator_key": keys.facilitator,
            "secretariat_key": keys.secretariat,
            "urls": workshop_urls(_base_url(app), workshop.code, keys.facilitator),
        }
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        _print_workshop(result)


def _print_workshop(result: dict) -> None:
    click.echo(f"{result['title']}  [{result['code']}]")
    for name in ("join", "board", "facilitate", "cards", "results"):
        click.echo(f"  {name:<11} {result['urls'][name]}")
    click.echo(f"  secretariat key: {result['secretariat_key']}")


@main.command("organiser-key")
def organiser_key() -> None:
    """Make a new organiser key, print it once, and replace the old one (a running server takes it at once)."""
    from workshop.agenda.organiser import replace_organiser_key
    from workshop.extensions import db

    app = _app()
    with app.app_context():
        key = replace_organiser_key(clock.now())
        db.session.commit()
        db.engine.dispose()
    click.echo("New organiser key (the old one no longer works); keep it safe, it is shown only once:")
    click.echo(f"  {key}")
    click.echo(f"  {_base_url(app)}/?key={key}")


@main.command()
@click.argument("code")
@click.option(
    "--format",
    "extension",
    required=True,
    metavar="md|html|docx|csv|json",
    help="The file to make: Markdown, printable HTML, Word, CSV or JSON.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write to this file (standard output when not given).",
)
@click.option(
    "--variant",
    default=None,
    metavar="comma|semicolon",
    help="CSV only: the separator (default: semicolon for a French workshop, else comma).",
)
def export(code: str, extension: str, output: str | None, variant: str | None) -> None:
    """Write a workshop's preliminary results, the same bytes as its download."""
    from workshop.agenda.workshops import find_workshop
    from workshop.domain.errors import WorkshopError
    from workshop.extensions import db
    from workshop.results.export import FORMATS, render
    from workshop.results.read import build_synthesis

    if extension not in FORMATS:
        raise click.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    if variant is not None and variant not in FORMATS[extension].variants:
        choices = ", ".join(FORMATS[extension].variants) or "none"
        raise click.BadParameter(f"the {extension} format has these variants: {choices}", param_hint="--variant")
    app = _app()
    with app.app_context():
        try:
            workshop = find_workshop(code)
            data = render(build_synthesis(workshop, clock.now()), extension, variant)
        except WorkshopError:
            raise click.ClickException(f"there is no workshop with the code {code!r}") from None
        finally:
            db.session.remove()
            db.engine.dispose()  # a one-shot command leaves no connection open
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        Path(output).write_bytes(data)
        click.echo(f"{output}: {len(data)} bytes", err=True)


@main.command()
@click.argument("code")
@click.option("--rotate", is_flag=True, help="Issue new facilitator and secretariat keys; the old ones stop working.")
def keys(code: str, rotate: bool) -> None:
    """A workshop's keys: stored only as hashes, so they can be replaced, never shown again."""
    from workshop.agenda.workshops import find_workshop, rotate_keys
    from workshop.domain.errors import WorkshopError
    from workshop.extensions import db

    if not rotate:
        raise click.ClickException(
            "keys are stored only as hashes and cannot be shown again: use --rotate to issue new ones"
        )
    app = _app()
    with app.app_context():
        try:
            workshop = find_workshop(code)
        except WorkshopError:
            raise click.ClickException(f"there is no workshop with the code {code!r}") from None
        fresh = rotate_keys(workshop)
        db.session.commit()
        click.echo(f"facilitator key: {fresh.facilitator}")
        click.echo(f"secretariat key: {fresh.secretariat}")
        click.echo(f"console: {workshop_urls(_base_url(app), workshop.code, fresh.facilitator)['facilitate']}")


@main.command()
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--export",
    "export_to",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="First write the full results as JSON to this file.",
)
def purge(code: str, yes: bool, export_to: str | None) -> None:
    """Delete a workshop's participants, notes, topics and votes (after the results are out)."""
    from workshop.agenda.workshops import find_workshop
    from workshop.domain.errors import WorkshopError
    from workshop.extensions import db
    from workshop.results.privacy import purge_workshop, scrub

    app = _app()
    with app.app_context():
        try:
            workshop = find_workshop(code)
        except WorkshopError:
            raise click.ClickException(f"there is no workshop with the code {code!r}") from None
        if export_to:
            from workshop.results.export import render
            from workshop.results.read import build_synthesis

            Path(export_to).write_bytes(render(build_synthesis(workshop, clock.now()), "json"))
            click.echo(f"exported to {export_to}", err=True)
        if not yes:
            click.confirm(
                f"Delete every participant, note, topic and vote of {workshop.code} ({workshop.title})?",
                abort=True,
            )
        counts = purge_workshop(workshop)
        db.session.commit()
        db.session.close()
        warning = scrub()
    click.echo(", ".join(f"{n} {what}" for what, n in counts.items()) + " deleted")
    if warning:
        click.echo(f"warning: {warning}", err=True)


@main.command()
@click.option(
    "--host",
    default=lambda: os.environ.get("HOST") or DEFAULT_HOST,
    show_default=f"{DEFAULT_HOST}: the venue's network",
)
@click.option(
    "--port", default=lambda: int(os.environ.get("PORT") or DEFAULT_PORT), type=int, show_default=str(DEFAULT_PORT)
)
@click.option("--demo", is_flag=True, help="Load the shipped templates of sessions/ first and print their URLs.")
def serve(host: str, port: int, demo: bool) -> None:
    """Serve the app (HTTP and Socket.IO) on a production server (WORKSHOP_ASYNC_MODE: gevent or threading)."""
    from workshop import address, serving

    try:
        mode = serving.requested_mode()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    # gevent: this command starts again at once, with the standard library patched before any import.
    serving.prepare(mode, ["serve", "--host", host, "--port", str(port)] + (["--demo"] if demo else []))

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

    def load_app():
        app = _app()
        # Found once, here: QR codes and links carry it, never a request's Host header.
        url = app.config["WORKSHOP_PUBLIC_URL"] or address.server_url(host, port)
        app.config["WORKSHOP_SERVER_URL"] = url
        address.record_server(Path(app.instance_path), app.config["SQLALCHEMY_DATABASE_URI"], url)
        with app.app_context():
            announce_organiser_key(url)
        if demo:
            with app.app_context():
                for result in ensure_demo_workshops(app, url, report=lambda line: click.echo(line, err=True)):
                    _print_workshop(result)
                    click.echo("")
        click.echo(f"Phones join at {url}/j/CODE")
        if address.url_is_loopback(url):
            click.echo(
                f"Warning: {url} is this computer's own address: no phone can open it. "
                "Serve the venue's network (HOST=0.0.0.0, the default) or set WORKSHOP_PUBLIC_URL.",
                err=True,
            )
        return app

    serving.run(mode, host, port, load_app, announce=click.echo)


def announce_organiser_key(base: str) -> None:
    """At the server's first start: the organiser key is made and its address printed, once."""
    from workshop.agenda.organiser import ensure_organiser_key
    from workshop.extensions import db

    key = ensure_organiser_key(clock.now())
    db.session.commit()
    if key is not None:
        click.echo("Organiser (create and prepare workshops; shown only this once, keep it safe):")
        click.echo(f"  {base}/?key={key}")
        click.echo("")


def ensure_demo_workshops(app, base: str, report=None) -> list[dict]:
    """One workshop per shipped template (``demo = "CODE"`` in its ``[workshop]``), keys kept in
    instance/ so links survive restarts. Any other file of sessions/ is left alone; a file that
    cannot be loaded is reported in one line (``report``) and skipped: it never stops start-up."""
    from workshop.agenda.workshops import create_workshop, find_workshop, key_role, rotate_keys
    from workshop.domain.agenda import demo_templates
    from workshop.domain.errors import WorkshopError
    from workshop.extensions import db

    report = report or log.warning
    keys_path = Path(app.instance_path) / DEMO_FILE
    try:
        saved = json.loads(keys_path.read_text())
    except (OSError, ValueError):
        saved = {}
    if not isinstance(saved, dict):
        saved = {}
    shipped, problems = demo_templates(_sessions_dir())
    for problem in problems:
        report(f"sessions/{problem}")
    results = []
    for spec in shipped:
        code = spec.demo
        try:
            try:
                workshop = find_workshop(code)
            except WorkshopError:
                workshop, fresh = create_workshop(spec, clock.now(), code=code)
                keys = {"facilitator_key": fresh.facilitator, "secretariat_key": fresh.secretariat}
            else:
                keys = saved.get(code) if isinstance(saved.get(code), dict) else {}
                if (
                    key_role(workshop, keys.get("facilitator_key")) != "facilitator"
                    or key_role(workshop, keys.get("secretariat_key")) != "secretariat"
                ):
                    fresh = rotate_keys(workshop)
                    keys = {"facilitator_key": fresh.facilitator, "secretariat_key": fresh.secretariat}
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            report(f"sessions/{spec.name}.toml: skipped: the demo workshop {code} could not be made ({error})")
            continue
        saved[code] = keys
        results.append(
            {
                "code": code,
                "title": workshop.title,
                **keys,
                "urls": workshop_urls(base, code, keys["facilitator_key"]),
            }
        )
    keys_path.write_text(json.dumps(saved, indent=2))
    keys_path.chmod(0o600)
    return results


if __name__ == "__main__":  # pragma: no cover
    main()
