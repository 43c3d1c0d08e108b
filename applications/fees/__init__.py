"""Fees: one Stripe Checkout per submission, through payments' purpose `application`."""
