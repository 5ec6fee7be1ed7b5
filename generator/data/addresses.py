"""Channel addresses: check and normalise what a contributor wrote, per channel type.

Phone numbers go through `phonenumbers` (which also knows that a Spanish 902
number is shared-cost and a 900 number is free); handles, e-mails and links
are checked against the shape each network allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from generator.data.fields import check_https_url, fail, host_of
from generator.data.vocabulary import ChannelType, Cost

_HANDLE = {
    ChannelType.X: (re.compile(r"^[A-Za-z0-9_]{1,15}$"), ("x.com", "twitter.com"), "1–15 letters, digits or _"),
    ChannelType.INSTAGRAM: (re.compile(r"^[A-Za-z0-9._]{1,30}$"), ("instagram.com",), "1–30 letters, digits, . or _"),
    ChannelType.TIKTOK: (re.compile(r"^[A-Za-z0-9._]{2,24}$"), ("tiktok.com",), "2–24 letters, digits, . or _"),
    ChannelType.TELEGRAM: (re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$"), ("t.me", "telegram.me"), "4–32 letters, digits or _"),
}
_PROFILE_HOSTS = {
    ChannelType.FACEBOOK: ("facebook.com", "fb.com"),
    ChannelType.YOUTUBE: ("youtube.com",),
    ChannelType.LINKEDIN: ("linkedin.com",),
}
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")

_PHONE_COST = {
    PhoneNumberType.TOLL_FREE: Cost.FREE,
    PhoneNumberType.PREMIUM_RATE: Cost.PREMIUM,
    PhoneNumberType.SHARED_COST: Cost.PREMIUM,
    PhoneNumberType.FIXED_LINE: Cost.STANDARD,
    PhoneNumberType.MOBILE: Cost.STANDARD,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: Cost.STANDARD,
}
_OPERATOR_CODE = re.compile(r"^[0-9]{3,5}$")


@dataclass(frozen=True, slots=True)
class Address:
    """A checked address: the normalised form, and the cost the number itself implies."""

    value: str
    implied_cost: Cost | None = None


def check_address(kind: ChannelType, value: str, region: str) -> Address:
    """Check `value` for a channel of type `kind`; `region` is the company's country for local numbers."""
    if kind in (ChannelType.PHONE, ChannelType.WHATSAPP):
        if kind is ChannelType.WHATSAPP and value.lower().startswith("https://"):
            value = _wa_me_number(value)
        return check_phone(value, region, mobile_only=kind is ChannelType.WHATSAPP)
    if kind in _HANDLE:
        return Address(_handle(kind, value))
    if kind in _PROFILE_HOSTS:
        return Address(_profile(kind, value))
    if kind is ChannelType.EMAIL:
        address = value.removeprefix("mailto:")
        if not _EMAIL.match(address):
            raise fail("email", f"'{value}' is not an e-mail address — write it like atencion@example.es")
        return Address(address)
    if kind in (ChannelType.WEBFORM, ChannelType.CHAT, ChannelType.APP):
        return Address(check_https_url(value))
    if kind is ChannelType.IN_PERSON and value.lower().startswith(("http:", "https:")):
        return Address(check_https_url(value))
    if kind in (ChannelType.POST, ChannelType.IN_PERSON):
        if re.search(r"^\s*(javascript|data|vbscript):", value, re.IGNORECASE):
            raise fail("address", "a postal address cannot be a script link — write the street address")
        return Address(value)
    raise AssertionError(f"no address rule for {kind}")  # pragma: no cover - every type has a rule


_BY_FORMATTED: dict[tuple[str, str, bool], Address] = {}
"""Checked numbers by their normalised form: the cost check passes the normalised address back in."""
_BY_FORMATTED_MAX = 65_536


def check_phone(value: str, region: str, *, mobile_only: bool = False) -> Address:
    """A phone number in international format, with the cost its range implies.

    Each number is checked for its address and again, in its normalised form,
    for its cost.  The normalised form of a valid number is the same number,
    so the first check's answer is kept under that form too: otherwise every
    number written differently from the normalised form (most of them) was
    parsed twice, the largest cost of validating 10,000 companies.
    """
    known = _BY_FORMATTED.get((value, region, mobile_only))
    if known is not None:
        return known
    address = _check_phone(value, region, mobile_only)
    if len(_BY_FORMATTED) >= _BY_FORMATTED_MAX:
        _BY_FORMATTED.clear()
    _BY_FORMATTED[(address.value, region, mobile_only)] = address
    return address


@lru_cache(maxsize=4096)
def _check_phone(value: str, region: str, mobile_only: bool) -> Address:
    if not mobile_only and _OPERATOR_CODE.match(value.strip()):
        # Operators' own short codes (1004, 22123, 470) work only from their lines in the
        # country; phonenumbers does not know them all and cannot tell their cost.
        return Address(value.strip(), None)
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise fail("phone", f"'{value}' is not a phone number — write it with the country code, e.g. +34 900 123 456") from None
    # number_type is UNKNOWN exactly when the number is not valid (is_valid_number runs the same
    # match against the region's ranges), so one call answers both questions.
    number_type = phonenumbers.number_type(number)
    if number_type != PhoneNumberType.UNKNOWN:
        if mobile_only and number_type not in (
                PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.FIXED_LINE):
            raise fail("whatsapp", f"'{value}' is not a number WhatsApp can use — check the number the company publishes")
        formatted = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        return Address(formatted, _PHONE_COST.get(number_type, Cost.UNKNOWN))
    raise fail("phone", f"'{value}' is not a valid {region} phone number — check the digits; write it like +34 900 123 456")


def _wa_me_number(url: str) -> str:
    parts = urlsplit(url)
    if host_of(url) not in ("wa.me", "api.whatsapp.com"):
        raise fail("whatsapp", f"'{url}' is not a WhatsApp link — write the phone number, e.g. +34 600 000 000")
    digits = parts.path.strip("/") or dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p).get("phone", "")
    return "+" + digits.lstrip("+")


def _handle(kind: ChannelType, value: str) -> str:
    pattern, hosts, rule = _HANDLE[kind]
    handle = value
    if value.lower().startswith(("https://", "http://")):
        host = host_of(value).removeprefix("www.")
        if host not in hosts:
            raise fail("handle", f"'{value}' is not a {kind.value} profile link — write the handle, e.g. @Example")
        handle = urlsplit(value).path.strip("/").split("/")[0]
    handle = handle.removeprefix("@")
    if not pattern.match(handle):
        raise fail("handle", f"'{value}' is not a valid {kind.value} handle ({rule}) — write it like @Example")
    return "@" + handle


def _profile(kind: ChannelType, value: str) -> str:
    check_https_url(value)
    host = host_of(value).removeprefix("www.").removeprefix("m.").removeprefix("es-es.")
    if not any(host == h or host.endswith("." + h) for h in _PROFILE_HOSTS[kind]):
        raise fail("profile", f"'{value}' is not a {kind.value} page — write the https link to the company's {kind.value} page")
    return value


def handle_url(kind: ChannelType, handle: str) -> str:
    """The public profile URL of a normalised handle."""
    name = handle.removeprefix("@")
    return {ChannelType.X: f"https://x.com/{name}", ChannelType.INSTAGRAM: f"https://www.instagram.com/{name}/",
            ChannelType.TIKTOK: f"https://www.tiktok.com/@{name}", ChannelType.TELEGRAM: f"https://t.me/{name}"}[kind]
