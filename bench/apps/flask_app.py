"""The Flask app of bench/bench_flask.py: a JSON endpoint and a route with a path parameter.

The same file is served three ways (plain, SDK-instrumented, observed by the agent); the
SDK's instrumentation is set up by gunicorn's post_fork hook (otel_sdk_gunicorn.py), not here.
"""

from flask import Flask, abort, jsonify

app = Flask(__name__)

USERS = {
    i: {"id": i, "name": f"user {i}", "plan": "pro" if i % 3 == 0 else "free", "active": i % 7 != 0}
    for i in range(1, 101)
}


@app.get("/json")
def status():
    return jsonify(status="ok", items=[1, 2, 3], message="hello from flask")


@app.get("/users/<int:user_id>")
def user(user_id: int):
    found = USERS.get(user_id)
    if found is None:
        abort(404)
    return jsonify(found)
