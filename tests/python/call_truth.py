"""The project functions a function's body calls directly, as Python sees them.

    python call_truth.py ROOT [PROJECT] < FUNCTIONS_JSON

FUNCTIONS_JSON is a list of {"file", "function", "line"} (file relative to
ROOT, which goes on sys.path; function a __qualname__ without <locals>;
line its `def` line). Functions of files under PROJECT (default ROOT) are
the project's. For each, the function is
imported, its body read with `ast`, and every call in it (not in functions
or classes nested in it) resolved against the live objects: names through
the function's imports, globals and builtins; `self`/`cls` through the
class that defines the method; `super().m` through the MRO; `x.m` where
`x = Class(...)` in the same body; `Class(...)` as the class's own
`__init__`. A callee that is a function of a file under PROJECT is an edge.
Prints {"FILE:FUNCTION": ["FILE:LINE", ...]} with LINE the `def` line
(null for a function that is not a plain function at run time).
This script shares no code with ferry.
"""

import ast
import builtins
import functools
import importlib
import inspect
import json
import os
import sys

ROOT = os.path.realpath(sys.argv[1])
PROJECT = os.path.realpath(sys.argv[2]) if len(sys.argv) > 2 else ROOT
sys.path.insert(0, ROOT)
MISSING = object()


def module_of(relative):
    parts = relative[:-3].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return importlib.import_module(".".join(parts))


@functools.lru_cache(maxsize=None)
def parsed(path):
    return ast.parse(open(path, encoding="utf-8").read())


def def_line(function):
    """The line of the `def` keyword of a project function, else None."""
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    path = os.path.realpath(code.co_filename)
    if not path.startswith(PROJECT + os.sep):
        return None
    for node in ast.walk(parsed(path)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            if code.co_firstlineno in (first, node.lineno) and node.name == code.co_name:
                return os.path.relpath(path, ROOT), node.lineno
    return None


def as_function(value):
    """The project code a call of `value` runs first."""
    if isinstance(value, (staticmethod, classmethod)):
        value = value.__func__
    value = getattr(value, "__func__", value)
    # What decorators wrapped (functools.wraps, lru_cache): the code as written.
    value = inspect.unwrap(value) if callable(value) else value
    if inspect.isclass(value):
        for klass in value.__mro__:
            if "__init__" in vars(klass):
                return as_function(vars(klass)["__init__"])
        return None
    return value if inspect.isfunction(value) else None


def class_attr(klass, name, start=0):
    for base in klass.__mro__[start:]:
        if name in vars(base):
            return vars(base)[name]
    return MISSING


class Body:
    def __init__(self, function, owner, node):
        self.function = function
        self.owner = owner
        self.node = node
        self.imports = {}
        self.locals = {}
        for statement in self.own_nodes():
            if isinstance(statement, ast.ImportFrom):
                package = function.__module__ if function.__globals__.get("__path__") else function.__module__.rpartition(".")[0]
                base = importlib.import_module("." * statement.level + (statement.module or ""), package) if statement.level else importlib.import_module(statement.module)
                for alias in statement.names:
                    self.imports[alias.asname or alias.name] = getattr(base, alias.name, MISSING)
            elif isinstance(statement, ast.Import):
                for alias in statement.names:
                    importlib.import_module(alias.name)
                    self.imports[alias.asname or alias.name.split(".")[0]] = sys.modules[(alias.name if alias.asname else alias.name.split(".")[0])]
            elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        self.locals[target.id] = statement.value

    def own_nodes(self):
        stack = list(self.node.body)
        while stack:
            node = stack.pop()
            yield node
            for child in ast.iter_child_nodes(node):
                if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    stack.append(child)

    def name(self, name):
        if name in self.imports:
            return self.imports[name]
        if not hasattr(self, "nonlocals"):
            self.nonlocals = inspect.getclosurevars(self.function).nonlocals
        for scope in (self.nonlocals, self.function.__globals__, vars(builtins)):
            if name in scope:
                return scope[name]
        return MISSING

    def value(self, node, locals_=True):
        """The object an expression names; a local only when a class built it."""
        if isinstance(node, ast.Name):
            if node.id in ("self", "cls") and self.owner is not None:
                return self.owner
            if locals_ and node.id in self.locals:
                built = self.value(self.locals[node.id].func, locals_=False)
                return built if inspect.isclass(built) else MISSING
            return self.name(node.id)
        if isinstance(node, ast.Attribute):
            base = self.value(node.value, locals_)
            if base is MISSING:
                return MISSING
            if inspect.isclass(base):
                return class_attr(base, node.attr)
            return getattr(base, node.attr, MISSING)
        return MISSING

    def callee(self, call):
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Name)
            and func.value.func.id == "super"
            and self.owner is not None
        ):
            return class_attr(self.owner, func.attr, start=1)
        return self.value(func)

    def edges(self):
        found = set()
        for node in self.own_nodes():
            if isinstance(node, ast.Call):
                target = self.callee(node)
                if target is MISSING:
                    continue
                function = as_function(target)
                where = def_line(function) if function else None
                if where:
                    found.add("%s:%d" % where)
        return sorted(found)


def main():
    result = {}
    for entry in json.load(sys.stdin):
        module = module_of(entry["file"])
        owner, value = None, module
        for part in entry["function"].split("."):
            owner = value if inspect.isclass(value) else owner
            value = vars(value)[part] if inspect.isclass(value) else getattr(value, part)
        function = as_function(value)
        function = inspect.unwrap(function) if function else None
        key = "%s:%s" % (entry["file"], entry["function"])
        if function is None:
            result[key] = None  # not a plain function at run time: nothing to compare
            continue
        node = next(
            n
            for n in ast.walk(parsed(os.path.join(ROOT, entry["file"])))
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.lineno == entry["line"]
        )
        result[key] = Body(function, owner, node).edges()
    json.dump(result, sys.stdout, indent=1, sort_keys=True)


main()
