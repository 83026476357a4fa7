"""The click group and the pieces every command shares (consoles, exit codes)."""

from __future__ import annotations

import click
from rich.console import Console

from .. import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str) -> None:
    """Print a Chinese error line on stderr (the caller decides the exit code)."""
    err.print(f"[bold red]错误：[/]{message}", markup=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", message="gongkai %(version)s")
def main() -> None:
    """gongkai（公开）：政府信息公开工作年度报告的解析、核查与生成工具。"""
