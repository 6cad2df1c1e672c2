"""Which function really resolves each field of a Python GraphQL app.

    python resolver_truth.py FIXTURE_ROOT MODULE:ATTRIBUTE

Puts FIXTURE_ROOT on sys.path, imports MODULE, takes ATTRIBUTE (a graphene
Schema, a strawberry Schema or a graphql-core schema built by ariadne), walks
the graphql-core schema the library built and prints JSON:

    {"framework": "graphene",
     "types": {"User": {"kind": "object",
                        "fields": {"name": {"resolver": RESOLVER, "logic": FUNCTION}}}}}

RESOLVER is null when graphql-core's default resolver runs, {"library": NAME}
when code outside FIXTURE_ROOT runs, or FUNCTION: {"file", "line", "end_line",
"function"} with `file` relative to FIXTURE_ROOT and `line` the line of the
`def` (or `lambda`) keyword. `logic` is the project's own code behind the
resolver when it differs from it: a mutation's mutate_and_get_payload /
perform_mutation / perform_mutate, or the function a decorator without
functools.wraps replaced by its wrapper.

Only types the fixture declares are listed (not graphene's PageInfo or
generated Edge types), except for ariadne, whose types all come from SDL,
and the fields federation adds (`Query._service`, `Query._entities`,
`_Service.sdl`). A strawberry relay `Node.id` served by strawberry's own
resolver has the type's `resolve_id` as its logic when the project wrote one.
This script reads the library's own objects; it shares no code with ferry.
"""

import ast
import functools
import importlib
import inspect
import json
import os
import sys

from graphql import GraphQLInterfaceType, GraphQLList, GraphQLNonNull, GraphQLObjectType

LOGIC_METHODS = ("mutate_and_get_payload", "perform_mutation", "perform_mutate")
FEDERATION_FIELDS = {("Query", "_service"), ("Query", "_entities"), ("_Service", "sdl")}


