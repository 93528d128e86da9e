;;; The benchmark driver, included at the end of every program in this folder,
;;; which makes each program a plain R7RS program that checks its own answer:
;;;
;;;     sx run bench/programs/NAME.sx [SIZE [RUNS]]
;;;
;;; A program defines `size` (its input, any datum), `small-size` (the input
;;; of `sx bench --quick`), `expected` (an association list from inputs to
;;; results) and `(run size)`, which does the work and returns the result.
;;;
;;; SIZE is a datum, or the word `full` for the program's `size` (the
;;; default) or `small` for its `small-size`. RUNS (default 1) is how many times to call (run SIZE):
;;; each call is timed and reported as "run K: MS ms", and its result must be
;;; `equal?` to the entry for SIZE in `expected`, or the program reports both
;;; and exits with status 1. RUNS 0 only checks that SIZE has an expected
;;; result: this is how `sx bench` loads a program before it times (run SIZE)
;;; itself. The peers (Chez Scheme, Guile, Racket) run the same text.

(define (bench-fail . parts)
  (for-each display parts)
  (newline)
  (exit 1))

(define (bench-main)
  (let* ((args (cdr (command-line)))
         (input (if (pair? args)
                    (let ((datum (read (open-input-string (car args)))))
                      (case datum
                        ((full) size)
                        ((small) small-size)
                        (else datum)))
                    size))
         (runs (if (and (pair? args) (pair? (cdr args)))
                   (string->number (cadr args))
                   1))
         (entry (assoc input expected)))
    (if (not entry)
        (bench-fail "no expected result for size " input))
    (let loop ((k 1))
      (if (<= k runs)
          (let* ((start (current-jiffy))
                 (result (run input))
                 (stop (current-jiffy)))
            (if (not (equal? result (cdr entry)))
                (bench-fail "wrong result for size " input ": " result
                            ", expected " (cdr entry)))
            (display "run ")
            (display k)
            (display ": ")
            (display (/ (* 1000. (- stop start)) (jiffies-per-second)))
            (display " ms")
            (newline)
            (loop (+ k 1)))))))

(bench-main)
