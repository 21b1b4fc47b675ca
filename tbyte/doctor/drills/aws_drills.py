"""placeholder"""
DRILLS = []
