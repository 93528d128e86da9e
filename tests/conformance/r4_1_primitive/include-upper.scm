(define (SQUARE-IT X) (* X X))
(define UPPER-SYM 'HeLLo)
