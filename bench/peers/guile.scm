;;; Prelude for Guile 3.0, which has the R7RS libraries: the program's own
;;; `(import ...)` is dropped like for the other peers, so import them all.
(import (scheme base) (scheme char) (scheme cxr) (scheme inexact) (scheme read)
        (scheme write) (scheme time) (scheme process-context))