class Truth:
    def __init__(self, root):
        self.root = os.path.realpath(root)
        self._trees = {}

    # ---- where code lives ---------------------------------------------------

    def is_project_file(self, filename):
        path = os.path.realpath(filename)
        return path.startswith(self.root + os.sep)

    def is_project_class(self, cls):
        module = sys.modules.get(getattr(cls, "__module__", None) or "")
        filename = getattr(module, "__file__", None)
        return bool(filename) and self.is_project_file(filename)

    def tree(self, filename):
        if filename not in self._trees:
            with open(filename, encoding="utf-8-sig") as source:
                self._trees[filename] = ast.parse(source.read(), filename)
        return self._trees[filename]

    def describe(self, function):
        """file, def line, end line and qualname of a project function."""
        code = function.__code__
        filename = code.co_filename
        line, end_line = self.def_lines(filename, code)
        return {
            "file": os.path.relpath(os.path.realpath(filename), self.root).replace(os.sep, "/"),
            "line": line,
            "end_line": end_line,
            "function": function.__qualname__,
        }

    def def_lines(self, filename, code):
        # co_firstlineno is the first decorator's line: find the def it belongs to.
        for node in ast.walk(self.tree(filename)):
            if code.co_name == "<lambda>":
                if isinstance(node, ast.Lambda) and node.lineno == code.co_firstlineno:
                    return node.lineno, node.end_lineno
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == code.co_name:
                first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                if first == code.co_firstlineno:
                    return node.lineno, node.end_lineno
        raise LookupError(f"no def of {code.co_name} at {filename}:{code.co_firstlineno}")

    # ---- what runs ----------------------------------------------------------

    def runs(self, obj, depth=0):
        """The function that runs when `obj` is called: a project function
        (after functools.wraps unwrapping), or ("library", name)."""
        if depth > 20 or obj is None:
            return None
        if isinstance(obj, functools.partial):
            inner = self.runs(obj.func, depth + 1)
            if inspect.isfunction(inner):
                return inner
            # graphene wraps the parent resolver: partial(library_hook, parent_resolver, ...)
            for argument in obj.args:
                if callable(argument) and not inspect.isclass(argument):
                    candidate = self.runs(argument, depth + 1)
                    if inspect.isfunction(candidate):
                        return candidate
            return inner
        if isinstance(obj, (staticmethod, classmethod)) or inspect.ismethod(obj):
            return self.runs(obj.__func__, depth + 1)
        wrapped_func = getattr(obj, "wrapped_func", None)  # strawberry's StrawberryResolver
        if wrapped_func is not None and not inspect.isfunction(obj):
            return self.runs(wrapped_func, depth + 1)
        obj = inspect.unwrap(obj)
        if inspect.isfunction(obj) and self.is_project_file(obj.__code__.co_filename):
            return obj
        name = getattr(obj, "__qualname__", None) or type(obj).__qualname__
        return ("library", f"{getattr(obj, '__module__', '?')}.{name}")

    def wrapped_by(self, wrapper):
        """The project function a wrapper (no functools.wraps) closes over."""
        for cell in wrapper.__closure__ or ():
            try:
                content = cell.cell_contents
            except ValueError:
                continue
            if callable(content) and not inspect.isclass(content):
                inner = self.runs(content)
                if inspect.isfunction(inner) and inner is not wrapper:
                    return inner
        return None

    def entry(self, resolver_obj, logic_from=None, subscribe=None):
        runs = self.runs(resolver_obj)
        if subscribe is not None and not inspect.isfunction(runs):
            # A subscription field served by library code: its source (the
            # async generator) is the project's code for it.
            source = self.runs(subscribe)
            if inspect.isfunction(source):
                runs = source
        if runs is None:
            return {"resolver": None, "logic": None}
        logic = None
        if inspect.isfunction(runs):
            logic = self.wrapped_by(runs)
        if logic is None and logic_from is not None:
            logic = logic_from(runs)
        if logic is runs:
            logic = None
        resolver = {"library": runs[1]} if isinstance(runs, tuple) else self.describe(runs)
        return {"resolver": resolver, "logic": self.describe(logic) if logic else None}

    # ---- frameworks ---------------------------------------------------------

    def walk(self, schema, field_entry, type_filter, field_filter=lambda *_: True):
        types = {}
        for name, gql_type in sorted(schema.type_map.items()):
            if name.startswith("__"):
                continue
            if not isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType)):
                continue
            if not type_filter(gql_type):
                continue
            kind = "interface" if isinstance(gql_type, GraphQLInterfaceType) else "object"
            fields = {
                field_name: field_entry(gql_type, field_name, field)
                for field_name, field in gql_type.fields.items()
                if field_filter(gql_type, field_name, field)
            }
            types[name] = {"kind": kind, "fields": fields}
        return types

    def graphene(self, schema):
        import graphene
        mutations = []
        pending = [graphene.Mutation]
        while pending:
            cls = pending.pop()
            pending.extend(cls.__subclasses__())
            if getattr(cls, "_meta", None) is not None and getattr(cls._meta, "resolver", None):
                mutations.append(cls)

        def named(gql_type):
            while isinstance(gql_type, (GraphQLNonNull, GraphQLList)):
                gql_type = gql_type.of_type
            return gql_type.name

        def output_name(mutation):
            # Output may be wrapped: graphene.NonNull(Payload), a lambda.
            output = mutation._meta.output
            while not hasattr(output, "_meta"):
                output = output.of_type if hasattr(output, "of_type") else output()
            return output._meta.name

        def field_entry(gql_type, field_name, field):
            candidates = [
                m for m in mutations
                if m._meta.resolver is field.resolve and output_name(m) == named(field.type)
            ]
            logic_from = None
            if len(candidates) == 1:
                mutation = candidates[0]

                def logic_from(runs):
                    for method in LOGIC_METHODS:
                        found = self.runs(getattr(mutation, method, None))
                        if inspect.isfunction(found) and found is not runs:
                            return found
                    return None

            return self.entry(field.resolve, logic_from, field.subscribe)

        def declared(gql_type):
            # graphene-federation rebuilds Query as a subclass in graphene's module.
            graphene_type = getattr(gql_type, "graphene_type", None)
            mro = getattr(graphene_type, "__mro__", ())
            return gql_type.name == "_Service" or any(map(self.is_project_class, mro))

        return self.walk(schema.graphql_schema, field_entry, declared)

    def strawberry(self, schema):
        from strawberry.schema.schema_converter import GraphQLCoreConverter

        key = GraphQLCoreConverter.DEFINITION_BACKREF

        def field_entry(gql_type, field_name, field):
            definition = field.extensions.get(key)
            resolver = getattr(definition, "base_resolver", None)
            origin = getattr(gql_type.extensions.get(key), "origin", None)
            logic_from = None
            if field_name == "id" and inspect.isclass(origin) and hasattr(origin, "resolve_id"):
                # relay: Node.id runs strawberry's code, which calls resolve_id.
                def logic_from(runs):
                    found = self.runs(getattr(origin, "resolve_id"))
                    return found if inspect.isfunction(found) else None
            return self.entry(resolver, logic_from)

        def project_origin(origin):
            if inspect.isclass(origin):
                return self.is_project_class(origin)
            code = getattr(inspect.unwrap(origin), "__code__", None) if callable(origin) else None
            return code is not None and self.is_project_file(code.co_filename)

        def declared_type(gql_type):
            # Federation schemas rebuild Query in strawberry's own module.
            definition = gql_type.extensions.get(key)
            origin = getattr(definition, "origin", None)
            if gql_type.name == "_Service":
                return True
            return inspect.isclass(origin) and any(map(self.is_project_class, origin.__mro__))

        def declared_field(gql_type, field_name, field):
            if (gql_type.name, field_name) in FEDERATION_FIELDS:
                return True
            if field_name == "id" and is_relay_node(gql_type):
                return True
            return project_origin(getattr(field.extensions.get(key), "origin", None))

        def is_relay_node(gql_type):
            origin = getattr(gql_type.extensions.get(key), "origin", None)
            return inspect.isclass(origin) and any(
                base.__module__ == "strawberry.relay.types" and base.__name__ == "Node"
                for base in origin.__mro__
            )

        return self.walk(schema._schema, field_entry, declared_type, declared_field)

    def ariadne(self, schema):
        def field_entry(gql_type, field_name, field):
            return self.entry(field.resolve, subscribe=field.subscribe)

        return self.walk(schema, field_entry, lambda gql_type: True)


def main():
    root, target = sys.argv[1], sys.argv[2]
    module_name, attribute = target.split(":")
    sys.path.insert(0, os.path.realpath(root))
    schema = getattr(importlib.import_module(module_name), attribute)
    truth = Truth(root)
    kinds = {cls.__module__.split(".")[0] for cls in type(schema).__mro__}
    if "graphene" in kinds:  # also graphene-federation's Schema subclass
        framework, types = "graphene", truth.graphene(schema)
    elif "strawberry" in kinds:
        framework, types = "strawberry", truth.strawberry(schema)
    else:
        framework, types = "ariadne", truth.ariadne(schema)
    json.dump({"framework": framework, "types": types}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
