#lang racket
;;; Prelude for Racket, whose standard distribution has no R7RS language: the
;;; program runs as a `racket` module, with the R7RS names it lacks defined
;;; here. Racket's pairs are immutable, so a program using set-car! or
;;; set-cdr! fails under Racket (and `sx bench` says so).

(require (only-in racket/base [if racket-if]))
(define-syntax if   ; R7RS allows a one-armed if, Racket does not
  (syntax-rules ()
    ((_ test then) (racket-if test then (void)))
    ((_ test then else) (racket-if test then else))))

(define (command-line) (cons "racket" (vector->list (current-command-line-arguments))))
(define (current-jiffy) (inexact->exact (round (* 1000 (current-inexact-monotonic-milliseconds)))))
(define (jiffies-per-second) 1000000)
(define exact inexact->exact)
(define inexact exact->inexact)
(define (square x) (* x x))
(define truncate-quotient quotient)
(define truncate-remainder remainder)
(define (floor-quotient n d) (floor (/ n d)))
(define floor-remainder modulo)
(define (list-copy l) (map values l))
(define (string-map f s) (list->string (map f (string->list s))))
(define (string-for-each f s) (for-each f (string->list s)))
(define (string->vector s) (list->vector (string->list s)))
(define (vector->string v) (list->string (vector->list v)))
(define (exact-integer-sqrt n) (integer-sqrt/remainder n))
(define (char-foldcase c) (char-downcase c))
