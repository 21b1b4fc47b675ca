name = "tbyte-dev"
