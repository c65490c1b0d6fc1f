"""Personal data: export everything held about a contact person, erase it, enforce the retention period."""
from matchmaker.gdpr.operations import anonymise_expired_contacts, erase_person, export_person

__all__ = ["anonymise_expired_contacts", "erase_person", "export_person"]
