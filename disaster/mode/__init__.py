"""Disaster mode: where it holds (an active real Severe or Extreme alert covers the point, or
staff switched the city into it), with which hazard, and what the app and bot then lead with."""
