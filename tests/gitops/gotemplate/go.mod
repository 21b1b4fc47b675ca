// A stand-in for Argo CD's ApplicationSet goTemplate rendering (text/template, missingkey=error, with the one
// Sprig function the platform's templates use, toJson), for tests/gitops/test_templating.py. Standard library only.
module tbyte.local/tests/gotemplate

go 1.26.0
