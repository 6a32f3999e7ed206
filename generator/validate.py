"""Placeholder until the full stage lands."""


def validate(doc):
    return []
