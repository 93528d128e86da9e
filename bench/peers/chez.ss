;;; Prelude for Chez Scheme 9.5 (`scheme --script`), which implements R6RS
;;; rather than R7RS: the R7RS names the benchmark programs use that Chez
;;; lacks, defined in terms of what it has. `sx bench` puts this before the
;;; program, whose `(import ...)` it drops and whose `(include ...)` it inlines.

(define (current-jiffy)
  (let ((t (current-time 'time-monotonic)))
    (+ (* (time-second t) 1000000000) (time-nanosecond t))))
(define (jiffies-per-second) 1000000000)
(define (exact-integer? x) (and (integer? x) (exact? x)))
(define (square x) (* x x))
(define truncate-quotient quotient)
(define truncate-remainder remainder)
(define (floor-quotient n d) (floor (/ n d)))
(define floor-remainder modulo)
(define (string-map f s) (list->string (map f (string->list s))))
(define (string->vector s) (list->vector (string->list s)))
(define (vector->string v) (list->string (vector->list v)))
