"""Two-factor sign-in with an authenticator app (TOTP) and one-time recovery codes.

Officers (commune, province, national roles) and staff must use it; members may. The TOTP secret is
sealed before it is stored: HMAC-SHA256 in counter mode gives the key stream and an HMAC over the
nonce and cipher text authenticates it (encrypt-then-MAC, standard library only). Both keys derive
from SECRET_KEY; SECRET_KEY_FALLBACKS still open secrets sealed before a key rotation. Recovery codes
are stored as keyed hashes, so a copy of the database alone (a stolen backup) reveals neither.

Nothing here logs a secret or a code.
"""

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from congdongso.accounts.models import MANAGER_ROLES, RecoveryCode, TOTPDevice, User
from congdongso.accounts.selectors import scope_of
from congdongso.audit.writer import record

ISSUER = "Cộng Đồng Số"
RECOVERY_CODE_COUNT = 10
# 12 characters of 31 (no i, l, o, 0, 1 to misread): about 59 bits, typed as three groups of four.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 12
_SEAL_VERSION = "v1"
_NONCE_BYTES = 16
_TAG_BYTES = 32


# --- who must use it -----------------------------------------------------------------------------


def is_required_for(user: User) -> bool:
    """Officers and staff must sign in with a second factor; members may choose to."""
    if user.is_staff or user.is_superuser:
        return True
    # Through the per-request scope cache: the view about to run usually needs the scope anyway.
    return bool(scope_of(user).roles & set(MANAGER_ROLES))


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


# --- sealing the secret --------------------------------------------------------------------------


def _keys(secret_key: str) -> tuple[bytes, bytes]:
    base = hashlib.sha256(f"congdongso.accounts.twofactor:{secret_key}".encode()).digest()
    return hmac.new(base, b"encrypt", hashlib.sha256).digest(), hmac.new(base, b"authenticate", hashlib.sha256).digest()


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (
        hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest() for counter in range(length // 32 + 1)
    )
    return b"".join(blocks)[:length]


@sensitive_variables()
def seal(plain: str) -> str:
    encrypt_key, mac_key = _keys(settings.SECRET_KEY)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    data = plain.encode()
    cipher = bytes(a ^ b for a, b in zip(data, _stream(encrypt_key, nonce, len(data)), strict=True))
    tag = hmac.new(mac_key, _SEAL_VERSION.encode() + nonce + cipher, hashlib.sha256).digest()
    return f"{_SEAL_VERSION}${base64.urlsafe_b64encode(nonce + cipher + tag).decode()}"


@sensitive_variables()
def unseal(sealed: str) -> str:
    """The plain text, or ValueError when it was not sealed with the current or a fallback key."""
    version, _sep, body = sealed.partition("$")
    raw = base64.urlsafe_b64decode(body.encode()) if version == _SEAL_VERSION else b""
    if len(raw) <= _NONCE_BYTES + _TAG_BYTES:
        raise ValueError("not a sealed value")
    nonce, cipher, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
    for secret_key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        encrypt_key, mac_key = _keys(secret_key)
        expected = hmac.new(mac_key, version.encode() + nonce + cipher, hashlib.sha256).digest()
        if hmac.compare_digest(expected, tag):
            return bytes(a ^ b for a, b in zip(cipher, _stream(encrypt_key, nonce, len(cipher)), strict=True)).decode()
    raise ValueError("sealed with an unknown key")


# --- codes ---------------------------------------------------------------------------------------


def normalise(code: str) -> str:
    """What a person typed, without the spaces and dashes they may add, in lower case."""
    return "".join(ch for ch in code.strip().lower() if ch not in " -\u00a0")[:40]


def looks_like_totp(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


@sensitive_variables()
def totp_for(device: TOTPDevice) -> pyotp.TOTP:
    return pyotp.TOTP(unseal(device.sealed_secret))


def provisioning_uri(device: TOTPDevice) -> str:
    return totp_for(device).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


@sensitive_variables()
def verify_totp(device: TOTPDevice, code: str, *, at: float | None = None) -> bool:
    """Accept a code of the current 30-second step or one either side (clock drift), once only.

    The step is recorded with a conditional update, so two requests racing with the same code cannot
    both win, and a code of a step already used (or an earlier one) is refused."""
    if not looks_like_totp(code):
        return False
    totp = totp_for(device)
    now = time.time() if at is None else at
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if step <= device.last_used_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            won = TOTPDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
                last_used_step=step, last_used_at=timezone.now()
            )
            if won:
                device.last_used_step = step
            return bool(won)
    return False


def _recovery_hashes(user_id: int, code: str) -> list[str]:
    """The keyed hash of a recovery code under the current key and every fallback key."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        hmac.new(_keys(key)[1], f"recovery:{user_id}:{code}".encode(), hashlib.sha256).hexdigest() for key in keys
    ]


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4))


@sensitive_variables()
def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones and return them: the only time they are seen."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_recovery_hashes(user.pk, normalise(code))[0]) for code in codes
        )
        record(actor_id=user.pk, action="two_factor.recovery_codes", object_type="accounts.user", object_id=user.pk)
    return codes


@sensitive_variables()
def recovery_code_use(*, user: User, code: str) -> bool:
    """Spend one unused recovery code; a code works once (the update is conditional)."""
    code = normalise(code)
    if len(code) != _RECOVERY_LENGTH or not code.isalnum():
        return False
    spent = RecoveryCode.objects.filter(
        user=user, code_hash__in=_recovery_hashes(user.pk, code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if spent:
        record(actor_id=user.pk, action="two_factor.recovery_used", object_type="accounts.user", object_id=user.pk)
    return bool(spent)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    used_recovery_code: bool = False


def check_code(*, user: User, code: str) -> CheckResult:
    """A code from the app, or else a recovery code."""
    code = normalise(code)
    device = confirmed_device(user)
    if device is None:
        return CheckResult(False)
    if looks_like_totp(code):
        return CheckResult(verify_totp(device, code))
    return CheckResult(recovery_code_use(user=user, code=code), used_recovery_code=True)


# --- enrolment -----------------------------------------------------------------------------------


@sensitive_variables()
def enrolment_start(*, user: User) -> TOTPDevice:
    """The user's device waiting for its first code, made with a new secret if there is none yet.

    Raises PermissionError when the user already has a confirmed device: its secret is never shown again."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.is_confirmed:
            raise PermissionError("already enrolled")
        if device is None:
            device = TOTPDevice.objects.create(user=user, sealed_secret=seal(pyotp.random_base32(32)))
    return device


def enrolment_confirm(*, user: User, code: str) -> list[str] | None:
    """Confirm the pending device with its first code; returns the new recovery codes, or None when the
    code is wrong."""
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None or not verify_totp(device, normalise(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
        record(actor_id=user.pk, action="two_factor.enrol", object_type="accounts.user", object_id=user.pk)
        return recovery_codes_issue(user=user)


def two_factor_reset(*, user: User, actor_id: int | None) -> None:
    """Forget a user's authenticator and recovery codes (a lost phone): they enrol again at next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        record(actor_id=actor_id, action="two_factor.reset", object_type="accounts.user", object_id=user.pk)

