"""The simulator's one exception tree, and the Alma error codes each refusal carries.

    SimulatorError
     ├─ AlmaError (code, message, status)     what Alma refuses; becomes HTTP at exactly one edge
     │   ├─ MandatoryFieldMissing   401664    ├─ POLineNotFound       401871
     │   ├─ IllegalValue            401872    ├─ POLineAlreadyCancelled 401884
     │   │   └─ FundCheckFailed     401872    ├─ UpdateFailed          401876
     │   ├─ POLineExists            401870    ├─ CancelFailed          401881
     │   ├─ NoChargeNotAllowed      60320     ├─ ReceiveFailed         401877
     │   ├─ BodyNotFound            401676    ├─ NotFound (per-area codes: 402203, 60123, 60121 …)
     │   ├─ GeneralError            402119    ├─ InvalidParameter (40188600, 40188604, 401873 …)
     │   ├─ Unauthorized            UNAUTHORIZED (401)
     │   ├─ Throttled               PER_SECOND_THRESHOLD / DAILY_THRESHOLD (429)
     │   └─ InternalError           INTERNAL_SERVER_ERROR (500), only for injected faults
     ├─ NoAnswer                              Alma's answer never arrived (the call may or may not have been done)
     │   ├─ TimedOut (also TimeoutError)      the client stopped waiting: the answer came too late
     │   └─ ConnectionLost (also ConnectionError)  the connection failed or was dropped before an answer
     ├─ VendorError                           the vendor's own side: an empty cart, a title it does not sell
     └─ HarnessError (also AssertionError)    misuse of the simulator itself; messages start "SIMULATOR:"

Services raise these; `simulator.api` turns them into Alma's error envelope; the HTTP backend turns
the envelope back into the same class through `error_for_code`, so assertions read alike on every backend.
Transport failures become `NoAnswer` at the backend (httpx's time-outs and transport errors over HTTP, the
simulator's injected delays and dropped connections in-process), so carts and steps never import httpx.
Imports only the standard library.
"""

from __future__ import annotations


class SimulatorError(Exception):
    """Root of everything the simulator raises on purpose."""


class AlmaError(SimulatorError):
    """A refusal in Alma's own terms: an error code, a message and the HTTP status it travels with."""

    code: str = "402119"
    status: int = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __reduce__(self):  # keep code/status through pickling (pytest-xdist, multiprocessing)
        return (_rebuild, (type(self), self.message, self.code, self.status))


def _rebuild(cls, message, code, status):
    return cls(message, code=code, status=status)


class MandatoryFieldMissing(AlmaError):
    code = "401664"

    def __init__(self, field: str, **kw) -> None:
        super().__init__(f"Mandatory field is missing: {field}", **kw)
        self.field = field


class IllegalValue(AlmaError):
    code = "401872"


class FundCheckFailed(IllegalValue):
    """One of the profile's "do not create order in case of" checks refused the order."""

    def __init__(self, message: str, *, check: str = "", **kw) -> None:
        super().__init__(message, **kw)
        self.check = check


class POLineExists(AlmaError):
    code = "401870"


class NoChargeNotAllowed(AlmaError):
    code = "60320"


class BodyNotFound(AlmaError):
    code = "401676"


class GeneralError(AlmaError):
    code = "402119"


class POLineNotFound(AlmaError):
    code = "401871"


class POLineAlreadyCancelled(AlmaError):
    code = "401884"


class UpdateFailed(AlmaError):
    code = "401876"


class CancelFailed(AlmaError):
    code = "401881"


class ReceiveFailed(AlmaError):
    code = "401877"


class NotFound(AlmaError):
    """Something other than a PO line was not found; the code depends on the API area."""

    code = "402203"


class InvalidParameter(AlmaError):
    code = "40166410"


class Unauthorized(AlmaError):
    code = "UNAUTHORIZED"
    status = 401


class Throttled(AlmaError):
    code = "PER_SECOND_THRESHOLD"
    status = 429


class InternalError(AlmaError):
    code = "INTERNAL_SERVER_ERROR"
    status = 500


class NoAnswer(SimulatorError):
    """Alma's answer never reached the client: nobody knows whether Alma did the work."""


class TimedOut(NoAnswer, TimeoutError):
    """The client stopped waiting before Alma answered (its time-out passed)."""


class ConnectionLost(NoAnswer, ConnectionError):
    """The connection could not be made, or was closed before Alma's answer arrived."""


class VendorError(SimulatorError):
    """The vendor's own side refused: an empty cart, a title it does not sell, a bad cart line."""


class HarnessError(SimulatorError, AssertionError):
    """The simulator was misused (bad seed, unknown scenario name, unrouted request)."""

    def __init__(self, message: str) -> None:
        super().__init__(message if message.startswith("SIMULATOR:") else f"SIMULATOR: {message}")


_BY_CODE: dict[str, type[AlmaError]] = {
    cls.code: cls
    for cls in (MandatoryFieldMissing, IllegalValue, POLineExists, NoChargeNotAllowed, BodyNotFound,
                GeneralError, POLineNotFound, POLineAlreadyCancelled, UpdateFailed, CancelFailed,
                ReceiveFailed, Unauthorized, Throttled, InternalError)
}
_BY_CODE["DAILY_THRESHOLD"] = Throttled
# The codes the simulated Alma sends with NotFound and InvalidParameter (402119, Alma's general error, is
# also a NotFound when its message says something was not found).
_BY_CODE.update({code: NotFound for code in ("402203", "60121", "60122", "60123", "60221", "60304")})
_BY_CODE.update({code: InvalidParameter for code in ("40166410", "40166411", "401873", "40188600", "40188604", "402204")})


def error_for_code(code: str, message: str, status: int) -> AlmaError:
    """Rebuild the exception a service raised from the code and message of Alma's error envelope."""
    cls = _BY_CODE.get(code, AlmaError)
    if cls is MandatoryFieldMissing:
        err = AlmaError.__new__(MandatoryFieldMissing)
        AlmaError.__init__(err, message, code=code, status=status)
        err.field = message.rsplit(":", 1)[-1].strip()
        return err
    if cls is IllegalValue and "check failed" in message:
        return FundCheckFailed(message, code=code, status=status)
    if cls is GeneralError and message.rstrip(".").endswith(" not found"):
        return NotFound(message, code=code, status=status)
    return cls(message, code=code, status=status)
