#!/usr/bin/env python3
"""Check the demo monolith of a ferry workspace.

Usage (from the repository root):

    .venv/bin/python tests/python/check_demo_monolith.py examples/classroom

1. imports `webapp.schema` with the workspace root on sys.path and lets
   graphene build the schema;
2. runs real queries, mutations and a subscription against it;
3. checks that the SDL file named in ferry.toml ([python] schema) describes
   exactly the schema graphene prints: the same types, fields, arguments,
   default values, enum values, descriptions and deprecations. The
   federation `@key` directives added by hand are the only allowed
   difference, and they must sit on the entity types the demo expects;
4. checks that the Go services' schemas (services/*/graph/*.graphqls) agree
   with the monolith: every field they take over has the monolith's type,
   arguments and description, copied types are identical, and every
   @migrate state is a known stage.

Exits 0 with a one-line summary, or 1 with a diff of what disagrees.
"""
import asyncio
import glob
import os
import sys
import tomllib

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    ast_from_value,
    build_ast_schema,
    parse,
    print_ast,
    validate_schema,
)
from graphql.language import (
    DirectiveDefinitionNode,
    EnumTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    SchemaExtensionNode,
)
from graphql.type import specified_scalar_types

# Entity keys the SDL must state with @key; Classroom's key lives in ferry.toml.
EXPECTED_KEYS = {"User": "kaid", "Assignment": "id", "Progress": "id"}
# Stages a Go schema can write in @migrate(state:) (done and go have none).
MIGRATE_STATES = {"manual", "side-by-side", "canary", "migrated"}


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


# --------------------------------------------------------------------------
# Running the schema


def run(schema, query, variables=None, kaid=None):
    result = schema.execute(
        query, variable_values=variables, context_value={"kaid": kaid}
    )
    if result.errors:
        raise CheckFailed(
            "query failed: %s\n%s" % ("; ".join(str(e) for e in result.errors), query)
        )
    return result.data


