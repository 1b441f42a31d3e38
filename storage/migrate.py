"""Schema migrations (Alembic), callable from async code and from the command line."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def _with_connection(url: str, action: str, revision: str) -> None:
    if url.startswith("sqlite"):
        from sqlalchemy.engine import make_url

        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url)
    cfg = alembic_config(url)

    def run(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        getattr(command, action)(cfg, revision)

    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    finally:
        await engine.dispose()


async def upgrade(url: str, revision: str = "head") -> None:
    await _with_connection(url, "upgrade", revision)


async def downgrade(url: str, revision: str) -> None:
    await _with_connection(url, "downgrade", revision)
