"""After deleting the Python of finished fields, the app still builds its
schema, and the schema differs from before by exactly those fields.

    python deletion_truth.py BEFORE_ROOT AFTER_ROOT MODULE:ATTRIBUTE Type.field...

Imports the app from each root in a process of its own (so the two copies
never share a module), with the library itself, and checks:

1. the SDL the library prints after the deletion is the SDL of before with
   the finished fields taken out and the types nothing reaches any more
   dropped (ariadne's SDL is its own type_defs: it stays the same);
2. every field left is served by the same function as before (by file and
   qualified name: the lines moved), and a finished field still in the
   schema (ariadne) is no longer served by the code that went.

Exits 0 with a summary, or 1 saying what differs. Shares no code with ferry.
"""

import json
import os
import subprocess
import sys

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_ast_schema,
    lexicographic_sort_schema,
    parse,
    print_schema,
)
from graphql.language import ObjectTypeDefinitionNode, InterfaceTypeDefinitionNode

HERE = os.path.dirname(os.path.abspath(__file__))


def export(root, target):
    """The SDL the app's schema prints, as graphql-core sees it."""
    sys.path.insert(0, root)
    sys.dont_write_bytecode = True
    module_name, attribute = target.split(":")
    import importlib

    schema = getattr(importlib.import_module(module_name), attribute)
    for name in ("graphql_schema", "_schema"):
        if not isinstance(schema, GraphQLSchema):
            schema = getattr(schema, name, schema)
    assert isinstance(schema, GraphQLSchema), "no graphql-core schema in %s" % target
    print(print_schema(lexicographic_sort_schema(schema)))


def run(args):
    result = subprocess.run(
        [sys.executable] + args,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
    )
    if result.returncode != 0:
        raise SystemExit("%s failed:\n%s" % (" ".join(args), result.stderr))
    return result.stdout


def unwrap(type_):
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def reachable(schema):
    """The names of the types the root types reach, as graphql-core collects them."""
    seen = set()
    stack = [t for t in (schema.query_type, schema.mutation_type, schema.subscription_type) if t]
    for directive in schema.directives:
        stack.extend(unwrap(arg.type) for arg in directive.args.values())
    while stack:
        type_ = unwrap(stack.pop())
        if type_.name in seen:
            continue
        seen.add(type_.name)
        if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType)):
            stack.extend(type_.interfaces)
            for field in type_.fields.values():
                stack.append(field.type)
                stack.extend(arg.type for arg in field.args.values())
        elif isinstance(type_, GraphQLUnionType):
            stack.extend(type_.types)
        elif isinstance(type_, GraphQLInputObjectType):
            stack.extend(field.type for field in type_.fields.values())
    return seen


def without_fields(sdl, finished, prune):
    """The SDL with the finished fields out (and, with `prune`, the types
    nothing reaches then)."""
    document = parse(sdl)
    for definition in document.definitions:
        if isinstance(definition, (ObjectTypeDefinitionNode, InterfaceTypeDefinitionNode)):
            name = definition.name.value
            definition.fields = tuple(
                f for f in definition.fields if (name, f.name.value) not in finished
            )
    document.definitions = tuple(
        d
        for d in document.definitions
        if not (
            isinstance(d, (ObjectTypeDefinitionNode, InterfaceTypeDefinitionNode))
            and not d.fields
        )
    )
    schema = build_ast_schema(document)
    if prune:
        keep = reachable(schema)
        document.definitions = tuple(
            d
            for d in document.definitions
            if not hasattr(d, "name") or d.name is None or d.name.value in keep
            or d.kind in ("directive_definition", "schema_definition")
        )
        schema = build_ast_schema(document)
    return print_schema(lexicographic_sort_schema(schema))


def served(truth):
    """(type, field) → (file, function) of its resolver, or None (default)."""
    out = {}
    for type_name, declared in truth["types"].items():
        for field_name, entry in declared["fields"].items():
            resolver = entry["resolver"]
            if isinstance(resolver, dict) and "file" in resolver:
                resolver = (resolver["file"], resolver["function"])
            elif isinstance(resolver, dict):
                resolver = ("library", resolver.get("library"))
            out[(type_name, field_name)] = resolver
    return out


def main(argv):
    if argv[1] == "--export":
        export(os.path.abspath(argv[2]), argv[3])
        return 0
    before_root, after_root, target = (os.path.abspath(argv[1]), os.path.abspath(argv[2]), argv[3])
    finished = {tuple(f.split(".", 1)) for f in argv[4:]}
    me = os.path.abspath(__file__)
    before_sdl = run([me, "--export", before_root, target])
    after_sdl = run([me, "--export", after_root, target])
    truth_script = os.path.join(HERE, "resolver_truth.py")
    before = json.loads(run([truth_script, before_root, target]))
    after = json.loads(run([truth_script, after_root, target]))
    problems = []

    sdl_first = before["framework"] == "ariadne"
    want = without_fields(before_sdl, set() if sdl_first else finished, prune=not sdl_first)
    have = print_schema(lexicographic_sort_schema(build_ast_schema(parse(after_sdl))))
    if want != have:
        import difflib

        diff = difflib.unified_diff(
            want.splitlines(), have.splitlines(), "expected", "after deletion", lineterm=""
        )
        problems.append("the schema differs from before without the finished fields:\n" + "\n".join(diff))

    served_before, served_after = served(before), served(after)
    for key, resolver in sorted(served_after.items()):
        if key in finished:
            # ariadne keeps the field in its SDL: the deleted code no longer
            # serves it (the default resolver, or an interface's, does).
            if resolver is not None and resolver == served_before.get(key):
                problems.append("%s.%s is still served by %s" % (key + (resolver,)))
        elif served_before.get(key) != resolver:
            problems.append(
                "%s.%s was served by %s, now by %s" % (key + (served_before.get(key), resolver))
            )
    # Fields of types nothing reaches any more go with their type.
    kept_types = build_ast_schema(parse(want)).type_map
    for key in sorted(set(served_before) - set(served_after) - finished):
        if key[0] in kept_types:
            problems.append("%s.%s is gone" % key)
    if problems:
        print("deletion truth FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(
        "deletion ok: %d fields finished, %d left, each served as before"
        % (len(finished), len(served_after) - len(finished & set(served_after)))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
