"""array: the CPython twin of bench/programs/array.sx, on Python lists: a
size x size matrix (a list of rows) filled from a formula, its row and column
sums (sum, zip), its transpose, and for each row of the transpose a tally in
a 101-bucket count list giving the row's most frequent value."""

SIZE = 360
SMALL_SIZE = 110
EXPECTED = {
    360: (1162976267, 1162685826, 17931, 579),
    110: (33219179, 33199997, 5939, 1154),
}

BUCKETS = 101


def mode_sum(m):
    # the most frequent value of each row (the smallest among ties), summed
    total = 0
    for row in m:
        counts = [0] * BUCKETS
        for v in row:
            counts[v] += 1
        total += max(range(BUCKETS), key=counts.__getitem__)
    return total


def weighted_sum(values):
    return sum(i * v for i, v in enumerate(values, 1))


def run(n):
    m = [[(i * 7 + j * 13 + i * j) % BUCKETS for j in range(n)]
         for i in range(n)]
    t = [list(column) for column in zip(*m)]
    row_sums = [sum(row) for row in m]
    column_sums = [sum(column) for column in zip(*m)]
    sample = sum(t[i][i * 3 % n] for i in range(n))
    return (weighted_sum(row_sums), weighted_sum(column_sums), sample,
            mode_sum(t))
