"""The command line in the catalogue's language: help texts, metavars, Typer's own words and errors.

Help texts stay English at their sites (docstrings, `help=`); the built command tree is walked once
per process and each text replaced by the catalogue's. Values print as metavars in the user's
language (`路径`, `整数`), never Typer's Python types (`<list[Path]>`), and flags print none.
Typer (0.29, with its own copy of click) has no translation hook for its words (`Usage:`,
`Options`, `[required]`, `Missing option …`), so `localize_typer` wraps the few places that print them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from casegraph.i18n import current_language, gettext, translate

# Typer's rich help formats these constants once, at its import.
TYPER_RICH_CONSTANTS = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
                        "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE", "ERRORS_PANEL_TITLE",
                        "ABORTED_TEXT", "RICH_HELP")
# Words Typer prints that no constant holds.
TYPER_WORDS = ("Usage: ", "Show this message and exit.", "[OPTIONS]", "COMMAND [ARGS]...", "Example: {command}")
_ORIGINALS: dict[str, Any] = {}


def iter_commands(command: Any, path: str = "casegraph", load: bool = True) -> Iterator[tuple[str, Any]]:
    """(`casegraph db start`, command) for the command and every subcommand below it; with `load`, the
    root's lazy subcommands are imported first (a run loads only the one it invokes)."""
    if load and hasattr(command, "load_all"):
        command.load_all()
    yield path, command
    for name, sub in list((getattr(command, "commands", None) or {}).items()):
        yield from iter_commands(sub, f"{path} {name}", load)


