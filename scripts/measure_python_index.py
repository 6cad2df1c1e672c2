#!/usr/bin/env python3
"""How well ferry's Python index agrees with real packages from PyPI.

    scripts/measure_python_index.py [--venvs DIR] [--work DIR] [--ferry BIN]
                                    [--install] [NAME ...]

For each package (see PACKAGES; all by default):

1. its own venv under --venvs (created and `pip install`ed with --install),
   never the test venv;
2. the truth: the app is imported in that venv and its executable schema
   walked (tests/python/resolver_truth.py's reading of graphene, strawberry
   and ariadne: each field's resolve function, unwrapped, and its
   `__code__`; `None` is the default resolver), and its SDL printed;
3. a ferry workspace under --work holding a copy of the package's source
   and that SDL, and `ferry status --json --no-cache` run on it;
4. per field: matched, missed (the library runs project code, ferry says
   default), wrong (ferry names other code, or code where the library runs
   its default). `status --json` shows a field ferry did not find like a
   default-resolved one, so a missed default counts as matched.

Prints one table row per package and writes WORK/NAME/report.json with
every miss and wrong field. Not run by CI: it installs from PyPI.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))

# name: what to install, the import package, how to get the schema, which
# directories of the package hold the GraphQL code, and the framework.
PACKAGES = {
    "dagster-graphql": {
        "pip": "dagster-graphql",
        "package": "dagster_graphql",
        "schema": "dagster_graphql.schema:create_schema()",
        "roots": ["dagster_graphql"],
        "framework": "graphene",
    },
    "arize-phoenix": {
        "pip": "arize-phoenix",
        "package": "phoenix",
        "schema": "phoenix.server.api.schema:_EXPORTED_GRAPHQL_SCHEMA",
        "roots": ["phoenix/server/api"],
        "framework": "strawberry",
    },
    "mlflow": {
        "pip": "mlflow",
        "package": "mlflow",
        "schema": "mlflow.server.graphql.graphql_schema_extensions:schema",
        "roots": ["mlflow/server/graphql"],
        "framework": "graphene",
    },
    "misago": {
        "pip": "misago",
        "package": "misago",
        "schema": "misago.graphql.admin.schema:schema",
        "roots": ["misago/graphql"],
        "framework": "ariadne",
        "django": {
            "from": "misago.settings",
            "AUTH_USER_MODEL": "misago_users.User",
            "ROOT_URLCONF": "misago.urls",
        },
    },
}


# ---- the truth (runs inside the package's venv) ---------------------------


def truth_main(package, target, django):
    sys.path.insert(0, os.path.join(REPO, "tests", "python"))
    import importlib
    import sysconfig

    from graphql import GraphQLSchema, print_schema

    import resolver_truth

    if django:
        settings = dict(django)
        base = importlib.import_module(settings.pop("from"))
        from django.conf import settings as django_settings

        values = {name: getattr(base, name) for name in dir(base) if name.isupper()}
        values.update(settings)
        values.setdefault("SECRET_KEY", "measure")
        values.setdefault(
            "DATABASES",
            {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        )
        django_settings.configure(**values)
        import django as django_module

        django_module.setup()

    site = sysconfig.get_paths()["purelib"]
    package_dir = os.path.realpath(os.path.join(site, package))

    class PackageTruth(resolver_truth.Truth):
        """Paths relative to site-packages; only the package is the project."""

        def is_project_file(self, filename):
            return os.path.realpath(filename).startswith(package_dir + os.sep)

    module_name, attribute = target.split(":")
    module = importlib.import_module(module_name)
    if attribute.endswith("()"):
        schema = getattr(module, attribute[:-2])()
    else:
        schema = getattr(module, attribute)
    truth = PackageTruth(site)
    kinds = {cls.__module__.split(".")[0] for cls in type(schema).__mro__}
    if "graphene" in kinds:
        framework, types, core = "graphene", truth.graphene(schema), schema.graphql_schema
    elif "strawberry" in kinds:
        framework, types, core = "strawberry", truth.strawberry(schema), schema._schema
    else:
        framework, types, core = "ariadne", truth.ariadne(schema), schema
    assert isinstance(core, GraphQLSchema)
    json.dump(
        {"framework": framework, "types": types, "sdl": print_schema(core)},
        sys.stdout,
    )


# ---- the comparison ---------------------------------------------------------


def expected(entry):
    """The function ferry should report, as (file, line), or None."""
    resolver = entry.get("resolver") or {}
    if "file" in resolver:
        return resolver["file"], resolver["line"]
    logic = entry.get("logic")
    if logic:
        return logic["file"], logic["line"]
    return None


def measure(name, spec, args):
    venv = os.path.join(args.venvs, name)
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        if not args.install:
            sys.exit(f"{venv} is missing: run with --install")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", spec["pip"]], check=True)
    work = os.path.join(args.work, name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    command = [python, os.path.realpath(__file__), "--truth", spec["package"], spec["schema"]]
    if spec.get("django"):
        command += ["--django", json.dumps(spec["django"])]
    found = subprocess.run(
        command, capture_output=True, text=True, cwd=work, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    )
    if found.returncode != 0:
        sys.exit(f"{name}: the truth failed:\n{found.stderr}")
    truth = json.loads(found.stdout)

    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    shutil.copytree(
        os.path.join(site, spec["package"]),
        os.path.join(work, "src", spec["package"]),
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    with open(os.path.join(work, "schema.graphql"), "w", encoding="utf-8") as sdl:
        sdl.write(truth["sdl"])
    with open(os.path.join(work, "ferry.toml"), "w", encoding="utf-8") as config:
        roots = ", ".join(json.dumps("src/" + root) for root in spec["roots"])
        config.write(
            "[python]\n"
            'schema = ["schema.graphql"]\n'
            f"roots = [{roots}]\n"
            'import_roots = ["src"]\n'
            f'framework = "{spec["framework"]}"\n'
        )
    status = subprocess.run(
        [args.ferry, "status", "--json", "--no-cache", "--root", work],
        capture_output=True, text=True,
    )
    if not status.stdout:
        sys.exit(f"{name}: ferry status failed:\n{status.stderr}")
    report = json.loads(status.stdout)
    ferry = {}
    for field in report["fields"]:
        python_link = field.get("python")
        if python_link:
            file = python_link["file"].removeprefix("src/")
            ferry[(field["type"], field["field"])] = (file, python_link["line"], python_link["function"])
        else:
            ferry[(field["type"], field["field"])] = None

    counts = {"fields": 0, "matched": 0, "missed": 0, "wrong": 0}
    details = []
    for type_name, declared in sorted(truth["types"].items()):
        for field_name, entry in sorted(declared["fields"].items()):
            counts["fields"] += 1
            want = expected(entry)
            got = ferry.get((type_name, field_name))
            got_at = got[:2] if got else None
            if want == got_at:
                counts["matched"] += 1
                continue
            outcome = "missed" if got is None else "wrong"
            counts[outcome] += 1
            details.append(
                {
                    "field": f"{type_name}.{field_name}",
                    "outcome": outcome,
                    "library": entry,
                    "ferry": got,
                }
            )
    problems = [problem for problem in report.get("problems", []) if problem["id"].startswith("python")]
    stale = sum(problem["id"] == "sdl-stale" for problem in report.get("problems", []))
    with open(os.path.join(work, "report.json"), "w", encoding="utf-8") as out:
        json.dump({"counts": counts, "details": details, "problems": problems, "sdl_stale": stale}, out, indent=1)
    return counts, stale, len(problems)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--truth", nargs=2, metavar=("PACKAGE", "TARGET"), help=argparse.SUPPRESS)
    parser.add_argument("--django", help=argparse.SUPPRESS)
    parser.add_argument("--venvs", default="/work/venv-real")
    parser.add_argument("--work", default="/work/real/measure")
    parser.add_argument("--ferry", default=os.path.join(REPO, "target", "release", "ferry"))
    parser.add_argument("--install", action="store_true", help="create missing venvs from PyPI")
    parser.add_argument("names", nargs="*", default=sorted(PACKAGES))
    args = parser.parse_args()
    if args.truth:
        truth_main(*args.truth, json.loads(args.django) if args.django else None)
        return
    print("| package | framework | fields | matched | missed | wrong | agreement | sdl-stale | python problems |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.names:
        spec = PACKAGES[name]
        counts, stale, problems = measure(name, spec, args)
        agreement = 100.0 * counts["matched"] / max(counts["fields"], 1)
        print(
            f"| {name} | {spec['framework']} | {counts['fields']} | {counts['matched']} | "
            f"{counts['missed']} | {counts['wrong']} | {agreement:.1f} % | {stale} | {problems} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
