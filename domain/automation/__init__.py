"""Scheduled automation: low stock and purchase orders, delays, review requests, expiry of
unpaid orders and the daily report. Each job is a command run through the bus, so what it
notifies is stored in the same transaction as what it changes."""
