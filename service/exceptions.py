"""Why a service action is refused; each message is what the customer or the staff member reads."""

SLOT_TAKEN = "Это время только что заняли — выберите другое."
SLOT_UNAVAILABLE = "Выберите время из списка."
TRANSITION_NOT_ALLOWED = "Из статуса «{current}» нельзя перейти в «{target}»."
DECISION_NOT_EXPECTED = "Стоимость сейчас не ждёт вашего решения."


class SlotTaken(Exception):
    """The slot has no free place left."""

    message = SLOT_TAKEN


class SlotUnavailable(Exception):
    """The slot does not fit the request: another region, centre, kind, or in the past."""

    message = SLOT_UNAVAILABLE


class TransitionNotAllowed(Exception):
    """A status move outside the transition map."""


class DecisionNotExpected(Exception):
    """The customer decides on a cost only while it awaits approval."""

    message = DECISION_NOT_EXPECTED