def exercise(schema):
    teacher, student = "kaid_teacher_1", "kaid_student_1"

    data = run(
        schema,
        """
        query ($kaid: ID!) {
          user(kaid: $kaid) {
            kaid nickname email role joinedDate
            classrooms {
              id name joinCode createdDate
              teacher { kaid }
              students(first: 1) { kaid }
              schoolAddress { line1 line2 city postalCode }
            }
          }
        }
        """,
        {"kaid": student},
        kaid=teacher,
    )
    user = data["user"]
    expect(user["kaid"] == student, "user: wrong kaid %r" % user)
    expect(user["role"] == "STUDENT", "user.role: %r" % user["role"])
    expect(user["joinedDate"] == "2021-09-01T00:00:00Z", "user.joinedDate: %r" % user)
    expect(user["email"] == "sam@students.example", "teachers see emails: %r" % user)
    (classroom,) = user["classrooms"]
    expect(classroom["joinCode"] == "ALG3XK", "joinCode (name= override): %r" % classroom)
    expect(classroom["createdDate"] == "2023-08-28T09:00:00Z", "Classroom.createdDate")
    expect(classroom["students"] == [{"kaid": student}], "students(first: 1)")
    expect(classroom["schoolAddress"]["line1"] == "1200 Mission St", "Address.line1")

    data = run(
        schema,
        """
        query ($id: ID!) {
          assignment(id: $id) {
            id title createdDate dueDate dueAt isPublished contentIds
            stats { completedCount totalCount }
            classroom { id }
            assignedBy { kaid }
          }
          assignmentsForClassroom(classroomId: "class_algebra", first: 1) { id }
          progressForUser(kaid: "kaid_student_1") {
            id contentId status pointsEarned lastAttemptedAt user { kaid }
          }
          me { kaid email }
        }
        """,
        {"id": "asg_1"},
        kaid=student,
    )
    assignment = data["assignment"]
    expect(
        assignment
        == {
            "id": "asg_1",
            "title": "Solving linear equations",
            "createdDate": "2023-09-04T15:30:00Z",
            "dueDate": "2023-09-11T23:59:00Z",
            "dueAt": "2023-09-11T23:59:00Z",
            "isPublished": True,
            "contentIds": ["x2f8bb11e", "xa1c37b45"],
            "stats": {"completedCount": 2, "totalCount": 4},
            "classroom": {"id": "class_algebra"},
            "assignedBy": {"kaid": teacher},
        },
        "assignment(id: asg_1): %r" % assignment,
    )
    expect(data["assignmentsForClassroom"] == [{"id": "asg_1"}], "assignmentsForClassroom")
    statuses = [(p["contentId"], p["status"]) for p in data["progressForUser"]]
    expect(
        statuses == [("x2f8bb11e", "COMPLETED"), ("xa1c37b45", "STARTED")],
        "progressForUser: %r" % statuses,
    )
    expect(data["me"] == {"kaid": student, "email": "sam@students.example"}, "me")

    # A mutation with its logic in a helper (CreateAssignment.perform_mutation).
    data = run(
        schema,
        """
        mutation ($input: CreateAssignmentInput!) {
          createAssignment(input: $input) {
            errors
            assignment { id title dueDate isPublished contentIds classroom { id } }
          }
        }
        """,
        {
            "input": {
                "classroomId": "class_algebra",
                "title": "Systems of equations",
                "contentIds": ["xb4e5f601"],
                "dueDate": "2023-10-02T23:59:00Z",
            }
        },
        kaid=teacher,
    )
    payload = data["createAssignment"]
    expect(payload["errors"] == [], "createAssignment errors: %r" % payload)
    created = payload["assignment"]
    expect(created["title"] == "Systems of equations", "createAssignment: %r" % created)
    expect(created["isPublished"] is False, "CreateAssignmentInput.isPublished default")
    expect(created["dueDate"] == "2023-10-02T23:59:00Z", "Time parse/serialize round trip")
    data = run(
        schema,
        'mutation { createAssignment(input: {classroomId: "class_algebra", '
        'title: "x", contentIds: ["y"]}) { errors assignment { id } } }',
        kaid=student,
    )
    expect(
        data["createAssignment"] == {"errors": ["Only teachers can assign content."], "assignment": None},
        "createAssignment by a student: %r" % data,
    )

    # A mutation inheriting `mutate` from BaseMutation.
    data = run(
        schema,
        'mutation { updateNickname(kaid: "kaid_student_1", nickname: " sammy ") '
        "{ errors user { nickname } } }",
        kaid=student,
    )
    expect(
        data["updateNickname"] == {"errors": [], "user": {"nickname": "sammy"}},
        "updateNickname: %r" % data,
    )
    data = run(
        schema,
        'mutation { updateNickname(kaid: "kaid_student_2", nickname: "x") '
        "{ errors user { nickname } } }",
        kaid=student,
    )
    expect(
        data["updateNickname"]["errors"] == ["You can only rename yourself."],
        "updateNickname of someone else: %r" % data,
    )

    # The subscription sees what recordProgress writes.
    asyncio.run(exercise_subscription(schema))


async def exercise_subscription(schema):
    stream = await schema.subscribe(
        'subscription { progressUpdated(kaid: "kaid_student_2") { contentId status pointsEarned } }'
    )
    expect(not hasattr(stream, "errors"), "subscribe failed: %r" % (stream,))
    next_event = asyncio.ensure_future(stream.__anext__())
    for _ in range(5):
        await asyncio.sleep(0)  # let the resolver register its queue
    run(
        schema,
        'mutation { recordProgress(kaid: "kaid_student_2", contentId: "xa1c37b45", '
        "status: STARTED, pointsEarned: 15) { progress { id status } } }",
        kaid="kaid_student_2",
    )
    event = await asyncio.wait_for(next_event, timeout=5)
    await stream.aclose()
    expect(not event.errors, "progressUpdated errors: %r" % (event.errors,))
    expect(
        event.data
        == {"progressUpdated": {"contentId": "xa1c37b45", "status": "STARTED", "pointsEarned": 15}},
        "progressUpdated: %r" % (event.data,),
    )


# --------------------------------------------------------------------------
# Comparing the SDL file with the graphene schema


def describe(kind, path, description):
    return ["%s %s description: %r" % (kind, path, description)] if description else []


def deprecation(path, reason):
    return ["%s @deprecated(reason: %r)" % (path, reason)] if reason is not None else []


def default_text(value, type_):
    from graphql.pyutils import Undefined

    if value is Undefined:
        return ""
    node = ast_from_value(value, type_)
    return " = " + (print_ast(node) if node else repr(value))


