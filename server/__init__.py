"""`sbyt serve`: one process owns the store; the CLI and HTTP clients send it commands."""
