(define second-file 'yes)
