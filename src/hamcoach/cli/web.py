"""``hamcoach serve``: the clinic web app (src/hamcoach/web, docs/WEB.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(highlight=False)

DB_HELP = "Database URL (default: $HAMCOACH_DB_URL, else SQLite in the user data folder)."
SECRET_ENV = "HAMCOACH_SECRET_KEY"


def secret_key(storage_dir: Path) -> str:
    """$HAMCOACH_SECRET_KEY, else a key kept in the storage folder (made once, readable by the
    owner only), so logins and forms survive a restart."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env
    path = storage_dir / "secret_key"
    if not path.exists():
        storage_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def register(app: typer.Typer) -> None:
    clinic_app = typer.Typer(
        help="Set up clinics for the web app: clinics, clinician logins, patient logins.",
        no_args_is_help=True,
    )
    app.add_typer(clinic_app, name="clinic")

    @clinic_app.command("add")
    def clinic_add(
        name: str = typer.Argument(
            ..., help="The clinic's name, as its staff and patients see it."
        ),
        town: str = typer.Option("", "--town", help="Where it is (shown to staff)."),
        signups: bool = typer.Option(
            False, "--signups", help="This clinic receives the public free-trial sign-ups."
        ),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Create a clinic (or change its town, or make it receive the sign-ups).

        Example: hamcoach clinic add "Hamstring Health PT" --town "Doylestown, PA" --signups
        """
        from hamcoach.storage.engine import resolve_url
        from hamcoach.web.admin import add_clinic

        clinic_id = add_clinic(resolve_url(db), name, town=town, takes_signups=signups)
        console.print(f"Clinic #{clinic_id}: {name}" + (" (receives sign-ups)" if signups else ""))

    @clinic_app.command("list")
    def clinic_list(db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """List the clinics with their clinicians and patients.

        Example: hamcoach clinic list
        """
        from hamcoach.storage.engine import resolve_url
        from hamcoach.web.admin import list_clinics

        for c in list_clinics(resolve_url(db)):
            flag = "  receives sign-ups" if c.takes_signups else ""
            console.print(
                f"#{c.id} {c.name} ({c.town or 'no town'}): {c.clinicians} clinicians, "
                f"{c.patients} patients{flag}",
                soft_wrap=True,
            )

    @clinic_app.command("clinician")
    def clinic_clinician(
        email: str = typer.Argument(..., help="The e-mail the clinician logs in with."),
        clinic: str = typer.Option(..., "--clinic", help="The clinic's name."),
        name: str = typer.Option(..., "--name", help="How their changes are signed (Dr Lee)."),
        base_url: str = typer.Option(
            "http://127.0.0.1:8000", "--base-url", help="Where the web app is reached."
        ),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Create a clinician login and print its one-time invitation link.

        Example: hamcoach clinic clinician lee@pt.example --clinic "Hamstring PT" --name "Dr Lee"
        """
        from hamcoach.storage.engine import resolve_url
        from hamcoach.web.admin import invite_clinician

        token = invite_clinician(resolve_url(db), clinic, email, name)
        console.print(
            f"Send this link to {email}: {base_url.rstrip('/')}/invite/{token}", soft_wrap=True
        )

    @clinic_app.command("patient")
    def clinic_patient(
        patient: str = typer.Argument(
            ..., help="Patient code (or #id) from `hamcoach patient add`."
        ),
        email: str = typer.Option(..., "--email", help="The e-mail the patient logs in with."),
        clinic: str = typer.Option(..., "--clinic", help="The clinic that supervises them."),
        base_url: str = typer.Option(
            "http://127.0.0.1:8000", "--base-url", help="Where the web app is reached."
        ),
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Give a patient made on the command line a web login at a clinic (an invitation link).

        Example: hamcoach clinic patient P001 --email jo@example.com --clinic "Hamstring Health PT"
        """
        from hamcoach.storage.engine import resolve_url
        from hamcoach.web.admin import invite_patient

        token = invite_patient(resolve_url(db), clinic, patient, email)
        console.print(
            f"Send this link to {email}: {base_url.rstrip('/')}/invite/{token}", soft_wrap=True
        )

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", help="Port to listen on."),
        db: str = typer.Option(None, "--db", help=DB_HELP),
        data: Annotated[
            Path | None,
            typer.Option(
                "--data",
                help="Folder for uploads and audit reports (default: the user data folder/web).",
            ),
        ] = None,
        demo: bool = typer.Option(
            False, "--demo", help="Seed the demo clinic, therapist and patients first."
        ),
        audit_workers: int = typer.Option(
            1, "--audit-workers", min=1, max=2, help="Video audits analysed at once (1-2)."
        ),
        max_upload_mb: float = typer.Option(
            200.0, "--max-upload-mb", help="Largest video a patient may upload (MB)."
        ),
        secure_cookies: bool = typer.Option(
            False, "--secure-cookies", help="Mark cookies Secure (when served behind HTTPS)."
        ),
    ) -> None:
        """Run the clinic web app: public pages and the free-trial sign-up, patients' plans,
        sessions, pain check-ins and video audits, clinicians' patients, alerts and sign-ups.

        Example: hamcoach serve --demo   (then open http://127.0.0.1:8000)
        """
        import uvicorn

        from hamcoach.storage.engine import resolve_url
        from hamcoach.web.app import create_app
        from hamcoach.web.seed import demo_logins_present, seed_demo_web
        from hamcoach.web.settings import WebSettings, default_storage_dir

        url = resolve_url(db)
        storage = data or default_storage_dir()
        if demo:
            seed_demo_web(url, storage)
        settings = WebSettings(
            db_url=url,
            storage_dir=storage,
            secret_key=secret_key(storage),
            audit_workers=audit_workers,
            max_upload_mb=max_upload_mb,
            secure_cookies=secure_cookies,
        )
        web_app = create_app(settings)
        logins = demo_logins_present(web_app.state.web.db)
        if logins:
            console.print("Demo logins (password after the slash):")
            for login in logins:
                console.print(
                    f"  {login.role:9} {login.email} / {login.password}  ({login.who})",
                    soft_wrap=True,
                )
            if host not in ("127.0.0.1", "localhost", "::1"):
                console.print(
                    "[bold red]Warning:[/] the demo logins have published passwords; "
                    "do not serve this database beyond your own machine.",
                    soft_wrap=True,
                )
        console.print(f"HamCoach clinic on http://{host}:{port}  (Ctrl+C to stop)")
        uvicorn.run(web_app, host=host, port=port, log_level="warning", access_log=False)
