"""Civic issue reports: photos, storage, workflow, Open311 GeoReport v2 and GeoJSON."""
