"""nqueens: the CPython twin of bench/programs/nqueens.sx.

The same search, written as Python backtracking: the free rows are a list,
each free row is tried in the next column when `safe` (a walk over the
queens placed so far, nearest column first) finds no diagonal attack. It
visits the same placements and makes the same checks as the SX version.
"""

SIZE = 9
SMALL_SIZE = 8
EXPECTED = {9: 352, 8: 92}


def safe(row, placed):
    for dist, other in enumerate(reversed(placed), 1):
        if other == row + dist or other == row - dist:
            return False
    return True


def count_solutions(free, placed):
    if not free:
        return 1
    count = 0
    for i, row in enumerate(free):
        if safe(row, placed):
            placed.append(row)
            count += count_solutions(free[:i] + free[i + 1:], placed)
            placed.pop()
    return count


def run(size):
    return count_solutions(list(range(1, size + 1)), [])
