#!/usr/bin/env python3
"""Independent oracle for erasure redaction (README "GDPR erasure", "Which records match").

Written from the documented rules only, with Python's standard csv and json modules, never the
server's code. Given a CSV/TSV/JSON Lines file and identifiers, it prints the file as it must be
after the subject's records are removed: every kept record byte for byte, a removed record
together with its own line break.

usage: erasure_records.py FORMAT FILE CASE IDENTIFIER...   (FORMAT csv|tsv|jsonl, CASE exact|fold)
       writes the expected bytes to stdout and "records removed/total" to stderr
"""
import csv
import io
import json
import sys

JOINERS = set("-_.@+'")


def fold(text, on):
    # Case-insensitive compares ASCII letters only.
    return "".join(chr(ord(c) + 32) if on and "A" <= c <= "Z" else c for c in text) if on else text


def letter_or_digit(c):
    return c.isalpha() or c.isdigit()


def in_token(text, i):
    c = text[i]
    if letter_or_digit(c):
        return True
    return c in JOINERS and 0 < i < len(text) - 1 and letter_or_digit(text[i - 1]) and letter_or_digit(text[i + 1])


def boundary(text, i):
    # A boundary between text[i-1] and text[i]: an end of the text, or not both inside a token.
    return i == 0 or i == len(text) or not (in_token(text, i - 1) and in_token(text, i))


def value_matches(value, identifiers, fold_case):
    text = fold(value, fold_case)
    for identifier in identifiers:
        wanted = fold(identifier.strip(), fold_case)
        if text.strip() == wanted:
            return True
        start = text.find(wanted)
        while start >= 0:
            if boundary(text, start) and boundary(text, start + len(wanted)):
                return True
            start = text.find(wanted, start + 1)
    return False


def csv_records(data, delimiter):
    """Yields (raw bytes of the record with its line break, fields or None for a blank line)."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    consumed = []

    def feed():
        for line in lines:
            consumed.append(line)
            yield line

    reader = csv.reader(feed(), delimiter=delimiter, strict=False)
    for row in reader:
        raw = "".join(consumed)
        consumed.clear()
        yield raw, (row if row else None)


def jsonl_values(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from jsonl_values(v)
    elif isinstance(value, list):
        for v in value:
            yield from jsonl_values(v)
    elif isinstance(value, str):
        yield value


def jsonl_records(data):
    for line in data.split(b"\n"):
        yield line


def main():
    fmt, path, case = sys.argv[1], sys.argv[2], sys.argv[3]
    identifiers = sys.argv[4:]
    fold_case = case == "fold"
    data = open(path, "rb").read()
    out = io.BytesIO()
    total = removed = 0
    if fmt in ("csv", "tsv"):
        bom = b"\xef\xbb\xbf"
        if data.startswith(bom):
            out.write(bom)
            data = data[len(bom):]
        for raw, row in csv_records(data, "," if fmt == "csv" else "\t"):
            if row is None:
                out.write(raw.encode("utf-8"))
                continue
            total += 1
            if any(value_matches(field, identifiers, fold_case) for field in row):
                removed += 1
                continue
            out.write(raw.encode("utf-8"))
    else:
        lines = data.split(b"\n")
        for index, line in enumerate(lines):
            last = index == len(lines) - 1
            if last and line == b"":
                break
            body = line[:-1] if line.endswith(b"\r") else line
            ending = b"" if last else b"\n"
            if body.strip(b" \t") == b"":
                out.write(line + ending)
                continue
            total += 1
            try:
                parsed = json.loads(body.decode("utf-8"), parse_int=str, parse_float=str)
                values = list(jsonl_values(parsed))
            except ValueError:
                values = [body.decode("utf-8")]
            if any(value_matches(v, identifiers, fold_case) for v in values):
                removed += 1
                continue
            out.write(line + ending)
    sys.stdout.buffer.write(out.getvalue())
    sys.stderr.write(f"{removed}/{total}\n")


if __name__ == "__main__":
    main()
