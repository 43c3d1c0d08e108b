"""Booking for staff: which facilities a member manages; the calendar, closures and lotteries
in the API."""
