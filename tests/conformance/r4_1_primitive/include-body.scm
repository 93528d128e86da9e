(define local-a 10)
(define local-b 20)
