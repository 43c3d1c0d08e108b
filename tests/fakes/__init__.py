"""Local fakes of the external services Madoguchi talks to.

Each fake is a real HTTP server on 127.0.0.1 (ephemeral port) that speaks the
service's protocol, so the real client libraries (aiogram, stripe, geopy) run
unchanged against it. Use them as async context managers inside a test.
"""
