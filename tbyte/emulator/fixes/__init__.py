"""Narrow corrections to moto where it differs from AWS as it is today, applied only in the emulator process.

Each fix names the AWS behaviour it restores and is checked by tests/emulator/test_fixes.py.
The modules are never changed to please the emulator.
"""

from tbyte.emulator.fixes import backup, cloudwatch, ec2, eks, elasticache, rds


def apply() -> None:
    backup.apply()
    cloudwatch.apply()
    ec2.apply()
    eks.apply()
    elasticache.apply()
    rds.apply()