def signature(schema):
    """Every fact about the schema, one string each."""
    facts = set()
    stats = {"types": 0, "fields": 0, "arguments": 0}
    builtin = set(specified_scalar_types)
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in builtin:
            continue
        stats["types"] += 1
        if isinstance(type_, GraphQLScalarType):
            facts.add("scalar %s" % name)
        elif isinstance(type_, GraphQLEnumType):
            facts.add("enum %s" % name)
            for value_name, value in type_.values.items():
                path = "%s.%s" % (name, value_name)
                facts.add("enum value %s" % path)
                facts.update(describe("enum value", path, value.description))
                facts.update(deprecation(path, value.deprecation_reason))
        elif isinstance(type_, GraphQLUnionType):
            facts.add("union %s = %s" % (name, " | ".join(t.name for t in type_.types)))
        elif isinstance(type_, GraphQLInputObjectType):
            facts.add("input %s" % name)
            for field_name, field in type_.fields.items():
                stats["fields"] += 1
                path = "%s.%s" % (name, field_name)
                facts.add("input field %s: %s%s" % (path, field.type, default_text(field.default_value, field.type)))
                facts.update(describe("input field", path, field.description))
                facts.update(deprecation(path, field.deprecation_reason))
        elif isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType)):
            kind = "interface" if isinstance(type_, GraphQLInterfaceType) else "type"
            interfaces = " & ".join(sorted(i.name for i in type_.interfaces))
            facts.add("%s %s%s" % (kind, name, " implements " + interfaces if interfaces else ""))
            for field_name, field in type_.fields.items():
                stats["fields"] += 1
                path = "%s.%s" % (name, field_name)
                facts.add("field %s: %s" % (path, field.type))
                facts.update(describe("field", path, field.description))
                facts.update(deprecation(path, field.deprecation_reason))
                for arg_name, arg in field.args.items():
                    stats["arguments"] += 1
                    arg_path = "%s(%s:)" % (path, arg_name)
                    facts.add("argument %s %s%s" % (arg_path, arg.type, default_text(arg.default_value, arg.type)))
                    facts.update(describe("argument", arg_path, arg.description))
                    facts.update(deprecation(arg_path, arg.deprecation_reason))
        else:
            raise CheckFailed("unexpected type kind %s" % type_)
        facts.update(describe("type", name, type_.description))
    for root in ("query", "mutation", "subscription"):
        root_type = getattr(schema, root + "_type")
        facts.add("schema %s: %s" % (root, root_type.name if root_type else None))
    return facts, stats


def strip_keys(document):
    """Remove @key from object types; return the keys found."""
    keys = {}
    for definition in document.definitions:
        expect(
            not isinstance(definition, DirectiveDefinitionNode),
            "the SDL must not define directive @%s (ferry injects federation definitions)"
            % definition.name.value,
        )
        if not isinstance(definition, ObjectTypeDefinitionNode):
            continue
        kept = []
        for directive in definition.directives:
            if directive.name.value != "key":
                kept.append(directive)
                continue
            (argument,) = directive.arguments
            expect(argument.name.value == "fields", "@key takes fields:")
            keys[definition.name.value] = argument.value.value
        definition.directives = tuple(kept)
    return keys


def compare_sdl(schema, sdl_path):
    with open(sdl_path, encoding="utf-8") as f:
        text = f.read()
    document = parse(text)
    keys = strip_keys(document)
    expect(
        keys == EXPECTED_KEYS,
        "%s: @key directives are %r, expected %r" % (sdl_path, keys, EXPECTED_KEYS),
    )
    sdl_schema = build_ast_schema(document)
    errors = validate_schema(sdl_schema)
    expect(not errors, "%s is not a valid schema: %s" % (sdl_path, errors))

    want, stats = signature(schema.graphql_schema)
    have, _ = signature(sdl_schema)
    if want != have:
        lines = ["%s does not match the graphene schema:" % sdl_path]
        lines += ["  - only in graphene: " + f for f in sorted(want - have)]
        lines += ["  + only in the SDL:  " + f for f in sorted(have - want)]
        raise CheckFailed("\n".join(lines))
    for type_name, key in keys.items():
        type_ = sdl_schema.type_map[type_name]
        expect(key in type_.fields, "%s @key(fields: %r): no such field" % (type_name, key))
    return stats, document


# --------------------------------------------------------------------------
# Comparing the Go services' schemas with the monolith


def directive_args(node, name):
    for directive in node.directives or ():
        if directive.name.value == name:
            return {a.name.value: a.value.value for a in directive.arguments}
    return None


def described(node):
    return node.description.value if node.description else None


