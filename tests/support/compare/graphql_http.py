"""A GraphQL endpoint over HTTP for ferry's compare tests: POST JSON
{query, variables, operationName}, answer {data, errors}.

Listens on 127.0.0.1 at a free port, prints the port on its first line of
output, and appends every request it receives (body and X-Kaid header) to a
JSON-lines log so tests can assert what was sent.
"""
import json
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve(execute, log_path):
    """`execute(query, variables, operation_name, kaid)` returns the answer dict."""
    lock = threading.Lock()

    def app(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except ValueError:
            body = None
        kaid = environ.get("HTTP_X_KAID")
        if log_path:
            with lock, open(log_path, "a") as log:
                log.write(json.dumps({"body": body, "kaid": kaid}) + "\n")
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            status, answer = "400 Bad Request", {"errors": [{"message": "POST a JSON GraphQL request"}]}
        else:
            status = "200 OK"
            answer = execute(body["query"], body.get("variables") or {}, body.get("operationName"), kaid)
        payload = json.dumps(answer).encode()
        start_response(
            status,
            [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    server = make_server(
        "127.0.0.1", 0, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    print(server.server_port, flush=True)
    server.serve_forever()


def answer_of(result):
    """{data, errors} of a graphql-core or strawberry execution result."""
    answer = {"data": result.data}
    if result.errors:
        answer["errors"] = [error.formatted for error in result.errors]
    return answer
