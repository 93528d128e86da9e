(+ local-a local-b)
