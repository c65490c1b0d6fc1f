"""Public pages that belong to no single area: home, language choice, privacy notice, health check."""
