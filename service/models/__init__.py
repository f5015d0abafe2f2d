"""Repair (БП-6) and installation (БП-7) requests, who does the work, when, and for how much."""

from service.models.installation import (
    EstimateLine,
    InstallationRequest,
    InstallationStatus,
    InstallationStatusChange,
    WorkLine,
)
from service.models.prices import (
    MONEY,
    EstimateBasis,
    EstimateRule,
    EstimateSection,
    Goal,
    InstallationPackage,
    ServiceZone,
)
from service.models.repair import (
    AttachmentKind,
    EquipmentSource,
    RepairAttachment,
    RepairFormat,
    RepairRequest,
    RepairStatus,
    RepairStatusChange,
    Symptom,
    WarrantyStatus,
)

# Migrations name the upload path service.models._attachment_path.
from service.models.repair import _attachment_path as _attachment_path
from service.models.requests import CostDecision, NumberSequence, ServiceRequest, StatusChange
from service.models.schedule import Crew, ServiceCentre, ServiceSlot, SlotKind, Technician, WorkingHours

__all__ = [
    "MONEY",
    "AttachmentKind",
    "CostDecision",
    "Crew",
    "EquipmentSource",
    "EstimateBasis",
    "EstimateLine",
    "EstimateRule",
    "EstimateSection",
    "Goal",
    "InstallationPackage",
    "InstallationRequest",
    "InstallationStatus",
    "InstallationStatusChange",
    "NumberSequence",
    "RepairAttachment",
    "RepairFormat",
    "RepairRequest",
    "RepairStatus",
    "RepairStatusChange",
    "ServiceCentre",
    "ServiceRequest",
    "ServiceSlot",
    "ServiceZone",
    "SlotKind",
    "StatusChange",
    "Symptom",
    "Technician",
    "WarrantyStatus",
    "WorkLine",
    "WorkingHours",
]
