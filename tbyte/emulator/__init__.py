"""The embedded AWS emulator: moto's server on 127.0.0.1 with narrow corrections (fixes/)."""
