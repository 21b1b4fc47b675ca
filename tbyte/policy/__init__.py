"""`invoke scan`: checkov, fully offline, over everything the platform is made of; the policy gate of CI."""
