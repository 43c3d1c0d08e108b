"""Disaster response: disaster mode (a reading of the active alerts, and the city's switch),
safety checks (安否確認) and residents who need help to evacuate (避難行動要支援者).

Builds on geo (shelters, their operation) and notifications.alerts (what is active where).
"""
