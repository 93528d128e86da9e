"""strings: the CPython twin of bench/programs/strings.sx, with Python str
operations: str() for number->string, slicing for the reversal and for
substring, + for string-append and str.count for the walk that counts a
digit."""

SIZE = 10000
SMALL_SIZE = 2000
EXPECTED = {
    10000: (116822, 1040605, 8000, 122, '6;69972-27996;69979-97996;69986-68996;69993-39996;'),
    2000: (20822, 209437, 1486, 122, '1;13972-27931;13979-97931;13986-68931;13993-39931;'),
}


def run(size):
    total = codes = sevens = 0
    buffer = ""
    for i in range(size):
        digits = str(i * 7)
        record = digits + "-" + digits[::-1] + ";"
        n = len(record)
        grown = buffer + record
        total += n
        codes += ord(record[n // 2]) + ord(grown[len(grown) // 3])
        sevens += record.count("7")
        buffer = grown[100:] if len(grown) > 200 else grown
    return (total, codes, sevens, len(buffer), buffer[-50:])
