"""Library code behind the Invoke tasks of the TByte platform repository."""
