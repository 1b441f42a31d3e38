"""Staff: who may run the shop from Slack and the console, and with which role."""
