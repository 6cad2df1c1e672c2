"""Every statement of every Python file under a root, as Python's own ast
sees it.

    python statement_lines.py ROOT

Prints JSON {"relative/path.py": [[KIND, FIRST, LAST], ...]}: KIND is the ast
node's class (Assign, FunctionDef, ClassDef, Expr, ...), FIRST its first line
counting decorators, LAST its end_lineno. Files Python 3 cannot parse are
left out. This script shares no code with ferry.
"""

import ast
import json
import os
import sys


def statements(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            decorators = getattr(node, "decorator_list", [])
            first = min([node.lineno] + [decorator.lineno for decorator in decorators])
            yield [type(node).__name__, first, node.end_lineno]


def main():
    root = os.path.realpath(sys.argv[1])
    found = {}
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(directory, name)
            try:
                with open(path, encoding="utf-8") as source:
                    tree = ast.parse(source.read(), path)
            except SyntaxError:
                continue
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            found[relative] = sorted(statements(tree))
    json.dump(found, sys.stdout, indent=0, sort_keys=True)


if __name__ == "__main__":
    main()
