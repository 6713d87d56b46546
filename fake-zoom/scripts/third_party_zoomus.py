#!/usr/bin/env python3
"""Optional check: drive the third-party Python client `zoomus` (PyPI, 1.2.1) against
`fake-zoom serve`, changing nothing but its two base URLs.

    cargo run -p fake-zoom -- serve &          # default config, 127.0.0.1:8080
    python3 -m venv /tmp/zvenv && /tmp/zvenv/bin/pip install zoomus==1.2.1
    /tmp/zvenv/bin/python fake-zoom/scripts/third_party_zoomus.py [http://127.0.0.1:8080]

Prints one line per call and exits non-zero on the first mismatch.
"""
import sys

from zoomus import ZoomClient

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
client = ZoomClient(
    "fake-s2s-client-id",
    "fake-s2s-client-secret",
    "fake-account-1",
    base_uri=BASE + "/v2",
    oauth_uri=BASE + "/oauth/token",
)
passed = 0


def check(name, response, status, test=lambda body: True):
    global passed
    body = response.json() if response.content else None
    ok = response.status_code == status and test(body)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: HTTP {response.status_code} {str(body)[:120] if body else ''}")
    if not ok:
        sys.exit(1)
    passed += 1
    return body


me = check("user.me", client.user.me(), 200, lambda b: b["email"] == "owner@example.com")
check("user.get (email)", client.user.get(id="member@example.com"), 200, lambda b: b["id"] == "fake-member-1")
check("user.list", client.user.list(page_size=1), 200, lambda b: b["total_records"] == 2 and len(b["users"]) == 1)
meeting = check(
    "meeting.create",
    client.meeting.create(user_id="me", topic="SEV1 bridge", type=2, duration=30,
                          settings={"waiting_room": True, "join_before_host": True, "approval_type": 0}),
    201,
    lambda b: b["settings"]["join_before_host"] is False,
)
mid = meeting["id"]
check("meeting.get", client.meeting.get(id=mid), 200, lambda b: b["topic"] == "SEV1 bridge")
check("meeting.update", client.meeting.update(id=mid, topic="SEV1 bridge (mitigated)"), 204)
check("meeting.get after update", client.meeting.get(id=mid), 200, lambda b: b["topic"].endswith("(mitigated)"))
check("meeting.list", client.meeting.list(user_id="me"), 200, lambda b: any(m["id"] == mid for m in b["meetings"]))
reg = check("meeting.add_registrant",
            client.meeting.add_registrant(id=mid, email="responder@example.com", first_name="Rita"), 201)
check("meeting.list_registrants", client.meeting.list_registrants(id=mid), 200,
      lambda b: b["registrants"][0]["id"] == reg["registrant_id"])
check("meeting.update_registrant_status",
      client.meeting.update_registrant_status(id=mid, action="cancel", registrants=[{"id": reg["registrant_id"]}]), 204)
check("meeting.update_status end", client.meeting.update_status(id=mid, action="end"), 204)
check("meeting.delete", client.meeting.delete(id=mid), 204)
check("meeting.get deleted", client.meeting.get(id=mid), 404,
      lambda b: b == {"code": 3001, "message": f"Meeting does not exist: {mid}."})
webinar = check("webinar.create", client.webinar.create(user_id="me", topic="Customer update", type=5), 201)
check("webinar.get", client.webinar.get(id=webinar["id"]), 200)
check("webinar.update", client.webinar.update(id=webinar["id"], topic="Customer update 2"), 204)
check("webinar.end", client.webinar.end(id=webinar["id"]), 204)
check("webinar.delete", client.webinar.delete(id=webinar["id"]), 204)
print(f"zoomus against fake-zoom: {passed} calls passed")
