"""Every entry's source is the service's own site or an official page, or says why not."""

from __future__ import annotations

import pytest

from bot.crisis.directory import CrisisDataError, load_bundled, parse_directory
from bot.crisis.sources import host_of, is_official_host

DIRECTORY = load_bundled()


@pytest.mark.parametrize("entry", DIRECTORY.entries, ids=lambda e: e.id)
def test_every_source_is_own_or_official_unless_marked_weak(entry):
    assert entry.source_is_strong or (entry.weak_source and entry.weak_reason), (
        f"{entry.id}: {host_of(entry.source_url)} is neither the service's own site "
        f"({entry.site}) nor a government or health-system domain; mark it "
        "weak_source = true with a weak_reason"
    )


@pytest.mark.parametrize(
    ("host", "official"),
    [
        ("911.gov", True),
        ("samhsa.gov", True),
        ("england.nhs.uk", True),
        ("gov.scot", True),
        ("crtc.gc.ca", True),
        ("scdf.gov.sg", True),
        ("mayotte.ars.sante.fr", True),
        ("hse.ie", True),
        ("healthservice.hse.ie", True),
        ("notgov.uk", False),
        ("nhs.uk.example.com", False),
        ("evilhse.ie", False),
        ("stories.wf.com", False),
    ],
)
def test_official_hosts(host, official):
    assert is_official_host(host) is official


def test_host_of_drops_scheme_www_port_and_path():
    assert host_of("https://www.Example.org:443/a/b?c") == "example.org"


def _raw_with(**changes):
    raw = {
        "schema_version": 1,
        "countries": {"GB": {"name": "United Kingdom", "short_codes": ["999"]}},
        "intl": {"name": "i", "serves": "s", "url": "https://a.example",
                 "source_url": "https://a.example", "verified": "2026-11-01"},
        "colleague": {"title": "t", "steps": ["s"], "sources": ["https://a.example"],
                      "verified": "2026-11-01"},
        "entries": [{
            "country": "GB", "id": "gb-emergency", "name": "E", "serves": "s",
            "emergency": True, "hours": "24/7", "source_url": "https://news.example/x",
            "verified": "2026-11-01", "contacts": [{"kind": "call", "value": "999",
                                                   "dial": "999"}],
            **changes,
        }],
    }
    return raw


def test_a_weak_source_needs_a_reason():
    with pytest.raises(CrisisDataError, match="weak_reason"):
        parse_directory(_raw_with(weak_source=True))


def test_a_reason_without_the_flag_is_refused():
    with pytest.raises(CrisisDataError, match="weak_reason"):
        parse_directory(_raw_with(weak_reason="just because"))


def test_own_site_makes_a_source_strong_and_a_different_site_does_not():
    own = parse_directory(_raw_with(site="https://news.example")).entries[0]
    other = parse_directory(_raw_with(site="https://service.example")).entries[0]
    assert own.source_is_strong and not other.source_is_strong
