"""Open311 GeoReport v2: the city's reports for Open311 clients (discovery, services, requests)."""
