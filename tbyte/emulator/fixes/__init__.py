"""Narrow corrections to moto where it differs from AWS as it is today, applied only in the emulator process.

Each fix names the AWS behaviour it restores and is checked by tests/emulator/test_fixes.py.
The modules are never changed to please the emulator.
"""

from tbyte.emulator.fixes import ec2, eks, rds


def apply() -> None:
    ec2.apply()
    eks.apply()
    rds.apply()
