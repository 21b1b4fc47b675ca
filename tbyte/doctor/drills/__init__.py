"""Drills: each breaks the local platform in one known way, so that the doctor can be seen (and practised) finding
it, printing the fix, and being clean once the fix is applied. `invoke doctor.drill --list` names them."""
