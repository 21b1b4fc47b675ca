"""What every domain package uses: the Environment, errors and exit codes, console output, files, processes."""
