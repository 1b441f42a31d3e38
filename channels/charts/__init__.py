"""Charts drawn for people (PNG): the sales report."""
