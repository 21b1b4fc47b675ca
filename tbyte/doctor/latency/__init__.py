"""`invoke doctor latency` (D2): where a service's time goes, as suspects ranked by their numbers."""
