"""`invoke doctor terraform` (C2): an environment's stacks, their saved plans, logs, locks and provider lock."""