def value_metavar(param: Any) -> str | None:
    """The msgid shown for a parameter's value: None for a flag (it takes none), choices as `a|b`."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    if param.param_type_name == "argument":
        return param.metavar or (param.name or "value").upper()
    if param.metavar:
        return str(param.metavar)
    desc = getattr(param, "type_descriptor", None)
    if desc is None:
        return "TEXT"
    if desc.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    if desc.is_path:
        return "PATH"
    annotation = desc.annotation
    if desc.is_list:
        annotation = (getattr(annotation, "__args__", None) or (str,))[0]
    if annotation is int:
        return "INTEGER"
    if annotation is float:
        return "NUMBER"
    if getattr(annotation, "__name__", "") == "Path":
        return "PATH"
    return "TEXT"


def _is_choice(param: Any) -> bool:
    desc = getattr(param, "type_descriptor", None)
    return bool(desc is not None and desc.is_choice)


def help_messages(command: Any) -> Iterator[str]:
    """Every msgid the help of `command` and its subcommands shows."""
    yield from TYPER_WORDS
    for _, cmd in iter_commands(command):
        for text in (cmd.help, cmd.short_help):
            if text:
                yield inspect.cleandoc(text)
        for param in cmd.params:
            help_text = getattr(param, "help", None)
            if help_text:
                yield inspect.cleandoc(help_text)
            metavar = value_metavar(param)
            if metavar and not _is_choice(param):
                yield metavar


def localize_command(command: Any, language: str | None = None) -> Any:
    """Replace the tree's help texts and metavars by the catalogue's, in place; returns `command`."""
    language = language or current_language()
    for _, cmd in iter_commands(command, load=False):
        for attr in ("help", "short_help"):
            text = getattr(cmd, attr)
            if text:
                setattr(cmd, attr, translate(inspect.cleandoc(text), language))
        cmd.options_metavar = gettext("[OPTIONS]", language)
        if hasattr(cmd, "subcommand_metavar"):
            cmd.subcommand_metavar = gettext("COMMAND [ARGS]...", language)
        for param in cmd.params:
            help_text = getattr(param, "help", None)
            if help_text:
                param.help = translate(inspect.cleandoc(help_text), language)
            metavar = value_metavar(param)
            # An empty metavar makes Typer print no type for a flag (`<bool>` otherwise).
            param.metavar = "" if metavar is None else metavar if _is_choice(param) else translate(metavar, language)
            if param.param_type_name == "argument":
                # Typer prints an argument's Python type beside its metavar (`<list[Path]>`): none instead.
                param.display_type_rich = lambda ctx: None
    localize_typer(language)
    return command


def localized_group_class(examples: dict[str, str] | None = None,
                          lazy: dict[str, tuple[Callable[[], Any], str]] | None = None) -> type:
    """A Typer root group that puts its tree in the process's language when it runs (`Typer(cls=…)`),
    each command's example (by command path) under its help.

    `lazy` maps a subcommand's name to (a loader returning its Typer app or command function, its
    one-line help): the subcommand's module (and spaCy, the Neo4j driver, FastAPI … behind it) is
    imported only when that subcommand runs or a walk of the whole tree asks for it, so that
    `casegraph --help` lists every command without importing any.
    """
    from typer.core import TyperCommand, TyperGroup

    loaders = lazy or {}

    class LocalizedGroup(TyperGroup):
        def _prepare(self, command: Any, path: str) -> None:
            for sub_path, cmd in iter_commands(command, path, load=False):
                if examples and sub_path in examples:
                    cmd.epilog = gettext("Example: {command}").format(command=f"`{examples[sub_path]}`")
            localize_command(command)

        def _load(self, name: str, prepare: bool) -> Any:
            import typer

            target = loaders[name][0]()
            command: Any
            if isinstance(target, typer.Typer):
                # a group even with one subcommand (`demo generate`), as add_typer would make it
                command = typer.main.get_group(target)
            else:
                single = typer.Typer()
                single.command(name)(target)
                command = typer.main.get_command(single)
            command.name = name
            self.add_command(command, name)
            if prepare:  # it runs now, after main() prepared the rest of the tree
                self._prepare(command, f"casegraph {name}")
            return command

        def load_all(self) -> None:
            for name in loaders:
                if name not in self.commands:
                    self._load(name, prepare=False)

        def list_commands(self, ctx: Any) -> list[str]:
            return list(self.commands) + [name for name in loaders if name not in self.commands]

        def get_command(self, ctx: Any, cmd_name: str) -> Any:
            if cmd_name in self.commands or cmd_name not in loaders:
                return super().get_command(ctx, cmd_name)
            # For the list of commands in the root's help: its one line, nothing imported.
            line = translate(loaders[cmd_name][1])
            return TyperCommand(cmd_name, help=line, short_help=line)

        def resolve_command(self, ctx: Any, args: list[str]) -> Any:
            if args and args[0] in loaders and args[0] not in self.commands:
                self._load(args[0], prepare=True)
            return super().resolve_command(ctx, args)

        def main(self, *args: Any, **kwargs: Any) -> Any:
            self._prepare(self, "casegraph")
            return super().main(*args, **kwargs)

    return LocalizedGroup


def localize_typer(language: str | None = None) -> None:
    """Point Typer's own words (Usage, Options, [required], --help's help, its errors) at the catalogue.

    Idempotent; the wrappers ask for the language when they run (a test may change it), the panel
    titles take `language` (default: the process's) now, as Typer formats them once.
    """
    from typer import rich_utils
    from typer._click import core as click_core
    from typer._click import formatting

    for constant in TYPER_RICH_CONSTANTS:
        original = _ORIGINALS.setdefault(constant, getattr(rich_utils, constant))
        setattr(rich_utils, constant, gettext(original, language or current_language()))

    write_usage = _ORIGINALS.setdefault("write_usage", formatting.HelpFormatter.write_usage)

    def localized_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, gettext("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = localized_usage  # type: ignore[method-assign]

    get_help_option = _ORIGINALS.setdefault("get_help_option", click_core.Command.get_help_option)

    def localized_help_option(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = gettext("Show this message and exit.")
            option.metavar = ""
        return option

    click_core.Command.get_help_option = localized_help_option  # type: ignore[method-assign]

    format_error = _ORIGINALS.setdefault("rich_format_error", rich_utils.rich_format_error)

    def localized_error(exc: Any) -> None:
        message = translate(exc.format_message())
        exc.format_message = lambda: message
        format_error(exc)

    rich_utils.rich_format_error = localized_error  # type: ignore[assignment]
