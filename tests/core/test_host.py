"""The Host protocol: the runtime implements all of it, the adapters' fakes only it."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import pytest

from bot.core.ports import ConsoleHost, Host
from bot.runtime import ConsoleAssembly
from tests.support.hosts import EchoConsoleHost, EchoHost

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def members(protocol: type) -> set[str]:
    """The public members a protocol declares, its bases' included."""
    return {name for cls in protocol.__mro__ if cls.__module__ == "bot.core.ports"
            for name in vars(cls) if not name.startswith("_")}


def conforms(impl: object, protocol: type) -> list[str]:
    """What ``impl`` lacks or spells differently (parameter names, async or not)."""
    wrong = []
    for name in sorted(members(protocol)):
        want = getattr(protocol, name)
        if not hasattr(impl, name):
            wrong.append(f"{name}: missing")
        elif callable(want):
            got = getattr(impl, name)
            same_params = (list(inspect.signature(got).parameters)
                           == list(inspect.signature(want).parameters)[1:])
            same_kind = inspect.iscoroutinefunction(got) == inspect.iscoroutinefunction(want)
            if not (same_params and same_kind):
                wrong.append(f"{name}: {inspect.signature(got)}")
    return wrong


def test_the_console_host_extends_the_host():
    assert members(Host) < members(ConsoleHost)
    assert {"serve", "handle_invocation", "command_specs", "set_spelling"} <= members(Host)


def test_the_runtime_assembly_is_a_host(assembly):
    assert conforms(assembly, Host) == []


def test_the_console_assembly_is_a_console_host(assembly, clock):
    host = ConsoleAssembly(assembly.ctx, assembly.core, clock)
    assert conforms(host, ConsoleHost) == []


@pytest.mark.parametrize(("fake", "protocol"), [(EchoHost, Host), (EchoConsoleHost, ConsoleHost)])
def test_the_fake_hosts_have_the_protocol_and_nothing_more(settings, fake, protocol):
    host = fake(settings) if fake is EchoHost else fake(settings, START)
    assert conforms(host, protocol) == []
    methods = {n for n in dir(fake) if not n.startswith("_")}
    assert methods | {"settings"} == members(protocol)


def test_the_check_finds_a_missing_member_and_a_wrong_signature(settings):
    class Partial(EchoHost):
        def group_names(self, guild):  # a renamed parameter
            return []

    host = Partial(settings)
    del host.settings
    assert conforms(host, Host) == ["group_names: (guild)", "settings: missing"]
