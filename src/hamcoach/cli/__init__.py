"""Command-line interface (Typer + Rich). Thin: it calls the library and turns errors into prose."""
