"""Facility booking: spaces, rules, availability, holds, reservations and lotteries."""
