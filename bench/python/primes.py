"""primes: the CPython twin of bench/programs/primes.sx, the sieve of
Eratosthenes on a list of booleans (the SX program's vector) for the numbers
0..n. `size` is n; the result is (count of primes <= n, largest prime <= n).
The loops are written out (no slice assignment), as the benchmark is about
them."""

SIZE = 400000
SMALL_SIZE = 30000
EXPECTED = {400000: (33860, 399989), 30000: (3245, 29989),
            10000: (1229, 9973)}


def run(n):
    sieve = [True] * (n + 1)
    sieve[0] = sieve[1] = False
    i = 2
    while i * i <= n:
        if sieve[i]:
            for j in range(i * i, n + 1, i):
                sieve[j] = False
        i += 1
    count = 0
    last = 0
    for i in range(2, n + 1):
        if sieve[i]:
            count += 1
            last = i
    return (count, last)
