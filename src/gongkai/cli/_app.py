"""The click group and the pieces every command shares (consoles, exit codes, Chinese usage
errors)."""

from __future__ import annotations

import errno
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from .. import __version__

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def format_option(*choices: str) -> Callable[[F], F]:
    """The ``--format/-f`` option every command has; the first choice is the default."""
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help="输出格式",
    )


def fail(message: str) -> None:
    """Print a Chinese error line on stderr (the caller decides the exit code)."""
    err.print(f"[bold red]错误：[/]{escape(message)}")


def cannot_write(path: object, e: OSError) -> str:
    """Why ``path`` could not be written, in Chinese (an OSError's own text is English)."""
    if isinstance(e, FileNotFoundError):
        reason = "所在的文件夹不存在，请先创建"
    elif isinstance(e, PermissionError):
        reason = "没有写入权限"
    elif isinstance(e, IsADirectoryError):
        reason = "这是一个文件夹，需要文件名"
    elif isinstance(e, NotADirectoryError):
        reason = "路径中有一段不是文件夹"
    elif e.errno == errno.ENOSPC:
        reason = "磁盘空间不足"
    elif e.errno == errno.EROFS:
        reason = "所在的文件系统是只读的"
    else:
        reason = f"系统错误 {e.errno}"
    return f"无法写入 {path}：{reason}"


# click writes its usage errors in English; users read Chinese. The common messages are
# translated here; anything else keeps click's words after a Chinese prefix.
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"'(.*)' is not one of (.*)\.$"), "「{0}」不是可选的值（可选：{1}）"),
    (re.compile(r"'(.*)' is not a valid integer( range)?\.$"), "「{0}」不是整数"),
    (
        re.compile(r"'(.*)' does not match the format (.*)\.$"),
        "「{0}」不是日期（格式：YYYY-MM-DD）",
    ),
    (re.compile(r"(?:File|Path) '(.*)' does not exist\.$"), "文件「{0}」不存在"),
    (re.compile(r"(?:File|Path) '(.*)' is a directory\.$"), "「{0}」是目录，需要文件"),
    (re.compile(r"^Missing command\.$"), "缺少子命令"),
    (re.compile(r"^No such command '(.*)'\.$"), "没有子命令「{0}」"),
    (re.compile(r"^No such option:? '?([^\s']+)'?"), "没有选项 {0}"),
    (re.compile(r"^Option '(.*)' requires an argument\.$"), "选项 {0} 需要一个值"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$"), "多余的参数：{0}"),
)


def _chinese(e: click.UsageError) -> str:
    if isinstance(e, click.MissingParameter) and e.param is not None:
        kind = "参数" if e.param.param_type_name == "argument" else "选项"
        return f"缺少{kind} {e.param.get_error_hint(e.ctx) if e.ctx else e.param.name}"
    message = e.message
    for pattern, template in _MESSAGES:
        m = pattern.search(message)
        if m:
            text = template.format(*(g or "" for g in m.groups()))
            break
    else:
        text = message
    if isinstance(e, click.BadParameter) and e.param is not None and e.ctx is not None:
        text = f"{e.param.get_error_hint(e.ctx)}：{text}"
    return text


class ChineseGroup(click.Group):
    """A group whose usage errors are printed in Chinese (exit 2), never as a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.Abort:
            err.print("已中止")
            sys.exit(EXIT_FINDINGS)
        except click.UsageError as e:
            err.print(f"[bold red]用法错误：[/]{escape(_chinese(e))}")
            if e.ctx is not None:
                err.print(f"用 {e.ctx.command_path} --help 查看用法")
            sys.exit(EXIT_USAGE)
        except click.ClickException as e:
            fail(e.format_message())
            sys.exit(e.exit_code)
        except Exception as e:  # a bug must still end in a message, not a traceback
            fail(f"程序内部错误（{type(e).__name__}: {e}）；请把所用的文件和命令报告给开发者")
            sys.exit(EXIT_FINDINGS)


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", message="gongkai %(version)s")
def main() -> None:
    """gongkai（公开）：政府信息公开工作年度报告的解析、核查与生成工具。"""
