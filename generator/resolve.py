"""Placeholder until the full stage lands."""


class Resolver:
    def __init__(self, root, **kw):
        self.root = root


def bundle(r):
    return r.root.data, []