def check_services(root, monolith):
    """Every Go field the monolith also has must match it; returns counts."""
    python_defs = {d.name.value: d for d in monolith.definitions if hasattr(d, "name")}
    python_fields = {
        (d.name.value, f.name.value): f
        for d in monolith.definitions
        if isinstance(d, ObjectTypeDefinitionNode)
        for f in d.fields
    }
    counts = {"services": 0, "moving": 0, "go_only": 0}
    problems = []
    files = sorted(glob.glob(os.path.join(root, "services", "*", "graph", "*.graphqls")))
    expect(files, "no Go schemas under %s/services/*/graph" % root)
    for path in files:
        counts["services"] += 1
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8") as f:
            document = parse(f.read())
        declared = any(
            isinstance(d, DirectiveDefinitionNode) and d.name.value == "migrate"
            for d in document.definitions
        )
        for definition in document.definitions:
            if isinstance(definition, (ObjectTypeDefinitionNode, ObjectTypeExtensionNode)):
                type_name = definition.name.value
                is_entity = directive_args(definition, "key") is not None
                if type_name in python_defs and not is_entity and type_name not in (
                    "Query",
                    "Mutation",
                ):
                    check_copy(rel, definition, python_defs, problems)
                    continue
                for field in definition.fields:
                    where = "%s: %s.%s" % (rel, type_name, field.name.value)
                    migrate = directive_args(field, "migrate")
                    if migrate is not None:
                        expect(declared, "%s: @migrate used but not declared" % rel)
                        state = migrate.get("state")
                        if state not in MIGRATE_STATES:
                            problems.append("%s: unknown @migrate state %r" % (where, state))
                        if ("color" in migrate) != (state == "canary"):
                            problems.append("%s: color goes with state canary only" % where)
                    if directive_args(field, "external") is not None:
                        continue
                    python = python_fields.get((type_name, field.name.value))
                    if python is None:
                        if migrate is not None:
                            problems.append("%s: @migrate on a field the monolith lacks" % where)
                        counts["go_only"] += 1
                        continue
                    counts["moving"] += 1
                    if print_ast(field.type) != print_ast(python.type):
                        problems.append(
                            "%s: type %s, monolith has %s"
                            % (where, print_ast(field.type), print_ast(python.type))
                        )
                    go_args = [print_ast(a) for a in field.arguments]
                    python_args = [print_ast(a) for a in python.arguments]
                    if go_args != python_args:
                        problems.append(
                            "%s: arguments %s, monolith has %s" % (where, go_args, python_args)
                        )
                    if described(field) not in (None, described(python)):
                        problems.append("%s: description differs from the monolith's" % where)
            elif isinstance(definition, (EnumTypeDefinitionNode, InputObjectTypeDefinitionNode)):
                if definition.name.value in python_defs:
                    check_copy(rel, definition, python_defs, problems)
            elif not isinstance(
                definition, (DirectiveDefinitionNode, ScalarTypeDefinitionNode, SchemaExtensionNode)
            ):
                problems.append("%s: unexpected %s" % (rel, definition.kind))
    expect(not problems, "the Go schemas disagree with the monolith:\n  " + "\n  ".join(problems))
    return counts


def check_copy(rel, definition, python_defs, problems):
    """A type copied from the monolith must be identical to its definition."""
    python = python_defs[definition.name.value]
    if print_ast(definition) != print_ast(python):
        problems.append(
            "%s: %s is not an identical copy of the monolith's:\n%s\n--- monolith:\n%s"
            % (rel, definition.name.value, print_ast(definition), print_ast(python))
        )


def main(argv):
    root = os.path.abspath(argv[1] if len(argv) > 1 else "examples/classroom")
    with open(os.path.join(root, "ferry.toml"), "rb") as f:
        config = tomllib.load(f)["python"]
    sys.dont_write_bytecode = True  # leave no __pycache__ in the demo
    for import_root in reversed(config.get("import_roots", ["."])):
        sys.path.insert(0, os.path.join(root, import_root))

    try:
        import webapp.schema

        schema = webapp.schema.schema
        errors = validate_schema(schema.graphql_schema)
        expect(not errors, "graphene built an invalid schema: %s" % errors)
        exercise(schema)
        (sdl_file,) = config["schema"]
        stats, document = compare_sdl(schema, os.path.join(root, sdl_file))
        stats.update(check_services(root, document))
    except CheckFailed as e:
        print("monolith check FAILED: %s" % e, file=sys.stderr)
        return 1
    print(
        "monolith ok: %(types)d types, %(fields)d fields, %(arguments)d arguments; "
        "queries, mutations and the subscription ran; %(services)d Go schemas agree "
        "(%(moving)d fields taken over, %(go_only)d Go-only)" % stats
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
