"""Every write of the service, by process: statuses, slots, repair (БП-6) and installation (БП-7) requests."""

from service.services.installation import InstallationDraft, installation_estimate_decide, installation_request_submit
from service.services.repair import (
    ATTACHMENT_LIMITS_MB,
    MAX_ATTACHMENTS,
    TOO_MANY_FILES,
    RepairDraft,
    repair_attachments_check,
    repair_cost_decide,
    repair_request_set_warranty,
    repair_request_submit,
)
from service.services.slots import service_request_slot_move, service_slot_take, service_slots_generate
from service.services.status import (
    INSTALLATION_TRANSITIONS,
    REPAIR_TRANSITIONS,
    installation_request_set_status,
    installation_work_lines_seed,
    repair_request_set_status,
)

__all__ = [
    "ATTACHMENT_LIMITS_MB",
    "INSTALLATION_TRANSITIONS",
    "MAX_ATTACHMENTS",
    "REPAIR_TRANSITIONS",
    "TOO_MANY_FILES",
    "InstallationDraft",
    "RepairDraft",
    "installation_estimate_decide",
    "installation_request_set_status",
    "installation_request_submit",
    "installation_work_lines_seed",
    "repair_attachments_check",
    "repair_cost_decide",
    "repair_request_set_status",
    "repair_request_set_warranty",
    "repair_request_submit",
    "service_request_slot_move",
    "service_slot_take",
    "service_slots_generate",
]
