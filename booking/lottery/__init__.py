"""Lotteries (抽選): the verifiable draw, entries and draws in the database, and their API."""
