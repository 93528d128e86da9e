"""destruc: the CPython twin of bench/programs/destruc.sx, destructive
rearrangement of a list of 20 rows of 20 integers, on Python lists mutated
in place: every item gets a new value, neighbouring rows swap their tails
(slice assignment), every row is reversed (list.reverse) and the first row
moves to the end; the result is a position-weighted sum of the rows."""

SIZE = 600
SMALL_SIZE = 60
EXPECTED = {600: 67820280, 60: 67004420}

ROW_COUNT = 20
ROW_LENGTH = 20


def make_rows(r, c):
    return [list(range(i * c, i * c + c)) for i in range(r)]


def scramble(rows, p):
    for row in rows:
        row[:] = [(3 * v + p) % 1009 for v in row]


def swap_tails(rows, k):
    for a, b in zip(rows[0::2], rows[1::2]):
        a[k:], b[k:] = b[k:], a[k:]


def checksum(rows):
    return sum((31 * i + j) * v
               for i, row in enumerate(rows, 1)
               for j, v in enumerate(row, 1))


def run(size):
    rows = make_rows(ROW_COUNT, ROW_LENGTH)
    for p in range(size):
        scramble(rows, p)
        swap_tails(rows, 1 + p % (ROW_LENGTH - 1))
        for row in rows:
            row.reverse()
        rows.append(rows.pop(0))
    return checksum(rows)
